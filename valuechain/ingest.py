"""Ingest: raw review bytes -> decoded reference text + brunch layout metadata.

The decoded text (BOM stripped, CRLF/CR -> LF, NFC) is the single reference for every
character offset the pipeline writes; for an HTML page it is the article text extracted from the
markup (``valuechain.html_extract``), laid out like a brunch copy-paste. Later stages analyse only ``spans`` (title, subtitle,
body); the platform line, byline, keyword block and navigation are kept in the text but skipped.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import threading
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

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


# zero-width and invisible format characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen) inside a
# word of Hangul (syllables or jamo), Latin letters, digits, Han or kana: invisible, but they split a
# name for the tokenizer (엔비<ZWSP>디아 is read as 엔비디아). Elsewhere (emoji sequences, other scripts)
# they are kept.
_WORDISH = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ffA-Za-z0-9\u4e00-\u9fff\u3040-\u30ff"
_ZERO_WIDTH_IN_WORD = re.compile(f"(?<=[{_WORDISH}])[\u200b-\u200d\u2060\ufeff\u00ad]+(?=[{_WORDISH}])")


def normalize_counting(text: str) -> tuple[str, int]:
    """CRLF and lone CR to LF, zero-width characters inside words removed, then Unicode NFC (Korean jamo
    sequences become syllables); also returns how many zero-width characters were removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    n = len(text)
    text = _ZERO_WIDTH_IN_WORD.sub("", text)
    return unicodedata.normalize("NFC", text), n - len(text)


def normalize_text(text: str) -> str:
    """:func:`normalize_counting` without the count."""
    return normalize_counting(text)[0]


# C0 controls other than TAB, LF, VT, FF, CR; DEL; C1 controls
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_LETTER = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_VISIBLE = re.compile(r"[^\s\u200b\u200c\u200d\u2060\ufeff]")
_NON_BLANK_BYTE = re.compile(rb"[^ \t\r\n\x00]")
# Python codec names -> the name recorded in reviews.csv; EUC-KR is read as its superset CP949
_KOREAN_CODECS = {"euc_kr", "cp949"}  # johab and iso2022_kr are different byte layouts


def _count(rx: re.Pattern, text: str, chunk: int = 1 << 16) -> int:
    """Characters matched by ``rx`` (a pattern for runs, ``[...]+``) in bounded memory."""
    return sum(sum(map(len, rx.findall(text, i, i + chunk))) for i in range(0, len(text), chunk))


def count_hangul(text: str) -> int:
    """Number of precomposed Hangul syllables."""
    return _count(_HANGUL, text)


def is_mostly_korean(text: str, sample: int = 200_000) -> bool:
    """Do the non-ASCII letters of ``text`` read as Korean?

    At least 60% of them must be Hangul syllables and half of those in the 2,350 common syllables
    of KS X 1001. Text in another legacy encoding misread as CP949 fails this: Latin-1 or
    Shift-JIS bytes land in CP949's rare extended syllables, EUC-JP kana in compatibility jamo,
    GB2312 mostly in hanja.
    """
    counts = Counter(text[:sample])
    letters = [(ch, k) for ch, k in counts.items() if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return False
    n_letters = n_hangul = n_common = 0
    for ch, k in letters:
        n_letters += k
        if "\uac00" <= ch <= "\ud7a3":
            n_hangul += k
            b = ch.encode("cp949")  # KS X 1001 syllables: rows 0xB0-0xC8, both bytes >= 0xA1
            if b[0] >= 0xB0 and b[1] >= 0xA1:
                n_common += k
    return n_hangul >= 0.6 * n_letters and n_common >= 0.5 * n_hangul


_FFFD_RUN = re.compile("\ufffd+")


def _strict_korean(data: bytes) -> str | None:
    """The text, if the bytes decode strictly as CP949 into mostly Korean text."""
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError:
        return None
    return text if is_mostly_korean(text) else None


def _is_single_byte(enc: str) -> bool:
    """Codecs that map every byte to some character (so decoding them never fails)."""
    return enc == "ascii" or enc.startswith(("cp125", "iso8859", "mac-", "cp437", "cp850", "koi8"))


def _looks_western(text: str) -> bool:
    """Latin text with a few accented letters (Western text misread from CJK bytes is mostly accents)."""
    text = text[:200_000]
    letters = _count(_LETTER, text)
    odd = [
        ch
        for ch in set(text)
        if ord(ch) > 127
        and not (unicodedata.category(ch)[0] in "PSZ" or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")))
    ]
    accented = sum(1 for ch in text if ord(ch) > 127 and ch.isalpha())
    return not odd and 0 < accented <= 0.3 * letters


_BAD_BYTES = threading.local()


def _replace_and_count(exc: UnicodeDecodeError) -> tuple[str, int]:
    n = exc.end - exc.start
    _BAD_BYTES.n = getattr(_BAD_BYTES, "n", 0) + n
    return "\ufffd" * n, exc.end


codecs.register_error("valuechain.replace_and_count", _replace_and_count)


def _decode_counting(data: bytes, enc: str) -> tuple[str, int]:
    """Decode, replacing each undecodable byte by U+FFFD; returns (text, number of bad bytes)."""
    _BAD_BYTES.n = 0
    text = data.decode(enc, errors="valuechain.replace_and_count")
    return text, _BAD_BYTES.n


def _codec(name: str | None) -> str | None:
    """Canonical Python codec name (``codecs.lookup(...).name``: utf-8, iso8859-1, cp1252, ...) of a
    declared or detected charset; the EUC-KR family becomes cp949, its superset."""
    if not name:
        return None
    try:
        enc = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "cp949" if enc in _KOREAN_CODECS else enc


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text that lost its byte-order mark: accept only when it then reads as ordinary text."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        ok = sum(
            1
            for ch in text[:20_000]
            if ch in "\t\n\r"
            or " " <= ch <= "~"
            or "\uac00" <= ch <= "\ud7a3"
            or "\u3000" <= ch <= "\u303f"
            or unicodedata.category(ch)[0] in "PZ"
        )
        if ok >= 0.95 * min(len(text), 20_000):
            return text, enc
    return None


def _zero_width_note(n: int) -> str:
    return f"{n} zero-width character(s) inside words removed (U+200B-U+200D, U+2060, U+FEFF, U+00AD)"


def _finish(text: str, encoding: str, warnings: list[str]) -> Decoded:
    text, n_zw = normalize_counting(text)
    if n_zw:
        warnings.append(_zero_width_note(n_zw))
    if not _VISIBLE.search(text):
        raise RejectedInput("empty", f"no visible text after decoding as {encoding}")
    n_ctrl = _count(_CONTROL, text) if _CONTROL.search(text) else 0
    if n_ctrl:
        if "\x00" in text or n_ctrl > max(3, len(text) // 200):
            first = "NUL" if "\x00" in text else f"U+{ord(_CONTROL.search(text).group()[0]):04X}"
            raise RejectedInput(
                "binary", f"{n_ctrl} control character(s) (e.g. {first}) after decoding as {encoding}: not a text file"
            )
        warnings.append(f"{n_ctrl} control character(s) in the text")
    return Decoded(text, encoding, warnings)


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Bytes -> reference text, recording the encoding used.

    Order: byte-order mark; strict UTF-8; the charset an HTML page declares (``declared``);
    UTF-16 without BOM (only when NUL bytes are present and the result reads as text); strict
    CP949 when the result is mostly Hangul (charset-normalizer mis-reads or gives up on short
    CP949 texts); UTF-8 or Korean CP949 with at most 1% bad bytes (replaced by U+FFFD, with a
    warning); cp1252 for Latin text with a few accented letters; the charset-normalizer detector
    for everything else.
    Raises RejectedInput(empty|binary|undecodable).
    """
    if not _NON_BLANK_BYTE.search(data, next((len(b) for b, _ in _BOMS if data.startswith(b)), 0)):
        raise RejectedInput("empty", "file is empty or whitespace only")
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise RejectedInput("binary", f"looks like a {kind}, not text")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text, bad = _decode_counting(data, enc)
            warn = [f"{bad} undecodable byte(s) replaced by U+FFFD"] if bad else []
            if bad > max(3, len(data) // 100):
                raise RejectedInput(
                    "undecodable", f"starts with a {enc} byte-order mark but {bad} bytes are not valid {enc}"
                )
            return _finish(text, enc, warn)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        dec = _codec(declared)
        warn = (
            [f"page declares charset {declared} but the bytes are valid UTF-8; decoded as utf-8"]
            if dec and dec not in ("utf-8", "ascii") and not data.isascii()
            else []
        )
        return _finish(text, "utf-8", warn)
    dec = _codec(declared)
    declared_note = []
    if dec and not dec.startswith(("utf-8", "utf-16", "utf-32")):
        try:
            text = data.decode(dec)
        except UnicodeDecodeError:
            declared_note = [f"page declares charset {declared} but the bytes do not fit it"]
        else:
            korean = _strict_korean(data) if dec != "cp949" and _is_single_byte(dec) else None
            if korean is not None:
                # a Latin charset decodes any bytes; Korean pages mislabelled as such are common
                return _finish(
                    korean, "cp949", [f"page declares charset {declared} but the bytes read as Korean cp949"]
                )
            return _finish(text, dec, [])
    if b"\x00" in data[:65536]:
        u16 = _utf16_without_bom(data)
        if u16 is not None:
            return _finish(
                u16[0],
                u16[1],
                declared_note + [f"no byte-order mark; read as {u16[1]} because the bytes then form ordinary text"],
            )
        raise RejectedInput("binary", "contains NUL bytes and is not UTF-16/32 text")
    korean = _strict_korean(data)
    if korean is not None:
        return _finish(
            korean,
            "cp949",
            declared_note + ["not UTF-8; decoded as cp949 (EUC-KR/Windows Korean): strict decoding gives Korean text"],
        )
    # nearly valid UTF-8 (a truncated or slightly damaged file), or Korean CP949 with a few bad
    # bytes: at most one bad stretch per 100 well-decoded non-ASCII characters (and at least 10)
    candidates = []
    for enc in ("utf-8", "cp949"):
        text, bad = _decode_counting(data, enc)
        if not bad:
            continue
        runs = len(_FFFD_RUN.findall(text))
        good = _count(_NON_ASCII, text) - bad
        if good >= 10 * runs and runs <= max(1, good // 100) and (enc == "utf-8" or is_mostly_korean(text)):
            candidates.append((runs, enc, text))
    if candidates:
        runs, enc, text = min(candidates)
        return _finish(
            text,
            enc,
            declared_note
            + [f"{runs} stretch(es) of bytes not valid {enc} (damaged or truncated file?) replaced by U+FFFD"],
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_western(text):
            return _finish(text, "cp1252", declared_note + ["not UTF-8; decoded as cp1252 (Western European)"])
    best = from_bytes(data).best()
    if best is not None:
        enc = _codec(best.encoding) or best.encoding
        try:
            return _finish(data.decode(enc), enc, declared_note + [f"decoded as {enc} by detection"])
        except UnicodeDecodeError:
            pass
    raise RejectedInput(
        "undecodable", "no text encoding fits (tried UTF-8/16/32, CP949/EUC-KR and charset detection): binary data?"
    )


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
    date: str = ""  # publication date found in the file itself (HTML pages), YYYY-MM-DD

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Review:
        known = {f.name for f in fields(cls)}
        d = {k: v for k, v in d.items() if k in known}  # tolerate records from older/newer versions
        d["spans"] = [Span(**s) for s in d.get("spans", [])]
        return cls(**d)


_FOOTER_EXACT = {"keyword", "라이킷", "댓글", "공유", "구독", "작가의 글이 마음에 드셨나요?"}
_FOOTER_PREFIX = (
    "작가의 이전글",
    "작가의 다음글",
    "매거진의 이전글",
    "매거진의 다음글",
    "브런치북의 이전글",
    "브런치북의 다음글",
    "이 브런치북",
    "이 매거진",
)
_QUOTED = re.compile(
    r"『([^』]+)』|「([^」]+)」|《([^》]+)》|〈([^〉]+)〉|<([^<>]+)>|'([^']+)'|\"([^\"]+)\"|‘([^’]+)’|“([^”]+)”"
)
_AUTHOR_ROLE = re.compile(
    r"\s*(기자|교수|작가|저자|연구원|연구위원|대표|애널리스트|칼럼니스트|편집장|박사|씨)\s*(의|가|이|는|은)?\s*$"
)
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
    after = s[m.end() :].strip().strip("()[] ")
    who = before or after
    who = re.sub(r"\s*의\s*$", "", who)
    who = _AUTHOR_TAIL.sub("", who)
    who = _AUTHOR_ROLE.sub("", who).strip(" ,·-")
    words = who.split()
    # drop a trailing affiliation: a word with Latin letters or an organisation suffix
    while len(words) > 1 and (
        re.search(r"[A-Za-z]", words[-1])
        or re.search(r"(신문|일보|출판|출판사|경제|대학교|대학|연구소|그룹|전자|미디어|방송)$", words[-1])
    ):
        words.pop()
    return title, " ".join(words)


def _is_byline(line: str) -> bool:
    return line.startswith("by ") or line == "by"


def parse_review(review_id: str, text: str, footer: bool = True) -> Review:
    """Recognise the brunch copy-paste layout; anything else is analysed whole.

    ``footer=False`` keeps every line after the byline in the body (text extracted from an HTML
    page has no footer, so a paragraph that happens to read like one must not end the body).
    """
    lines = [(s, e, t) for s, e, t in _lines(text)]
    nonempty = [(i, s, e, t) for i, (s, e, t) in enumerate(lines) if t]
    if not nonempty or nonempty[0][3].lower() != "brunch" or len(nonempty) < 3:
        s, e = _trim(text, 0, len(text))
        return Review(review_id, text, "plain", spans=[Span("text", s, e)] if e > s else [])
    rv = Review(review_id, text, "brunch")
    k = 1
    header: list[tuple[int, int, str]] = []
    while k < len(nonempty) and len(header) < 2 and not _is_byline(nonempty[k][3]):
        header.append(nonempty[k][1:])
        k += 1
    if k < len(nonempty) and _is_byline(nonempty[k][3]):
        rv.author = nonempty[k][3][3:].strip()
        k += 1
    for label, (s, e, _t) in zip(("title", "subtitle"), header):
        s, e = _trim(text, s, e)
        setattr(rv, label, text[s:e])
        rv.spans.append(Span(label, s, e))
    body_start = nonempty[k][1] if k < len(nonempty) else len(text)
    body_end = len(text)
    for _i, s, _e, t in nonempty[k:]:
        if footer and _is_footer(t):
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


HTML_SUFFIXES = (".html", ".htm")


def ingest_bytes(review_id: str, data: bytes, source: str = "", html: bool | None = None) -> Review:
    """Decode and parse one review file's bytes (raises RejectedInput).

    ``html`` None: decide by the suffix of ``source`` (.html/.htm), or by the content for a text
    file that is in fact a saved web page. For HTML the reference text is the extracted article
    text (brunch pages in the brunch copy-paste layout), not the markup.
    """
    from .html_extract import declared_charset, extract_page, looks_like_html

    is_html = source.lower().endswith(HTML_SUFFIXES) if html is None else html
    dec = decode_bytes(data, declared=declared_charset(data) if is_html else None)
    warnings = list(dec.warnings)
    if not is_html and html is None and looks_like_html(dec.text):
        is_html = True
        warnings.append("file contains an HTML page despite its suffix; text extracted from the HTML")
    if is_html:
        page = extract_page(dec.text)
        text, n_zw = normalize_counting(page.text)  # character references (&#8203;) appear only now
        if n_zw:
            warnings.append(_zero_width_note(n_zw))
        rv = parse_review(review_id, text, footer=False)
        if not rv.spans:
            raise RejectedInput("empty", f"HTML page has no article text (looked in its {page.kind})")
        if rv.layout == "plain" and page.title and not rv.title:
            rv.title = normalize_text(page.title)  # metadata only: no span of its own in plain text
        rv.author = rv.author or normalize_text(page.author)
        rv.date = page.date
        warnings += page.warnings
    else:
        rv = parse_review(review_id, dec.text)
    rv.encoding, rv.warnings, rv.sha256, rv.source = dec.encoding, warnings, sha256_bytes(data), source
    hangul = count_hangul(rv.text)
    letters = _count(_LETTER, rv.text)
    if letters and hangul / letters < 0.2:
        rv.warnings.append(f"little Korean found ({hangul} Hangul syllables of {letters} letters)")
    return rv


def read_input(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of one input file, never blocking and never reading more than ``max_bytes`` + 1.

    Raises RejectedInput: not_a_file (directory, FIFO, socket, device), unreadable (permissions,
    broken symbolic link, I/O error), too_large (over ``max_file_bytes`` of the config).
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError as e:
        if os.path.islink(path):
            raise RejectedInput("unreadable", f"broken symbolic link to {os.readlink(path)}") from e
        raise RejectedInput("unreadable", "file disappeared before it could be read") from e
    except OSError as e:
        raise RejectedInput("unreadable", f"{type(e).__name__}: {e.strerror or e}") from e
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a directory"
            if stat.S_ISDIR(st.st_mode)
            else "a FIFO (named pipe)"
            if stat.S_ISFIFO(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "not a regular file"
        )
        raise RejectedInput("not_a_file", f"is {kind}, not a regular file")
    if st.st_size > max_bytes:
        raise RejectedInput("too_large", f"{st.st_size} bytes > max_file_bytes {max_bytes} (config)")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the stat, open must not hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise RejectedInput("unreadable", f"{type(e).__name__}: {e.strerror or e}") from e
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise RejectedInput("not_a_file", "is not a regular file")
        try:
            data = fh.read(max_bytes + 1)
        except OSError as e:
            raise RejectedInput("unreadable", f"{type(e).__name__}: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise RejectedInput("too_large", f"more than max_file_bytes {max_bytes} bytes (config)")
    return data
