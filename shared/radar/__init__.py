"""Platform Radar: watches platform changelogs and trend feeds, briefs teams on what changed."""

__version__ = "0.1.0"
