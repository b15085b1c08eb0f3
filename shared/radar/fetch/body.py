"""Reading a response body under a size cap, decompressing it ourselves.

httpx would decompress for us, but without a bound: a 1 MB gzip of zeros becomes 1 GB in memory.
Here the raw bytes are fed to incremental decoders that are never asked for more than what is
left under the cap, so a decompression bomb is stopped having produced about `cap` bytes
(one 64 KB step more at most).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import brotli

from radar.errors import ContentEncodingError, ResponseTooLarge

ACCEPT_ENCODING = "gzip, deflate, br"


# Decoders hand out at most about this much at a time, so the body never overshoots the cap by
# more than one step, however much a few compressed bytes expand to.
_STEP = 64 * 1024


class _Decoder(Protocol):
    def decode(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces of `data` (about `_STEP` bytes at most each); stop pulling to stop."""

    def finished(self) -> bool:
        """Whether the stream ended where its format says it ends (not cut off)."""


class _Identity:
    def decode(self, data: bytes) -> Iterator[bytes]:
        yield data

    def finished(self) -> bool:
        return True  # a short plain body is caught by the HTTP framing (Content-Length, chunks)


class _Zlib:
    """gzip, or deflate with or without its zlib wrapper (servers send both)."""

    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._d = zlib.decompressobj(wbits)
        self._raw_fallback = raw_fallback
        self._started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        try:
            piece = self._d.decompress(data, _STEP)
        except zlib.error:
            if self._raw_fallback and not self._started:
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                self._raw_fallback = False
                yield from self.decode(data)
                return
            raise
        self._started = True
        yield piece
        # A full piece means zlib stopped for room, not for input: ask for the rest.
        while len(piece) == _STEP and not self._d.eof:
            piece = self._d.decompress(self._d.unconsumed_tail, _STEP)
            yield piece

    def finished(self) -> bool:
        # eof: zlib saw the end of the stream (and, for gzip, checked its CRC and length).
        return self._d.eof


class _Brotli:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def decode(self, data: bytes) -> Iterator[bytes]:
        yield self._d.process(data, output_buffer_limit=_STEP)
        # With a limit brotli keeps output back, to be drained with empty input.
        while not self._d.can_accept_more_data():
            yield self._d.process(b"", output_buffer_limit=_STEP)

    def finished(self) -> bool:
        return bool(self._d.is_finished())


_DECODERS: dict[str, Callable[[], _Decoder]] = {
    "": _Identity,
    "identity": _Identity,
    "gzip": lambda: _Zlib(16 + zlib.MAX_WBITS),
    "x-gzip": lambda: _Zlib(16 + zlib.MAX_WBITS),
    "deflate": lambda: _Zlib(zlib.MAX_WBITS, raw_fallback=True),
    "br": _Brotli,
}


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} KB"


def too_large(url: str, cap: int) -> ResponseTooLarge:
    """The error for a body over the cap, in words."""
    return ResponseTooLarge(
        f"{url} is larger than {_size(cap)} (after decompression); Radar stopped reading at the cap"
    )


def read_body(
    chunks: Iterable[bytes],
    content_encoding: str | None,
    cap: int,
    *,
    url: str,
    truncate: bool = False,
    tick: Callable[[], None] = lambda: None,
) -> bytes:
    """The decoded body, at most `cap` bytes.

    Over the cap: ResponseTooLarge, or with `truncate` the first `cap` bytes (robots.txt is read
    that way, as RFC 9309 allows). A compressed stream that stops before its end (or is broken)
    raises ContentEncodingError. `tick` runs before each raw chunk (the fetcher's deadline).
    """
    coding = (content_encoding or "").strip().lower()
    make = _DECODERS.get(coding)
    if make is None:
        raise ContentEncodingError(
            f"{url} came compressed as {coding!r}, which Radar did not ask for and cannot read"
        )
    decoder = make()
    out = bytearray()
    raw_seen = 0
    try:
        for chunk in chunks:
            tick()
            raw_seen += len(chunk)
            for piece in decoder.decode(chunk):
                out += piece
                if len(out) > cap:
                    if truncate:
                        return bytes(out[:cap])
                    raise too_large(url, cap)
            if raw_seen > cap and not truncate:  # compressed, yet bigger than the cap
                raise too_large(url, cap)
    except (zlib.error, brotli.error) as exc:
        raise ContentEncodingError(f"{url} sent a broken {coding} body ({exc})") from exc
    if raw_seen and not decoder.finished():
        # A cut-off stream decodes to a plausible prefix of the page: taking it for the whole
        # page would report every entry after the cut as removed.
        raise ContentEncodingError(
            f"{url} sent a truncated {coding} body (the compressed stream ends early)"
        )
    return bytes(out)
