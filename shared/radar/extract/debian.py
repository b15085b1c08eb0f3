"""Debian changelogs (debian/changelog) read as Markdown: an upload per entry, dated by its
trailer.

Every Debian package, and many projects that ship one (`debian/changelog` beside their own
changelog), write an upload as

    mosh (1.3.2-2) unstable; urgency=medium

      * Fix "mosh FTBFS with gcc 7" (Closes: #871030)

     -- Keith Winstein <keithw@cs.stanford.edu>  Thu, 24 Aug 2017 01:03:23 -0400

(Debian Policy, 4.4): the header names the package and the upload's version, the changes are
a list, and the date stands in the trailer after the maintainer. Read as plain text it has no
heading, and its releases' "Version 1.3.2 released" bullets were taken for them. Each header is
rewritten as a heading (`## mosh 1.3.2-2`: the distribution and urgency are the upload's
routing, not its title) with the trailer's date on the line under it, where a release's date
line is read; the trailer itself goes.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

# "package (version) distribution(s); urgency=level": the package name as Policy 5.6.1 allows it.
_HEADER = re.compile(r"([a-z0-9][a-z0-9+.-]+) \(([^()\s]+)\) [^;\n]+;[^\n]*\burgency=\w+[^\n]*")
# " -- Name <address>  Thu, 24 Aug 2017 01:03:23 -0400": one space before the dashes, two
# after the address.
_TRAILER = re.compile(r" -- [^\n<]*<[^>\n]*>  (\S[^\n]*?)[ \t]*")


# The first line with text, found without splitting the page: every Markdown page is asked.
_FIRST_LINE = re.compile(r"\ufeff*(?:[ \t\r\f\v]*\n)*([^\n]*)")


def looks_like_debian(text: str) -> bool:
    """Whether `text` opens with a Debian changelog header and holds a trailer."""
    first = _FIRST_LINE.match(text)[1].rstrip()  # type: ignore[index]
    return "urgency=" in first and _HEADER.fullmatch(first) is not None and "\n -- " in text


def debian_text(text: str) -> str:
    """`text` as Markdown when it is a Debian changelog, else itself."""
    return debian_as_markdown(text) if looks_like_debian(text) else text


def debian_as_markdown(text: str) -> str:
    out: list[str] = []
    heading = -1  # where the current upload's heading is in `out`
    for line in text.splitlines():
        header = _HEADER.fullmatch(line.rstrip())
        if header is not None:
            out.extend((f"## {header[1]} {header[2]}", ""))
            heading = len(out) - 1
            continue
        trailer = _TRAILER.fullmatch(line.rstrip())
        if trailer is not None:
            day = _day(trailer[1])
            if day and heading >= 0:
                out.insert(heading, day)  # the line under the heading: the upload's date
                out.insert(heading + 1, "")
            heading = -1
            continue
        out.append(line)
    return "\n".join(out)


def _day(written: str) -> str:
    """The trailer's RFC 2822 date as the day it names ("2017-08-24"), "" when unreadable."""
    try:
        return parsedate_to_datetime(written).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""
