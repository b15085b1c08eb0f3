"""Is an entry a blog post? Its link says so: blogs live at `/blog/...` or on a `blog.` host.

A changelog's entries are changes, so one that names nothing is still a change (a feature by
default); a blog post that announces nothing is an essay, a tutorial or a story (fixes-docs).
"""

from __future__ import annotations

from urllib.parse import urlsplit

_BLOG_WORDS = frozenset({"blog", "blogs"})


def is_blog_post(url: str | None) -> bool:
    """True when a path segment of `url` is "blog" or "blogs", or a label of its host is or ends
    in "blog" (`blog.example.com`, `developers.googleblog.com`)."""
    if not url or "blog" not in url.lower():  # most links: no parse needed
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").split(".")
    if any(label.endswith("blog") for label in host):
        return True
    return any(segment.lower() in _BLOG_WORDS for segment in parts.path.split("/"))
