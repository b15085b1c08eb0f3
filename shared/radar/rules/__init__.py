"""Rule data for `radar.classify` (categories, severity, deadlines), loaded as package data."""
