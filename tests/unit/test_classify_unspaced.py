"""Rule patterns in scripts written without spaces (Chinese, Japanese, Korean): matched anywhere,
and only ever tried on a text that holds such a character."""

from __future__ import annotations

import re

import pytest

from radar.classify.matcher import Matcher
from radar.classify.rules import compiled
from tests.support.classify import classified


def test_a_pattern_in_an_unspaced_script_matches_inside_a_run_of_it() -> None:
    # "networkチャート廃止": no word boundary falls before "廃止" (abolished).
    assert compiled("廃止").search("ネットワークチャート廃止") is not None
    # ... while an English pattern still starts at a word: "ads" is not in "loads".
    assert compiled("ads").search("loads") is None


def test_an_ascii_text_never_tries_an_unspaced_pattern() -> None:
    tried: list[str] = []

    def counting(source: str) -> re.Pattern[str]:
        tried.append(source)
        return compiled(source)

    matcher = Matcher(["deprecat", "廃止", "修正|修复"], counting)
    assert matcher.hits("Deprecated the old API", 10) == ({0}, {0})
    assert "廃止" not in tried and "修正|修复" not in tried  # never compiled, never run
    assert matcher.hits("バグを修正", 100) == ({2}, {2})
    assert matcher.hits("networkチャート廃止", 0) == (set(), {1})


@pytest.mark.parametrize(
    ("title", "text", "want"),
    [
        # Misskey's shape: English section names over Japanese items
        (
            "12.105.0",
            "Improvements\n- インスタンスのテーマカラーを設定できるように\n"
            "Bugfixes\n- 一部環境でマイグレーションが失敗する問題を修正",
            ("new-feature", "notable"),
        ),
        (
            "12.103.1",
            "Bugfixes\n- ツールチップの表示位置が正しくない問題を修正",
            ("fixes-docs", "minor"),
        ),
        ("2.0", "破坏性变更：移除旧版接口", ("breaking-change", "action")),
        ("3.1", "该字段已被弃用，将在下个版本中移除", ("deprecation", "action")),
        ("1.2", "보안 취약점 수정", ("privacy-safety-security", "notable")),
        # sections named in Chinese: a release is read by them as by "Features" / "Bug fixes"
        ("v2.1.0", "新功能\n- 支持多语言\n修复\n- 修复登录问题", ("new-feature", "notable")),
        (
            "v2.0.0",
            "破坏性变更\n- 接口返回格式调整\n新功能\n- 支持多语言",
            ("breaking-change", "action"),
        ),
        ("v2.0.1", "修复\n- 登录问题", ("fixes-docs", "minor")),
    ],
)
def test_changelogs_in_chinese_japanese_and_korean(
    title: str, text: str, want: tuple[str, str]
) -> None:
    assert classified(title, text) == want
