"""Names a user types on the command line (platforms, categories): unknown ones are usage
errors that say which name is unknown, suggest the close ones and list the known ones.

`radar pull --platform discrod` once wrote an empty pack and said nothing (issue 14).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

import click

from radar.text import comma_set


def check_known(given: Collection[str], known: Iterable[str], *, what: str, param: str) -> None:
    """Raise a usage error (exit 2) naming the first of `given` not in `known`:
    "unknown platform 'discrod' (did you mean discord?); known: discord, instagram, ..."."""
    from radar.subscriptions.names import unknown_message

    names = set(known)
    unknown = sorted(set(given) - names)
    if unknown:
        raise click.BadParameter(unknown_message(what, unknown[0], names), param_hint=param)


def known_platforms(catalog: Path | None) -> set[str]:
    """Platforms whose changes can be stored: those of the catalog in use, and of the built-in
    one (a name Radar knows is never a typo, even when your catalog has no source for it)."""
    from radar.subscriptions.names import catalog_platforms

    return set(catalog_platforms(catalog))


def subscribe_names(
    platforms: str | None, categories: str | None, catalog: Path | None
) -> tuple[frozenset[str], frozenset[str]]:
    """The platform and category ids a subscriber typed (`--platforms X,Instagram` is
    {"x", "instagram"}: any spelling the alias table knows, in any case); a usage error for
    an unknown one, naming the known ones (radar.subscriptions.names)."""
    from radar.catalog.loader import load_rules
    from radar.subscriptions.names import UnknownName, catalog_platform_names, known_categories

    try:
        wanted_platforms = catalog_platform_names(catalog).resolve(comma_set(platforms))
    except UnknownName as exc:
        raise click.BadParameter(str(exc), param_hint="--platforms") from None
    try:
        known = set(load_rules(catalog).category_ids)
        wanted_categories = known_categories(comma_set(categories), known)
    except UnknownName as exc:
        raise click.BadParameter(str(exc), param_hint="--categories") from None
    return wanted_platforms, wanted_categories
