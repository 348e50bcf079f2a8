"""Roles read off links: what a supplier, maker, lessor, investor, acquirer or developer does."""

from __future__ import annotations

from ..links import Link
from ..registry import Found, construction
from ..view import Sentence


def _with(obj: str, activity: str) -> str:
    """``NPU 서버`` + 공급 -> ``NPU 서버 공급``; an object that already ends on the activity
    (``NPU 서버 공급`` of ``NPU 서버 공급 계약``) keeps it once."""
    return obj if obj.split()[-1:] == [activity] else f"{obj} {activity}"


# link type -> how the source's role reads (object, target name)
_ROLE = {
    "supplies": lambda obj, tgt: _with(obj, "공급") if obj else "",
    "manufactures_for": lambda obj, tgt: obj if obj else "",
    "rents_to": lambda obj, tgt: _with(obj, "임대") if obj else "임대",
    "invests_in": lambda obj, tgt: f"{tgt} 자금 대출" if "대출" in obj else f"{tgt} 투자",
    "develops": lambda obj, tgt: f"{obj or tgt} 개발",
    "founded": lambda obj, tgt: f"{tgt} 창업",
    "leads": lambda obj, tgt: f"{tgt} 이끄는 경영자",
}
# a leader's role is read off a verb (다라를 이끄는 가나); titles are read by person_title
_LEADS_FROM = {"leader_verb"}
# links that are no business role of the source: owning a subsidiary is not investing as a business
_NOT_A_ROLE = {"subsidiary"}


def _name(sent: Sentence, key: str) -> str:
    return next((m["text"] for m in sent.mentions if m["key"] == key), "")


@construction("link_roles", "derived", 0.8)
def link_roles(links: list[Link], sentences: dict[int, Sentence]) -> list[tuple[int, Found]]:
    """``가나는 다라에 센서를 납품한다`` (a supplies link) gives 가나 the role ``센서 공급``; likewise
    making (``칩 양산``), renting (``GPU 임대``), investing (``다라 투자``), developing (``다라봇 개발``)
    and founding (``다라 창업``). Acquisitions, market and people links (a leader's title is read by
    person_title) are not roles."""
    out = []
    for x in links:
        make = _ROLE.get(x.type) if x.method not in _NOT_A_ROLE else None
        if x.type == "leads" and x.method not in _LEADS_FROM:
            make = None
        tgt = _name(sentences[x.sent_id], x.target) if make else ""
        role = make(x.object, tgt).strip() if make else ""
        if role and (tgt or x.type not in ("invests_in", "develops", "founded")):
            out.append((x.sent_id, Found([x.source], role, "link_" + x.type, x.confidence)))
    return out
