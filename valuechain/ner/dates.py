"""DATE mentions and their normalised values (1848년 -> 1848; 2024년 5월 -> 2024-05; 2020년대 초반 -> 2020-2023)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"(?:1[5-9]\d\d|20\d\d)"
_DATE_RE = re.compile(
    rf"(?P<full>"
    rf"(?P<y>{_NUM})\s*년\s*(?P<m>1[0-2]|0?[1-9])\s*월(?:\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*일)?"
    rf"|(?P<dec>(?:1[5-9]\d|20\d)0)\s*년대(?:\s*(?P<part>초반|중반|후반|초|중|말|말기|후기|전반|중후반))?"
    rf"|(?P<y2>{_NUM})\s*(?:[~∼\-–]\s*(?P<y3>{_NUM}))\s*년"
    rf"|(?P<y1>{_NUM})\s*년(?:\s*(?P<part1>초|말|상반기|하반기|초반|중반|후반))?"
    rf"|(?P<cent>1[5-9]|2[01])\s*세기(?:\s*(?P<cpart>초|초반|중반|후반|말))?"
    rf"|(?P<iso>{_NUM})[-./](?P<im>1[0-2]|0[1-9])(?:[-./](?P<id>3[01]|[12]\d|0[1-9]))?(?!\d)"
    rf")"
)
_PART = {
    "초반": (0, 3),
    "초": (0, 3),
    "전반": (0, 4),
    "중반": (3, 6),
    "중": (3, 6),
    "중후반": (4, 9),
    "후반": (6, 9),
    "말": (7, 9),
    "말기": (7, 9),
    "후기": (6, 9),
}


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str  # ISO-like: 1848, 2024-05, 2024-05-03, 2020-2023, 1801-1900
    year: int  # a representative year (the first of a range)


def _norm(m: re.Match) -> tuple[str, int]:
    g = m.groupdict()
    if g["y"]:
        y, mo = int(g["y"]), int(g["m"])
        return (f"{y}-{mo:02d}-{int(g['d']):02d}" if g["d"] else f"{y}-{mo:02d}"), y
    if g["dec"]:
        d = int(g["dec"])
        if g["part"]:
            a, b = _PART.get(g["part"], (0, 9))
            return f"{d + a}-{d + b}", d + a
        return f"{d}-{d + 9}", d
    if g["y2"]:
        return f"{int(g['y2'])}-{int(g['y3'])}", int(g["y2"])
    if g["y1"]:
        y = int(g["y1"])
        return str(y), y
    if g["cent"]:
        c = int(g["cent"])
        a, b = (c - 1) * 100 + 1, c * 100
        if g["cpart"]:
            lo, hi = _PART.get(g["cpart"], (0, 9))
            a, b = (c - 1) * 100 + lo * 10 + 1, (c - 1) * 100 + (hi + 1) * 10
        return f"{a}-{b}", a
    y, mo = int(g["iso"]), int(g["im"])
    return (f"{y}-{mo:02d}-{int(g['id']):02d}" if g["id"] else f"{y}-{mo:02d}"), y


def find_dates(text: str, offset: int = 0) -> list[DateMention]:
    """All date expressions in ``text`` (offsets shifted by ``offset``)."""
    out = []
    for m in _DATE_RE.finditer(text):
        s, e = m.span("full")
        if s > 0 and text[s - 1].isdigit():
            continue
        value, year = _norm(m)
        out.append(DateMention(s + offset, e + offset, m.group("full"), value, year))
    return out
