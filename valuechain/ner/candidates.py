"""Candidate name spans over Kiwi-tagged tokens, and their form and context features.

A candidate is a run of 1-3 eojeol "stems" (the nominal prefix of an eojeol, before its particle),
so that ``오픈AI와`` yields ``오픈AI`` and ``크리스 밀러는`` yields ``크리스 밀러``. The classifier
(valuechain.ner.model) decides whether a candidate is a name and of which type.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

NOMINAL = {"NNP", "NNG", "SL", "SH", "SN", "XPN", "NR"}
NAMEISH = {"NNP", "SL", "SH"}
SURNAMES = set(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈서시"
)
PERSON_CUES = {
    "씨",
    "회장",
    "대표",
    "사장",
    "부회장",
    "의장",
    "총재",
    "CEO",
    "창업자",
    "창업주",
    "공동창업자",
    "저자",
    "기자",
    "교수",
    "연구원",
    "연구소장",
    "박사",
    "감독",
    "배우",
    "선수",
    "작가",
    "의원",
    "대통령",
    "장관",
    "위원장",
    "부사장",
    "전무",
    "상무",
    "이사",
    "최고경영자",
    "최고기술책임자",
    "CTO",
    "CFO",
    "총리",
    "씨는",
    "옹",
    "군",
    "양",
}
ORG_CUES = {
    "사",
    "社",
    "기업",
    "회사",
    "그룹",
    "은행",
    "업체",
    "재단",
    "협회",
    "연구소",
    "대학",
    "대학교",
    "정부",
    "당국",
    "법인",
    "스타트업",
    "팹리스",
    "파운드리",
    "제조사",
    "펀드",
    "캐피털",
    "증권",
    "거래소",
    "위원회",
    "구단",
}
ORG_SUFFIXES = (
    "전자",
    "반도체",
    "그룹",
    "테크놀로지",
    "테크놀로지스",
    "테크",
    "랩스",
    "랩",
    "시스템즈",
    "시스템스",
    "소프트",
    "네트웍스",
    "네트웍스",
    "홀딩스",
    "컴퓨터",
    "일렉트릭",
    "인터내셔널",
    "에너지",
    "머티리얼즈",
    "캐피털",
    "벤처스",
    "파트너스",
    "증권",
    "은행",
    "은행권",
    "화학",
    "중공업",
    "통신",
    "텔레콤",
    "모바일",
    "하이텍",
    "바이오",
    "제약",
    "엔지니어링",
    "솔루션",
    "솔루션즈",
    "닷컴",
    "코리아",
    "재팬",
    "AI",
    "에이아이",
    "주식회사",
    "(주)",
    "사업부",
    "칩스",
    "실리콘",
    "세미",
    "세미콘",
    "로보틱스",
    "다이내믹스",
    "모빌리티",
    "파워",
    "정밀",
    "소켓",
    "벤처스",
    "인베스트먼트",
    "투자",
    "캐피탈",
    "클라우드",
    "네트웍스",
    "커뮤니케이션즈",
    "미디어",
    "랩",
    "스튜디오",
)
PARTICLE_PREFIX = ("J", "VCP", "E", "XSN")
_PUNCT_TAGS = {"SF", "SP", "SS", "SSO", "SSC", "SE", "SW", "SO"}


@dataclass
class Tok:
    i: int  # index in the Doc
    text: str
    tag: str  # first Kiwi tag of a merged token (e.g. VV of VV+EP)
    full_tag: str
    start: int
    end: int


@dataclass
class Eojeol:
    toks: list[Tok]
    stem: list[Tok] = field(default_factory=list)  # nominal prefix
    rest: list[Tok] = field(default_factory=list)  # particle / ending / other

    @property
    def start(self) -> int:
        return self.toks[0].start


@dataclass
class Candidate:
    start: int
    end: int
    text: str
    toks: list[Tok]
    eojeols: tuple[int, int]  # first and last eojeol index
    full_stem: bool  # span covers the whole stem of its last eojeol


def toks_of(tokens) -> list[Tok]:
    """Tok records for spaCy tokens (spaces and skipped text dropped); a whole Doc from its one reading
    (:func:`valuechain.docs.doc_tokens`, shared with the token table and the relation extractor)."""
    if type(tokens).__name__ == "Doc" and hasattr(tokens, "to_array"):  # (a Doc also has .doc: itself)
        from ..docs import doc_tokens

        return [Tok(i, form, tag.split("+")[0], tag, s, e) for i, form, tag, _lemma, s, e in doc_tokens(tokens).toks]
    return [
        Tok(t.i, t.text, t.tag_.split("+")[0], t.tag_, t.idx, t.idx + len(t))
        for t in tokens
        if t.tag_ not in ("_SP", "SKIP")
    ]


def _elided(full_tag: str) -> bool:
    """A noun merged with a morpheme Kiwi restored but the text elides (NNG+VCP: 리서치라는 = 리서치+이+라는)."""
    parts = full_tag.split("+")
    return len(parts) == 2 and parts[1] == "VCP"


def eojeols_of(tokens) -> list[Eojeol]:
    """Split the tokens of one sentence into eojeols at whitespace and punctuation.

    ``tokens``: Tok records (or spaCy tokens, converted); a gap between two tokens is whitespace.
    """
    toks = tokens if isinstance(tokens, list) and (not tokens or isinstance(tokens[0], Tok)) else toks_of(tokens)
    out: list[Eojeol] = []
    cur: list[Tok] = []
    for k, t in enumerate(toks):
        if t.tag in _PUNCT_TAGS and t.text not in ("&", "-", "."):
            if cur:
                out.append(Eojeol(cur))
                cur = []
            out.append(Eojeol([t]))  # punctuation unit
            continue
        cur.append(t)
        if k + 1 < len(toks) and toks[k + 1].start > t.end:
            out.append(Eojeol(cur))
            cur = []
    if cur:
        out.append(Eojeol(cur))
    for e in out:
        k = 0
        while k < len(e.toks) and e.toks[k].tag in NOMINAL and "+" not in e.toks[k].full_tag:
            k += 1
        if k < len(e.toks) and e.toks[k].tag in ("NNP", "NNG", "SL") and _elided(e.toks[k].full_tag):
            k += 1  # 리서치/NNG+VCP in 리서치라는: the noun ends the stem, the copula is elided
        e.stem, e.rest = e.toks[:k], e.toks[k:]
    return out


def candidates_of(
    eojs: list[Eojeol], max_eojeols: int = 3, common_nouns: bool = True, keep_nng=None
) -> list[Candidate]:
    """All runs of 1..max_eojeols stems; inner eojeols must be bare stems (no particle).

    ``common_nouns`` False drops runs made only of common nouns (NNG), unless a person or
    organisation cue follows them, or ``keep_nng(text)`` is true of a one-eojeol run (an unknown word
    shaped like a name that Kiwi tagged or split as common nouns: ``서/NNG 민/NNG 우/NNG``): names are
    almost always NNP/SL to Kiwi, and most NNG runs are ordinary words, so this trades a little recall
    for a much cheaper classifier pass.
    """
    out = []
    for i, e in enumerate(eojs):
        if not e.stem:
            continue
        for j in range(i, min(len(eojs), i + max_eojeols)):
            ej = eojs[j]
            if not ej.stem:
                break
            if j > i and (eojs[j - 1].rest or not eojs[j - 1].stem):
                break
            ends = range(1, len(ej.stem) + 1) if j == i else [len(ej.stem)]
            for k in ends:
                toks = [t for ee in eojs[i:j] for t in ee.stem] + ej.stem[:k]
                if not any(t.tag in NAMEISH or t.tag == "NNG" for t in toks):
                    continue
                if not common_nouns and not any(t.tag in NAMEISH for t in toks):
                    nxt = (ej.stem[k:] + ej.rest)[:1] or (eojs[j + 1].toks[:1] if j + 1 < len(eojs) else [])
                    if not nxt or (nxt[0].text not in PERSON_CUES and nxt[0].text not in ORG_CUES):
                        if not (keep_nng is not None and i == j and keep_nng("".join(t.text for t in toks))):
                            continue
                if all(t.tag == "SN" for t in toks):
                    continue
                s, en = toks[0].start, toks[-1].end
                out.append(Candidate(s, en, "", toks, (i, j), k == len(ej.stem)))
    return out


@functools.lru_cache(maxsize=200_000)
def _script(s: str) -> str:
    h = any("\uac00" <= c <= "\ud7a3" for c in s)
    latin = any(c.isascii() and c.isalpha() for c in s)
    han = any("\u4e00" <= c <= "\u9fff" for c in s)
    return "mixed" if h and latin else "hangul" if h else "latin" if latin else "han" if han else "other"


def features(
    c: Candidate,
    eojs: list[Eojeol],
    text: str,
    sims: dict[str, float] | None = None,
    gaz_label: str | None = None,
    known=None,
) -> dict:
    """Form and context features of one candidate (``text`` is the Doc text for offsets).

    ``known(form)``: whether Kiwi's vocabulary has the form as a common noun (valuechain.ner.model.CongSims.known).
    """
    span = text[c.start : c.end]
    toks = c.toks
    i, j = c.eojeols
    last_e = eojs[j]
    after = [t for t in last_e.toks if t.start >= c.end]
    nxt = after[0] if after else None
    nxt_e = eojs[j + 1] if j + 1 < len(eojs) else None
    prv_e = eojs[i - 1] if i > 0 else None
    prv = prv_e.toks[-1] if prv_e else None
    f = {
        "w=" + span: 1,
        "first=" + toks[0].text: 1,
        "last=" + toks[-1].text: 1,
        "tags=" + "_".join(t.tag for t in toks): 1,
        "t_first=" + toks[0].tag: 1,
        "t_last=" + toks[-1].tag: 1,
        "suf1=" + span[-1:]: 1,
        "suf2=" + span[-2:]: 1,
        "pre1=" + span[:1]: 1,
        "pre2=" + span[:2]: 1,
        "len=" + str(min(len(span.replace(" ", "")), 10)): 1,
        "neoj=" + str(j - i + 1): 1,
        "ntok=" + str(min(len(toks), 5)): 1,
        "script=" + _script(span): 1,
        "full_stem": int(c.full_stem),
        "n_nameish": sum(t.tag in NAMEISH for t in toks),
        "all_nng": int(all(t.tag == "NNG" for t in toks)),
    }
    if nxt is not None:
        f["next=" + nxt.text + "/" + nxt.tag] = 1
        f["next_t=" + nxt.tag] = 1
        if nxt.text in PERSON_CUES:
            f["cue_person_in"] = 1
        if nxt.text in ORG_CUES:
            f["cue_org_in"] = 1
    else:
        f["next=<eoj>"] = 1
    if nxt_e is not None and nxt_e.toks:
        w = nxt_e.toks[0]
        f["nextw=" + w.text] = 1
        f["nextw_t=" + w.tag] = 1
        if w.text in PERSON_CUES:
            f["cue_person_next"] = 1
        if w.text in ORG_CUES:
            f["cue_org_next"] = 1
        if w.text == "(":
            f["paren_after"] = 1
    if prv is not None:
        f["prev=" + prv.text + "/" + prv.tag] = 1
        f["prev_t=" + prv.tag] = 1
        if prv.text in PERSON_CUES:
            f["cue_person_prev"] = 1
    else:
        f["prev=<s>"] = 1
    hs = span.replace(" ", "")
    if _script(hs) == "hangul" and 2 <= len(hs) <= 4 and hs[0] in SURNAMES and " " not in span:
        f["surname_shape"] = 1
    if span.endswith(ORG_SUFFIXES):
        f["org_suffix"] = 1
    # general morphology and context cues (valuechain.ner.cues)
    from . import cues

    form = cues.form_label(span) or ("acronym" if cues.acronym(span) else "")
    if form:
        f["form=" + form] = 1
    ctx = cues.context_label(text, c.start, c.end)
    if ctx:
        f["ctx=" + ctx] = 1
    if known is not None:
        if " " not in span and known(span):
            f["known_nng"] = 1
        elif known(toks[-1].text):
            f["known_last"] = 1
    if gaz_label:
        f["gaz=" + gaz_label] = 1
    if sims:
        for k, v in sims.items():
            f["sim_" + k] = v
    return f
