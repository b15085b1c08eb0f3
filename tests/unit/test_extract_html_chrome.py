"""A page without <main> loses the chrome its classes name: footer columns built from <div>s
were read as entries under the last date (Telegram's Bot API changelog: "About", "Mobile Apps")."""

from __future__ import annotations

from radar.extract import extract
from radar.model import FetchResult, Source, SourceKind

URL = "https://example.com/changelog"
SOURCE = Source(id="s", platform="x", kind=SourceKind.CHANGELOG_HTML, url=URL)

PAGE = b"""<html><body>
<div class="dev_page_head navbar navbar-static-top"><ul><li>Home</li><li>API</li></ul></div>
<div id="dev_page_content">
  <h3>March 9, 2021</h3>
  <ul><li>Added the class ChatInviteLink.</li><li>Added revokeChatInviteLink.</li></ul>
  <h3>November 4, 2020</h3><p>Introducing Bot API 5.0.</p>
  <div class="footnotes"><p>See the full notes.</p></div>
</div>
<div class="footer_wrap"><div class="footer_columns_wrap footer_desktop">
  <div class="footer_column"><h5>About</h5><ul><li>FAQ</li><li>Blog</li></ul></div>
  <div class="footer_column"><h5>Mobile Apps</h5><ul><li>iPhone/iPad</li></ul></div>
</div></div>
</body></html>"""


def _titles(page: bytes) -> list[str]:
    items = extract(SOURCE, FetchResult(URL, 200, page, "text/html; charset=utf-8"))
    return [item.title for item in items]


def test_footer_and_navbar_divs_are_not_entries() -> None:
    titles = _titles(PAGE)
    assert not {"About", "Mobile Apps", "FAQ"} & set(titles)
    assert "Added the class ChatInviteLink." in titles
    # A class that only contains the word ("footnotes") is content.
    items = extract(SOURCE, FetchResult(URL, 200, PAGE, "text/html"))
    assert any("See the full notes." in item.text for item in items)


def test_chrome_inside_an_article_is_kept() -> None:
    page = PAGE.replace(b'<div id="dev_page_content">', b'<section id="c">').replace(
        b'</div>\n<div class="footer_wrap">', b'<div class="footer_wrap">'
    )
    page = page.replace(b"</div></div>\n</body>", b"</div></div></section>\n</body>")
    # Inside a <section> a "footer" div is the section's own (its sources, its notes): kept.
    assert "About" in _titles(page)


def test_chrome_named_by_id_or_a_banner_suffix_is_dropped() -> None:
    # The id names chrome as often as the class does; a cookie notice is chrome by any suffix.
    page = PAGE.replace(b'class="dev_page_head navbar navbar-static-top"', b'id="navbar"')
    page = page.replace(
        b'<div class="footer_wrap">',
        b'<div class="cookie-banner"><h5>We use cookies</h5></div><div class="footer_wrap">',
    )
    items = extract(SOURCE, FetchResult(URL, 200, page, "text/html"))
    text = "\n".join(f"{item.title}\n{item.text}" for item in items)
    assert "Home" not in text and "We use cookies" not in text
    assert "Added revokeChatInviteLink." in text
