"""Training packs for trainers: what changed on chosen platforms over a period."""
