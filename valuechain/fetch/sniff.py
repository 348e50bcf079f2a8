"""Is a response an HTML page? Content-Type and content sniffing (pure functions)."""

from __future__ import annotations

import re

HTML_TYPES = ("text/html", "application/xhtml+xml")
# types a server sends for "unknown": the content decides
_UNKNOWN_TYPES = ("", "application/octet-stream", "application/unknown", "unknown/unknown", "binary/octet-stream")
# leading bytes of formats that are never a web page (WHATWG MIME sniffing and common files)
_SIGNATURES = [
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV audio or AVI video)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"%!PS", "a PostScript document"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00", "a binary file (MP4 video or similar)"),
]
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?[\s\x00]*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|title|script|style|div|p|h1|article|!--)[\s>/]",
    re.I | re.S,
)


def media_type(content_type: str | None) -> str:
    """``text/html; charset=utf-8`` -> ``text/html``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def refuse_by_header(content_type: str | None) -> str | None:
    """Why a response is not a page, judged by its Content-Type alone (before the body is read), or None."""
    mt = media_type(content_type)
    if mt in HTML_TYPES or mt in _UNKNOWN_TYPES:
        return None
    return f"not an HTML page (Content-Type {mt})"


def binary_kind(head: bytes) -> str | None:
    """What a body is when its first bytes show a non-HTML format, else None."""
    for sig, what in _SIGNATURES:
        if head.startswith(sig):
            if sig == b"\x00\x00\x00" and head[4:8] != b"ftyp":
                continue
            return what
    if b"\x00" in head[:1024] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data (NUL bytes)"
    return None


def looks_like_html(head: bytes) -> bool:
    """True when the first bytes start like an HTML document (after BOM, whitespace, comments)."""
    return bool(_HTML_START.match(head[:4096]))


def refuse_by_content(content_type: str | None, head: bytes) -> str | None:
    """Why a body is not an HTML page, from its first bytes and its Content-Type, or None.

    A body in a binary format is refused whatever the server called it; a body sent with an unknown
    type must start like HTML; a body sent as HTML that does not is accepted (fragments exist).
    """
    mt = media_type(content_type)
    kind = binary_kind(head)
    if kind:
        return f"content is {kind}" + (f", though served as {mt}" if mt else "")
    if mt in _UNKNOWN_TYPES and not looks_like_html(head):
        return f"not an HTML page (Content-Type {mt or 'missing'} and the content does not start like HTML)"
    return None
