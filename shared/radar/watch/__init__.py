"""Watching sources: the watch cycle, which sources are due, and which keep failing."""
