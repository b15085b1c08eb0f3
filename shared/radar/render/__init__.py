"""Rendering of what people read: briefings, alerts and training packs (Jinja2, autoescaped)."""
