"""AsciiDoc changelogs (CHANGELOG.adoc) read as Markdown: their section titles made headings.

Asciidoctor's own projects and many Java, Spring and Eclipse projects keep CHANGELOG.adoc:
`= Title`, then a section per release (`== 2.0.10 (2019-05-31) - @mojavelinux`), `Bug Fixes::`
labels over `* item` lists. Servers send it as text/plain (GitHub raw) or text/asciidoc, and
read as Markdown it has no heading at all. Rewriting the few block forms that carry structure
(titles, delimited blocks, labels, list depth) to their Markdown forms, and dropping what a
reader never sees (comments, attribute entries, preprocessor lines, block attributes), lets the
Markdown reader split it like any other changelog.

A page is AsciiDoc when it has a section title (`== Title`, not closed by `==`: WordPress
readmes write `== Changelog ==`) and either opens with a document title (`= Title`) or has no
Markdown `#` heading.
"""

from __future__ import annotations

import re

# Section titles, found after a newline (the `re` search then jumps from newline to newline).
_SECTION = re.compile(r"\n={2,6}[ \t]+[^\s=][^\n]*")
_MD_HEADING = re.compile(r"(?:\A|\n)#{1,6}[ \t]+\S")
_TITLE = re.compile(r"(={1,6})[ \t]+(\S.*?)(?:[ \t]+=+)?[ \t]*")
_COMMENT = "//"
_ATTRIBUTE = re.compile(r":!?[\w][\w-]*!?:(?:[ \t].*)?")
_PREPROCESSOR = re.compile(r"(?:ifn?def|ifeval|endif|include)::[^\[]*\[.*\]")
# A block attribute line or an anchor: `[source,ruby]`, `[NOTE]`, `[[v2-0-10]]`, `[#v2-0-10]`.
_BLOCK_ATTRIBUTES = re.compile(r"\[[^\]]*\]\]?")
_ANCHOR = re.compile(r"\[(?:\[([\w:.-]+)(?:,[^\]]*)?\]|#([\w:.-]+)[^\]]*)\]")
# Delimited blocks: listing, literal and passthrough blocks keep their lines as code; example,
# sidebar, quote and open blocks only wrap other blocks (their delimiters would read as Markdown
# setext underlines or rules).
_VERBATIM = re.compile(r"(-{4,}|\.{4,}|\+{4,}|/{4,})")
_WRAPPER = re.compile(r"={4,}|\*{4,}|_{4,}|--|\|===|'{3,}|<{3}")
_LIST_ITEM = re.compile(r"[ \t]*(\*{1,5}|-|\.{1,5})[ \t]+(\S.*)")
# A labelled list's term on its own line (`Bug Fixes::`): the label of the list under it.
_LABEL = re.compile(r"[ \t]*([^\s:/][^\n]*?)::[ \t]*")
# Links shown by their text: `https://x/y[text]`, `link:x[text]`, `{uri-repo}/commits[text]`,
# and cross references `<<id,text>>`.
_LINK = re.compile(r"(?:https?://|link:|mailto:|\{[\w-]+\})[^\s\[]*\[([^\]\n]*)\]")
_XREF = re.compile(r"<<([^,>\n]+)(?:,([^>\n]+))?>>")


def looks_like_asciidoc(text: str) -> bool:
    """Whether `text` is an AsciiDoc document (see the module docstring); cheap on Markdown."""
    if "\n==" not in text:
        return False  # most pages: no section title, told by one scan in C
    if not any(not m.group().rstrip().endswith("=") for m in _SECTION.finditer(text)):
        return False
    first = next((line for line in text.lstrip("\ufeff").splitlines() if _shown(line)), "")
    title = _TITLE.fullmatch(first)
    if title is not None and len(title.group(1)) == 1 and not first.rstrip().endswith("="):
        return True
    return _MD_HEADING.search(text) is None


def asciidoc_text(text: str) -> str:
    """`text` as Markdown when it is AsciiDoc (a CHANGELOG.adoc served as text), else itself."""
    return asciidoc_as_markdown(text) if looks_like_asciidoc(text) else text


def asciidoc_as_markdown(text: str) -> str:
    """`text` (AsciiDoc) with its structure written as Markdown (see the module docstring)."""
    out: list[str] = []
    verbatim = ""  # the delimiter of the listing or comment block the line is in
    anchor = ""
    for line in text.splitlines():
        stripped = line.rstrip()
        if verbatim:
            if stripped == verbatim:
                verbatim = ""
                out.append("" if stripped.startswith("/") else "```")
            elif not verbatim.startswith("/"):  # a comment block shows nothing
                out.append(line)
            continue
        if _VERBATIM.fullmatch(stripped):
            verbatim = stripped
            out.append("" if stripped.startswith("/") else "```")
            continue
        if not _shown(stripped) or _WRAPPER.fullmatch(stripped):
            out.append("")
            continue
        title = _TITLE.fullmatch(stripped)
        if title is not None:
            suffix = f" {{#{anchor}}}" if anchor else ""
            out.extend(("", "#" * len(title.group(1)) + " " + _inline(title.group(2)) + suffix, ""))
            anchor = ""
            continue
        if _BLOCK_ATTRIBUTES.fullmatch(stripped):
            named = _ANCHOR.fullmatch(stripped)
            anchor = (named.group(1) or named.group(2)) if named else anchor
            out.append("")
            continue
        if stripped == "+":  # a list continuation: the next block belongs to the item
            out.append("")
            continue
        item = _LIST_ITEM.fullmatch(stripped)
        if item is not None:
            marker = item.group(1)
            bullet = "1." if marker[0] == "." else "-"
            indent = "  " * (len(marker) - 1) if marker != "-" else ""
            out.append(f"{indent}{bullet} {_inline(item.group(2))}")
            continue
        label = _LABEL.fullmatch(stripped)
        if label is not None:
            out.extend(("", f"**{_inline(label.group(1))}**", ""))
            continue
        out.append(_inline(line))
    return "\n".join(out)


def _shown(line: str) -> bool:
    """Whether a line outside blocks is one a reader sees (not a comment, attribute entry or
    preprocessor directive, nor blank)."""
    stripped = line.strip()
    if not stripped:
        return False
    if stripped.startswith(_COMMENT):  # (a `////` comment block is told before)
        return False
    return not (_ATTRIBUTE.fullmatch(stripped) or _PREPROCESSOR.fullmatch(stripped))


def _inline(text: str) -> str:
    if "[" in text:
        text = _LINK.sub(lambda m: m.group(1) or m.group(0).split("[", 1)[0], text)
    if "<<" in text:
        text = _XREF.sub(lambda m: m.group(2) or m.group(1), text)
    return text
