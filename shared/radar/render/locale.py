"""Localised chrome for mail: labels, plurals, dates and category names, from data files.

One YAML file per language in `radar/render/locales/` (no Babel needed for the little Radar
says itself). Scraped content is never translated; only Radar's own words are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

# Platform ids as people write them; the rest are title-cased.
PLATFORM_NAMES = {
    "x": "X",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "whatsapp": "WhatsApp",
    "meta": "Meta",
}


@dataclass(frozen=True, slots=True)
class Locale:
    """Everything language-specific a rendered mail needs."""

    code: str
    dir: str  # "ltr" or "rtl"
    labels: Mapping[str, str]
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    categories: Mapping[str, str]
    plurals: Mapping[str, Mapping[str, str]]
    date_format: str
    short_date_format: str

    def t(self, key: str, **values: object) -> str:
        """The label `key`, with `{name}` placeholders filled."""
        text = self.labels[key]
        return text.format(**values) if values else text

    def plural(self, key: str, n: int) -> str:
        """`n` things, in the form the language uses for that number."""
        forms = self.plurals[key]
        form = _plural_form(self.code, n)
        return (forms.get(form) or forms["other"]).format(n=n)

    def date(self, value: dt.date) -> str:
        """A date with the month name in this language, e.g. 16 Nov 2026 / 16 نوفمبر 2026."""
        month = self.months[value.month - 1]
        return self.date_format.format(day=value.day, month=month, year=value.year)

    def short_date(self, value: dt.date) -> str:
        """Day and month only."""
        return self.short_date_format.format(day=value.day, month=self.months[value.month - 1])

    def category(self, category_id: str | None) -> str:
        """The category's name in this language (an unknown id is shown readably)."""
        cid = category_id or "new-feature"
        return self.categories.get(cid) or cid.replace("-", " ").capitalize()


def platform_name(platform: str) -> str:
    """How a platform id is shown: brand spelling, the same in every language."""
    return PLATFORM_NAMES.get(platform, platform.replace("-", " ").title())


@cache
def load_locale(code: str) -> Locale:
    """The locale for a language code; ValueError naming the supported ones if unknown."""
    files = resources.files("radar.render") / "locales"
    path = files / f"{code}.yaml"
    if not path.is_file():
        known = sorted(p.name.removesuffix(".yaml") for p in files.iterdir())
        raise ValueError(f"language {code!r} is not supported; use one of {', '.join(known)}")
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Locale(
        code=data["code"],
        dir=data["dir"],
        labels=dict(data["labels"]),
        months=tuple(data["months"]),
        weekdays=tuple(data["weekdays"]),
        categories=dict(data["categories"]),
        plurals={k: dict(v) for k, v in data["plural"].items()},
        date_format=data["date"],
        short_date_format=data["short_date"],
    )


def _plural_form(code: str, n: int) -> str:
    # CLDR plural rules for the languages Radar ships.
    if code == "ar":
        if n == 0:
            return "zero"
        if n == 1:
            return "one"
        if n == 2:
            return "two"
        if 3 <= n % 100 <= 10:
            return "few"
        if 11 <= n % 100 <= 99:
            return "many"
        return "other"
    return "one" if n == 1 else "other"
