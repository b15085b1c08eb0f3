"""Inline markup -> shown text: roles, literals, emphasis, substitutions, references.

One regex pass per paragraph; each match is replaced by what Sphinx would show
(`:class:`~a.B`` -> `B`, `` `title <url>`_ `` -> `title`, `|name|` -> its replacement).
"""

from __future__ import annotations

import re

from radar.text import normalize_text

# Sphinx adds "()" to the shown name of functions and methods (add_function_parentheses).
_CALLABLE_ROLES = frozenset({"func", "meth", "py:func", "py:meth", "c:func", "cpp:func"})

# One pass over a paragraph: the first alternative that matches at a position wins, so the
# content of a literal or a role is never read again as markup. Every alternative's content
# stops at the next delimiter, which keeps the pass linear on hostile input.
_INLINE = re.compile(
    r"""
    \\(?P<esc>.)                                                      # backslash escape
  | (?<![\w\\])``(?P<lit>(?:[^`]|`(?!`))+)``(?![\w])                  # ``literal``
  | (?<![\w\\`]):(?P<role>[A-Za-z][\w.+-]*(?::[A-Za-z][\w.+-]*)?):
      `(?P<rtext>[^`]+)`(?![\w`])                                     # :role:`text`
  | (?<![\w\\`])`(?P<itext>[^`]+)`
      (?::(?P<srole>[A-Za-z][\w.+-]*(?::[A-Za-z][\w.+-]*)?):|__?)?(?![\w`])  # `text`, `x`_
  | (?<![\w\\*])\*\*(?P<strong>(?:[^*\\]|\\.|\*(?!\*))+)(?<=\S)\*\*(?![\w*])  # **strong**
  | (?<![\w\\*])\*(?P<em>(?:[^*\\]|\\.)+)(?<=\S)\*(?![\w*])          # *emphasis*
  | (?<![\w\\|])\|(?P<subst>[^|\s](?:[^|]*[^|\s])?)\|(?:__?)?(?![\w|])  # |substitution|
  | (?<![\w\\])\[(?P<fnote>\#[\w-]*|\*|\d+|[A-Za-z][\w.-]*)\]_(?![\w])  # [1]_ [#x]_ [CIT]_
  | (?<![\w\\`])(?P<ref>[A-Za-z0-9]+(?:[-.+][A-Za-z0-9]+|_(?=[A-Za-z0-9]))*)__?(?![\w])  # ref_
    """,
    re.VERBOSE | re.DOTALL,
)
_EXPLICIT_TITLE = re.compile(r"^(?P<title>.*?)\s*<(?P<target>[^<>]*)>$", re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _inline(text: str, subs: dict[str, str]) -> str:
    """`text` with inline markup reduced to what a reader sees."""
    if not any(ch in text for ch in "\\`*|_["):
        return normalize_text(text)
    return normalize_text(_INLINE.sub(lambda m: _shown(m, subs), text))


def _shown(match: re.Match[str], subs: dict[str, str]) -> str:
    group = match.lastgroup
    value = match.group(group) if group else match.group(0)
    if group == "esc":
        return "" if value.isspace() else value
    if group == "lit":
        return value
    if group == "rtext":
        return _role_text(match.group("role"), value)
    if group in ("itext", "srole"):
        return _role_text(match.group("srole") or "", match.group("itext"))
    if group in ("strong", "em"):
        return _ESCAPE.sub(r"\1", value)
    if group == "subst":
        return subs.get(value, "")
    if group == "fnote":
        # A footnote shows as a superscript number; a citation as its label in brackets.
        return "" if value[0] in "#*" or value.isdigit() else f"[{value}]"
    return value  # a named reference (`name_`) shows its name


def _role_text(role: str, content: str) -> str:
    """What Sphinx shows for `:role:`content`` (or a hyperlink reference's text)."""
    content = _ESCAPE.sub(r"\1", content).strip()
    explicit = _EXPLICIT_TITLE.match(content)
    if explicit and explicit.group("title"):
        return explicit.group("title")
    if explicit:
        content = explicit.group("target")  # `<https://...>`_ shows the URL
    content = content.lstrip("!")
    if content.startswith("~"):
        content = content[1:].rsplit(".", 1)[-1]
    if role.lower() in _CALLABLE_ROLES and content and not content.endswith(")"):
        content += "()"
    return content
