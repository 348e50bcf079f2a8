"""Ingest: raw review bytes -> decoded reference text + brunch layout metadata.

The decoded text (BOM stripped, CRLF/CR -> LF, NFC) is the single reference for every
character offset the pipeline writes. Later stages analyse only ``spans`` (title, subtitle,
body); the platform line, byline, keyword block and navigation are kept in the text but skipped.
"""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from charset_normalizer import from_bytes


class RejectedInput(ValueError):
    """A file that cannot become a review; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Magic numbers of common binary formats that arrive renamed as .txt
_BINARY_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive (docx/xlsx/hwpx?)",
    b"\xd0\xcf\x11\xe0": "OLE2 document (doc/hwp?)",
    b"\x7fELF": "ELF executable",
    b"\x1f\x8b": "gzip archive",
}


def normalize_text(text: str) -> str:
    """CRLF and lone CR to LF, then Unicode NFC (Korean jamo sequences become syllables)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes) -> Decoded:
    """Decode by BOM, then strict UTF-8, then a maintained detector (charset-normalizer)."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise RejectedInput("empty", "file is empty or whitespace only")
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise RejectedInput("binary", f"looks like a {kind}, not text")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(normalize_text(data.decode(enc)), enc)
    try:
        return Decoded(normalize_text(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise RejectedInput("binary", "contains NUL bytes and no UTF-16/32 byte-order mark")
    best = from_bytes(data, cp_isolation=["cp949", "euc_kr", "utf_16", "johab", "cp1252", "latin_1"]).best()
    if best is None:
        raise RejectedInput("undecodable", "no text encoding fits (binary data?)")
    enc = best.encoding
    if enc in {"euc_kr", "johab"}:
        enc = "cp949"  # superset of EUC-KR used by Windows; decodes the extended syllables too
    text = normalize_text(data.decode(enc, errors="strict"))
    return Decoded(text, enc, [f"decoded as {enc} by detection"])


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- brunch layout

@dataclass
class Span:
    label: str  # title | subtitle | body | text
    start: int
    end: int


@dataclass
class Review:
    review_id: str
    text: str
    layout: str  # brunch | plain
    title: str = ""
    subtitle: str = ""
    author: str = ""
    book_title: str = ""
    book_author: str = ""
    spans: list[Span] = field(default_factory=list)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""
    source: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Review":
        d = dict(d)
        d["spans"] = [Span(**s) for s in d.get("spans", [])]
        return cls(**d)


_FOOTER_EXACT = {"keyword", "라이킷", "댓글", "공유", "구독", "작가의 글이 마음에 드셨나요?"}
_FOOTER_PREFIX = ("작가의 이전글", "작가의 다음글", "매거진의 이전글", "매거진의 다음글",
                  "브런치북의 이전글", "브런치북의 다음글", "이 브런치북", "이 매거진")
_QUOTED = re.compile(r"『([^』]+)』|「([^」]+)」|《([^》]+)》|〈([^〉]+)〉|<([^<>]+)>|'([^']+)'|\"([^\"]+)\"|‘([^’]+)’|“([^”]+)”")
_AUTHOR_ROLE = re.compile(r"\s*(기자|교수|작가|저자|연구원|연구위원|대표|애널리스트|칼럼니스트|편집장|박사|씨)\s*(의|가|이|는|은)?\s*$")
_AUTHOR_TAIL = re.compile(r"\s*(지음|저|글|씀|著)\s*$")


def _lines(text: str):
    """Yield (start, end, stripped line) for each line, offsets into text (end excludes the LF)."""
    pos = 0
    for raw in text.split("\n"):
        yield pos, pos + len(raw), raw.strip()
        pos += len(raw) + 1


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_footer(line: str) -> bool:
    return line in _FOOTER_EXACT or line.startswith(_FOOTER_PREFIX)


def split_book_reference(s: str) -> tuple[str, str]:
    """Book title and author from a line like ``X 기자의 'TITLE'`` or ``『TITLE』(X 지음)``."""
    m = _QUOTED.search(s)
    if not m:
        return "", ""
    title = next(g for g in m.groups() if g).strip()
    before = s[: m.start()].strip()
    after = s[m.end():].strip().strip("()[] ")
    who = before or after
    who = re.sub(r"\s*의\s*$", "", who)
    who = _AUTHOR_TAIL.sub("", who)
    who = _AUTHOR_ROLE.sub("", who).strip(" ,·-")
    words = who.split()
    # drop a trailing affiliation: a word with Latin letters or an organisation suffix
    while len(words) > 1 and (re.search(r"[A-Za-z]", words[-1]) or re.search(
            r"(신문|일보|출판|출판사|경제|대학교|대학|연구소|그룹|전자|미디어|방송)$", words[-1])):
        words.pop()
    return title, " ".join(words)


def parse_review(review_id: str, text: str) -> Review:
    """Recognise the brunch copy-paste layout; anything else is analysed whole."""
    lines = [(s, e, t) for s, e, t in _lines(text)]
    nonempty = [(i, s, e, t) for i, (s, e, t) in enumerate(lines) if t]
    if not nonempty or nonempty[0][3].lower() != "brunch" or len(nonempty) < 3:
        s, e = _trim(text, 0, len(text))
        return Review(review_id, text, "plain", spans=[Span("text", s, e)] if e > s else [])
    rv = Review(review_id, text, "brunch")
    k = 1
    header: list[tuple[int, int, str]] = []
    while k < len(nonempty) and len(header) < 2 and not nonempty[k][3].startswith("by "):
        header.append(nonempty[k][1:])
        k += 1
    if k < len(nonempty) and nonempty[k][3].startswith("by "):
        rv.author = nonempty[k][3][3:].strip()
        k += 1
    for label, (s, e, t) in zip(("title", "subtitle"), header):
        s, e = _trim(text, s, e)
        setattr(rv, label, text[s:e])
        rv.spans.append(Span(label, s, e))
    body_start = nonempty[k][1] if k < len(nonempty) else len(text)
    body_end = len(text)
    for i, s, e, t in nonempty[k:]:
        if _is_footer(t):
            body_end = s
            break
    bs, be = _trim(text, body_start, body_end)
    if be > bs:
        rv.spans.append(Span("body", bs, be))
    for src in (rv.subtitle, rv.title):
        bt, ba = split_book_reference(src)
        if bt:
            rv.book_title, rv.book_author = bt, ba
            break
    return rv


def ingest_bytes(review_id: str, data: bytes, source: str = "") -> Review:
    """Decode and parse one review file's bytes (raises RejectedInput)."""
    dec = decode_bytes(data)
    rv = parse_review(review_id, dec.text)
    rv.encoding, rv.warnings, rv.sha256, rv.source = dec.encoding, list(dec.warnings), sha256_bytes(data), source
    hangul = sum(1 for ch in dec.text if "\uac00" <= ch <= "\ud7a3")
    letters = sum(1 for ch in dec.text if ch.isalpha())
    if letters and hangul / letters < 0.2:
        rv.warnings.append(f"little Korean found ({hangul} Hangul syllables of {letters} letters)")
    return rv
