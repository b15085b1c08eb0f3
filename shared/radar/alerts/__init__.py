"""Emerging-platform alerts for strategists: one alert per rise of a term, to those who want it."""
