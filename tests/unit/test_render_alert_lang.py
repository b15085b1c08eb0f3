"""radar.render.alert in the subscriber's language: English as before, Arabic right to left."""

from __future__ import annotations

from bs4 import BeautifulSoup

from radar.alerts.content import alert_content
from radar.render.alert import render_alert
from radar.trends.terms import load_extractor
from tests.unit.test_render_alert import COUNTS, SIGNAL, UNSUB


def rendered(lang: str, platform: bool = True):  # type: ignore[no-untyped-def]
    known = load_extractor().platform("lemon8") if platform else None
    content = alert_content(SIGNAL, COUNTS, known)
    return render_alert(content, unsubscribe_url=UNSUB, manage_url="https://r.example/m", lang=lang)


def test_render_alert_english_words_match_the_content() -> None:
    content = alert_content(SIGNAL, COUNTS, None)
    parts = render_alert(content, unsubscribe_url=UNSUB)
    assert parts.subject == content.subject
    assert content.summary in parts.text


def test_render_alert_arabic_is_rtl_with_arabic_labels() -> None:
    parts = rendered("ar")
    soup = BeautifulSoup(parts.html, "html.parser")
    html = soup.find("html")
    assert html is not None and html["dir"] == "rtl" and html["lang"] == "ar"
    assert parts.subject == "في صعود: Lemon8 (8 إشارات، مصدران)"
    assert "إلغاء الاشتراك" in parts.html and "إلغاء الاشتراك" in parts.text
    assert "text-align: right" in parts.html
    assert "مارس" in parts.html  # chart days with Arabic month names


def test_render_alert_arabic_new_name_subject() -> None:
    assert rendered("ar", platform=False).subject.startswith("اسم جديد في صعود: ")


def test_render_alert_arabic_escapes_scraped_titles() -> None:
    html = rendered("ar").html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_render_alert_arabic_says_the_rise_in_arabic_words() -> None:
    parts = rendered("ar")
    assert "ارتفعت الإشارات إلى Lemon8 من أقل من إشارة في اليوم إلى 8 خلال آخر 24 ساعة" in (
        parts.text
    )
    assert "expected" not in parts.text and "Mentions of" not in parts.html
