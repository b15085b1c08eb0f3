"""Catalog files the CLI tests write: one place for the shape of a one-source catalog."""

from __future__ import annotations

from pathlib import Path


def write_discord_catalog(path: Path, url: str) -> Path:
    """A catalog at `path` whose one source is the Discord API change log (Markdown) at `url`."""
    path.write_text(
        "sources:\n"
        "  - id: discord-api\n"
        "    platform: discord\n"
        "    name: Discord API change log\n"
        "    kind: changelog-markdown\n"
        f"    url: {url}\n",
        encoding="utf-8",
    )
    return path
