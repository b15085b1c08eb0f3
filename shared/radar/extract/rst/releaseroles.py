"""Changelogs written for the Sphinx `releases` extension: release lines in one flat list.

paramiko, fabric, invoke and the other projects that use `releases` write their changelog as a
single bullet list, newest first. A line ``* :release:`1.11.5 <2014-03-13>``` marks a release;
the items below it (``* :bug:`268` ...``, ``* :feature:`...``, ``* :support:`...``), up to the
next release line, are what it shipped. Release lines in a row share the items below them: a
bug fix backported to several release families is listed once, under all of their lines.
Items above the first release line are not released yet: they are read once a release line is
written above them. (The extension itself also files features only under feature releases;
that filing is left to it: every release of a run gets every item.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from radar.dates import parse_date
from radar.extract.blocks import Block
from radar.extract.rst.scan import _Node


@dataclass(frozen=True, slots=True)
class Release:
    """One release line: its version, its date (None when unreadable) and what it shipped."""

    version: str
    day: date | datetime | None
    body: tuple[Block, ...]


def release_role_entries(nodes: Sequence[_Node]) -> list[Release]:
    """The releases of a page with `releases` release lines (see the module docstring)."""
    out: list[Release] = []
    run: list[tuple[str, str]] = []  # the release lines of the current run
    body: list[Block] = []
    for node in nodes:
        if node.release is not None:
            if body:  # an item came since: this line starts a new run
                out.extend(_releases(run, body))
                run, body = [], []
            run.append(node.release)
        elif node.block.level:
            out.extend(_releases(run, body))  # a section title ends the list
            run, body = [], []
        elif run:
            body.append(node.block)
    out.extend(_releases(run, body))
    return out


def _releases(run: list[tuple[str, str]], body: list[Block]) -> list[Release]:
    shipped = tuple(body)
    return [Release(version, parse_date(written), shipped) for version, written in run]
