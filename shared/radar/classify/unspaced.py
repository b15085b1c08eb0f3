"""Rule patterns in scripts written without spaces between words (Chinese, Japanese, Korean).

A rule pattern is matched from a word start (`\\b`), which in English keeps "add" out of
"address". Chinese and Japanese put no space between words, and Korean attaches endings and
compounds to a word, so a word there starts wherever the writer's sense says: `\\b` falls only
at the edges of a run of such characters, and "廃止" (abolished) would never match inside
"ネットワークチャート廃止". A pattern that opens with such a character is matched anywhere
instead. Such a pattern can only match a text that holds that character, so an ASCII text (most
entries) never tries it.
"""

from __future__ import annotations

import re

from radar.classify.literals import split_top

# Han (with extension A and compatibility ideographs), Hiragana, Katakana (with its phonetic
# extensions and halfwidth forms) and Hangul syllables.
_UNSPACED = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]"
)


def opens_unspaced(source: str) -> bool:
    """Whether every top-level alternative of the pattern `source` opens with a character of
    those scripts: a match starts with one."""
    return bool(source) and all(_UNSPACED.match(a) for a in split_top(source))


def holds_unspaced(text: str) -> bool:
    """Whether `text` has a character of those scripts anywhere."""
    return _UNSPACED.search(text) is not None
