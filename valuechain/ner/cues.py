"""Form and context evidence for the type of an unknown name (general Korean morphology, no names).

Used by the named rules in :mod:`valuechain.ner.rules`. Three kinds of evidence:

- **form**: an organisation head or suffix (``타카미정공``, ``블루리프벤처스``, ``Acme Labs``), a Korean
  personal name (family name + one or two syllables: ``김도윤``, ``남궁현``), a Western full name (two
  or three transliterated words: ``콜리스 헌팅톤``), an all-capital acronym (never a person);
- **context after** the name: a title (``X 씨``, ``X 교수``; ``X 대표`` is the person when X is shaped like
  a personal name, else the company), an organisation's attribute (``X 주가``, ``X의 CEO``, ``X 본사``),
  the object or dative of a business verb (``X를 창업``, ``X를 인수``, ``X에 투자``, ``X에 납품``), a
  predicate nominal (``X는 ... 회사다``, ``X는 ... 엔지니어다``), a book line (``X 지음``, ``X 옮김``);
- **context before** the name: an organisation kind (``스타트업 X``, ``팹리스 X``) or a personal noun
  (``저자 X``, ``동기 X``).

Every function returns ``"ORG"``, ``"PERSON"`` or ``""`` (no evidence) and reads only the text around the
mention, so it applies to any review.
"""

from __future__ import annotations

import functools
import re

from .candidates import ORG_SUFFIXES, SURNAMES

# organisation heads and suffixes a company name ends with (Korean and transliterated English)
ORG_HEADS = (
    "전자",
    "반도체",
    "정공",
    "정밀",
    "테크",
    "테크놀로지",
    "테크놀로지스",
    "테크놀러지",
    "랩스",
    "랩",
    "시스템",
    "시스템즈",
    "시스템스",
    "소프트",
    "바이오",
    "에너지",
    "파워",
    "캐피탈",
    "캐피털",
    "벤처스",
    "파트너스",
    "인베스트먼트",
    "자산운용",
    "운용",
    "증권",
    "은행",
    "홀딩스",
    "지주",
    "그룹",
    "코퍼레이션",
    "컴퍼니",
    "인더스트리",
    "인더스트리즈",
    "인스트루먼츠",
    "머티리얼즈",
    "머티어리얼즈",
    "세미컨덕터",
    "세미콘",
    "일렉트로닉스",
    "일렉트릭",
    "네트웍스",
    "네트웍스",
    "커뮤니케이션즈",
    "솔루션",
    "솔루션즈",
    "로보틱스",
    "다이내믹스",
    "모빌리티",
    "리서치",
    "컨설팅",
    "미디어",
    "출판",
    "출판사",
    "신문",
    "일보",
    "방송",
    "통신",
    "텔레콤",
    "화학",
    "중공업",
    "공업",
    "산업",
    "제약",
    "엔지니어링",
    "패키징",
    "칩스",
    "실리콘",
    "하이텍",
    "닷컴",
    "코리아",
    "재팬",
    "에이아이",
    "주식회사",
    "(주)",
    "상사",
    "물산",
    "건설",
    "스튜디오",
    "게임즈",
    "엔터테인먼트",
    "생명",
    "화재",
    "카드",
    "은행권",
    "소켓",
    "컴퓨터",
    "모바일",
    "세미",
    "AI",
)
# a separate word after a name that makes it a company (페어챠일드 반도체의, 탈렌 에너지로부터)
ORG_HEAD_WORDS = (
    "전자",
    "반도체",
    "그룹",
    "증권",
    "은행",
    "캐피탈",
    "캐피털",
    "홀딩스",
    "테크놀로지",
    "테크놀로지스",
    "인스트루먼츠",
    "파트너스",
    "벤처스",
    "인베스트먼트",
    "자산운용",
    "코퍼레이션",
    "컴퍼니",
    "랩스",
    "시스템즈",
    "머티리얼즈",
    "머티어리얼즈",
    "중공업",
    "화학",
    "제약",
    "바이오",
    "에너지",
    "일렉트릭",
    "일렉트로닉스",
    "세미컨덕터",
    "인더스트리즈",
    "리서치",
    "파워",
)
# transliterated corporate words that, as the next word, belong to the name (카이로스 파워, 탈렌 에너지)
NAME_HEAD_WORDS = (
    "인스트루먼츠",
    "파워",
    "에너지",
    "테크놀로지",
    "테크놀로지스",
    "머티리얼즈",
    "머티어리얼즈",
    "코퍼레이션",
    "컴퍼니",
    "인더스트리즈",
    "일렉트릭",
    "일렉트로닉스",
    "시스템즈",
    "랩스",
    "파트너스",
    "벤처스",
    "캐피탈",
    "캐피털",
    "홀딩스",
    "리서치",
    "세미컨덕터",
    "인베스트먼트",
)
# the last word of a Latin organisation name (case-insensitive; ``Acme Labs``, ``Foo Inc.``, ``Bar AI``)
LATIN_ORG_WORDS = {
    "inc",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "ai",
    "labs",
    "lab",
    "technologies",
    "technology",
    "tech",
    "systems",
    "semiconductor",
    "semiconductors",
    "electronics",
    "capital",
    "ventures",
    "partners",
    "holdings",
    "group",
    "research",
    "energy",
    "networks",
    "robotics",
    "instruments",
    "industries",
    "materials",
    "bank",
    "securities",
    "solutions",
    "software",
    "studios",
    "media",
}
# heads of institutions named by common nouns: an acronym after them names the institution
# (야생동물보건센터(NWHC), 국제에너지기구(IEA)), unlike a gloss of a generic noun (설계 전문 기업(Fabless))
INSTITUTION_HEADS = (
    "센터",
    "기구",
    "협회",
    "협의회",
    "위원회",
    "재단",
    "연구소",
    "연구원",
    "학회",
    "연합",
    "연맹",
    "기관",
    "공사",
    "공단",
    "은행",
    "거래소",
    "대학",
    "대학교",
    "학교",
    "병원",
    "정부",
    "의회",
    "법원",
    "청",
    "처",
    "부",
    "국",
    "당",
    "군",
    "사령부",
)
COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "어금", "망절")

# titles after a name: the person (김도윤 대표, 정세라 심사역) when the name is shaped like a personal name,
# the organisation (큐빅칩스 대표, 서울대 교수, 한울파트너스 심사역) when it is shaped like an organisation
TITLES = (
    "대표",
    "대표이사",
    "회장",
    "부회장",
    "사장",
    "부사장",
    "의장",
    "CEO",
    "CTO",
    "CFO",
    "COO",
    "최고경영자",
    "창업자",
    "창업주",
    "공동창업자",
    "공동 창업자",
    "설립자",
    "교수",
    "박사",
    "기자",
    "작가",
    "의원",
    "장관",
    "총리",
    "대통령",
    "변호사",
    "회계사",
    "애널리스트",
    "심사역",
    "이사",
    "전무",
    "상무",
    "연구원",
    "엔지니어",
    "감독",
    "팀장",
    "부문장",
    "센터장",
)
# titles only a person takes (홍길동 씨, 마커스 헤일 지음)
PERSON_ONLY_TITLES = ("씨", "님", "옹", "선생", "선생님", "지음", "옮김", "엮음", "씀", "저", "역")
# Korean titles that, after a long single word not shaped like a personal name, mark the company
# (하이브랙 대표, 스텔라큐브 이사)
KOREAN_TITLES = ("대표", "대표이사", "회장", "부회장", "사장", "부사장", "이사", "심사역", "팀장", "직원")
# X(의) ~: attributes only an organisation has
ORG_ATTRIBUTES = (
    "주가",
    "시가총액",
    "시총",
    "본사",
    "공장",
    "매출",
    "영업이익",
    "자회사",
    "계열사",
    "지주사",
    "모회사",
    "직원",
    "임직원",
    "고객사",
    "협력사",
    "경영진",
    "이사회",
    "사업부",
    "주주",
    "상장",
    "제품",
    "라인업",
    "고객",
    "단골",
    "장비",
    "칩",
    "서버",
    "서비스",
    "플랫폼",
    "설비",
    "생산라인",
    "데이터센터",
    "지분",
    "투자를",
    "인수 제안",
)
# X를/을 ~: verbs whose object is an organisation
ORG_OBJECT_VERBS = ("창업", "설립", "인수", "세우", "세웠", "세운", "차리", "차렸", "차린", "합병", "상장", "매각")
# X에/에게 ~: verbs whose dative is an organisation
ORG_DATIVE_VERBS = ("투자", "납품", "출자", "지분", "인수되", "인수돼", "합병되", "합병돼")
# X가/는 ~ (directly): verbs whose subject is an organisation
ORG_SUBJECT_VERBS = ("납품", "양산", "상장", "출시", "위탁생산", "수주")
# kinds of organisation (스타트업 X; X는 ... 회사다)
ORG_KINDS = (
    "스타트업",
    "기업",
    "회사",
    "업체",
    "팹리스",
    "파운드리",
    "제조사",
    "자회사",
    "계열사",
    "법인",
    "출판사",
    "운용사",
    "투자사",
    "벤처캐피털",
    "벤처캐피탈",
    "협력사",
    "고객사",
    "경쟁사",
    "은행",
    "증권사",
    "재단",
    "연구소",
    "대학",
    "대학교",
    "신문사",
    "언론사",
    "방송사",
    "통신사",
    "그룹",
    "사모펀드",
    "펀드",
    "VC",
    "OSAT",
    "디자인하우스",
)
# kinds of things that are not actors (X라는 규격, X 같은 기술)
THING_KINDS = (
    "규격",
    "표준",
    "기술",
    "제품",
    "방식",
    "공정",
    "장비",
    "소재",
    "칩",
    "모델",
    "서비스",
    "앱",
    "기법",
    "구조",
)
# personal nouns before a name (저자 X, 동기 X)
PERSON_NOUNS_BEFORE = (
    "저자",
    "역자",
    "옮긴이",
    "지은이",
    "작가",
    "동기",
    "친구",
    "선배",
    "후배",
    "동료",
    "창업자",
    "창업주",
    "공동창업자",
    "번역가",
    "애널리스트",
    "엔지니어",
)
# personal nouns as a predicate (X는 ... 엔지니어다)
PERSON_KINDS = PERSON_NOUNS_BEFORE + (
    "기자",
    "교수",
    "박사",
    "연구자",
    "과학자",
    "사업가",
    "기업가",
    "투자자",
    "사람",
    "인물",
    "CEO",
    "최고경영자",
    "대표",
    "회장",
    "사장",
)
_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&\-]{1,7}$")
_COPULA = r"(?:(?:이다|였다|이었다|입니다|였습니다|이었습니다|다)(?=$|[.!?\s'\"’”])|(?:이며|이고|이자|인데|로|으로|였고|이었고)(?=,))"
_END = r"(?=$|[\s.,!?'\"’”)\]])"
_P = (
    r"(?:은|는|이|가|의|와|과|도|을|를|에게|에게서|께서|로|으로|로부터|으로부터|에서|에|만|인|이자|였던|이던|이었던"
    r"|이었다|였다|이다|다)?"
)


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_ORG_ATTR_RX = re.compile(r"^(?:의\s(?:[^\s,.]+\s)?|\s)?(?:" + _alt(ORG_ATTRIBUTES) + r")")
_TITLE_RX = re.compile(r"^(의)?\s?(" + _alt(TITLES + PERSON_ONLY_TITLES) + r")" + _P + _END)
_GEN_NAME_TITLE_RX = re.compile(r"^의\s([\uac00-\ud7a3]{2,4})\s?(" + _alt(TITLES) + r")" + _P + _END)
_ORG_OBJ_RX = re.compile(r"^(?:을|를)\s?(?:공동\s?)?(?:" + _alt(ORG_OBJECT_VERBS) + r")")
_ORG_DAT_RX = re.compile(r"^(?:에|에게)\s?(?:" + _alt(ORG_DATIVE_VERBS) + r")")
_ORG_SUBJ_RX = re.compile(r"^(?:이|가|은|는)\s?(?:" + _alt(ORG_SUBJECT_VERBS) + r")")
_APPOS = r"(?:인|이자|였던|이던|이었던)?"
_ORG_KIND_BEFORE = re.compile(
    r"(?:(?:" + _alt(ORG_KINDS) + r")" + _APPOS + r"|(?:" + _alt(TITLES) + r")의)\s$"
)  # 스타트업 X, 리스 회사인 X, 정미란 대표의 X
_PERSON_KIND_BEFORE = re.compile(r"(?:^|[\s(])(?:" + _alt(PERSON_NOUNS_BEFORE) + r")" + _APPOS + r"\s$")
_HEAD_WORD_RX = re.compile(r"^\s(?:" + _alt(ORG_HEAD_WORDS) + r")" + _P + _END)
_KIND_AFTER_RX = re.compile(  # X라는 회사, X 같은 회사, X나 Y 같은 작은 회사들
    r"^(?:(?:이)?라는|(?:(?:와|과|나|이나|,|및)\s?\S+)?\s(?:같은|등의?))\s(?:\S+\s){0,2}("
    + _alt(ORG_KINDS + PERSON_KINDS + THING_KINDS)
    + r")"
)
# 앱을 만드는 X, ASML이 인수한 미국 X, 2021년 창업한 X: the maker, the acquired or founded company
_ORG_VERB_BEFORE = re.compile(
    r"(?:(?:을|를)\s(?:만드는|만든|개발하는|개발한|운영하는|판매하는|파는)|(?:인수한|인수했던|창업한|설립한|세운|차린|"
    r"합병한|투자한|투자하는))\s(?:[^\s,.]+\s)?$"
)
_BOOK_PUBLISHER_BEFORE = re.compile(r"(?:지음|옮김|엮음|저|역)\s?[,/|·]\s?$")
_BOOK_PUBLISHER_AFTER = re.compile(r"^\s?[,/|·]\s?(?:19|20)\d\d")
_TOPIC_RX = re.compile(r"^(?:은|는)\s")
_KIND_PRED_RX = re.compile(r"(?:^|[\s(])(?:[^\s.,]*?)(" + _alt(ORG_KINDS + PERSON_KINDS) + r")" + _COPULA)
_ORG_KIND_SET = set(ORG_KINDS)


_ALL_HEADS = tuple(sorted(set(ORG_HEADS) | set(ORG_SUFFIXES) - {"사업부", "클라우드", "투자"}))


_HEAD_SET = frozenset(_ALL_HEADS)
_HEAD_LENGTHS = sorted({len(h) for h in _ALL_HEADS}, reverse=True)


@functools.lru_cache(maxsize=100_000)
def org_stem(text: str) -> str:
    """The part of an organisation-shaped name before its head (``소율`` of ``소율정밀``), else ``""``."""
    t = text.strip()
    for n in _HEAD_LENGTHS:
        if len(t) > n and t[-n:] in _HEAD_SET:
            stem = t[:-n]
            if len(stem.replace(" ", "")) >= 2:
                return stem.strip()
    return ""


@functools.lru_cache(maxsize=100_000)
def org_form(text: str) -> bool:
    """``모리타정공``, ``블루스톤캐피탈``, ``텍사스 인스트루먼츠``, ``Acme Labs``: ends with an organisation head.

    The part before the head must have at least two characters (``정밀`` or ``초정밀`` alone is not a name).
    """
    t = text.strip()
    if org_stem(t):
        return True
    words = t.replace(",", " ").split()
    if len(words) >= 2 and words[-1].rstrip(".").casefold() in LATIN_ORG_WORDS and words[0][:1].isupper():
        return True
    return False


# last syllables of institutions that never end a Korean given name (민주당, 제주대, 서울시청, 조사부)
NOT_GIVEN_NAME_END = set("당대청부팀과처단실회사소")
# syllables of Korean given names that contain ㅡ (승, 은, 슬기, 하늘): any other ㅡ syllable is foreign
_EU_OK = set("은을응근금긍늘슬승흥흠득극능증층")
_TH_OK = set("태택탁탄")
_PH_OK = set("표필평판")


def _foreign_syllable(c: str) -> bool:
    """A syllable Korean given names do not use but transliterations do (니퍼, 클, 스, 챠, 웨)."""
    code = ord(c) - 0xAC00
    if not 0 <= code < 11172:
        return True
    ini, vow = code // 588, (code % 588) // 28
    if ini in (1, 4, 8, 10, 13, 15):  # ㄲ ㄸ ㅃ ㅆ ㅉ ㅋ
        return True
    if ini == 16 and c not in _TH_OK or ini == 17 and c not in _PH_OK:  # ㅌ ㅍ
        return True
    if vow == 18 and c not in _EU_OK:  # ㅡ
        return True
    if vow == 5 and ini not in (9, 12):  # ㅔ other than 세, 제
        return True
    if vow in (10, 15) or vow in (2, 6) and ini in (9, 12, 14):  # ㅙ ㅞ, 샤 셔 쟈 져 챠 쳐
        return True
    return False


@functools.lru_cache(maxsize=100_000)
def korean_person_form(text: str) -> bool:
    """``김도윤``, ``남궁현``: a family name and one or two syllables (two or three for a double family name).

    Not when a given-name syllable is one of transliterations (``제니퍼``, ``마이클``) or the word ends
    like an institution (``민주당``, ``제주대``, ``조사부``).
    """
    t = text.strip()
    if not _HANGUL.match(t) or org_form(t) or t[-1] in NOT_GIVEN_NAME_END:
        return False
    if t[:2] in COMPOUND_SURNAMES:
        given = t[2:]
        ok = 3 <= len(t) <= 4
    else:
        given = t[1:]
        ok = len(t) == 3 and t[0] in SURNAMES
    return ok and not any(_foreign_syllable(c) for c in given)


def western_person_form(text: str) -> bool:
    """``콜리스 헌팅톤``, ``프리야 메논``, ``Jane Doe``: two or three name words, no organisation head."""
    words = text.split()
    if not 2 <= len(words) <= 3 or org_form(text):
        return False
    if all(_HANGUL.match(w) and 1 <= len(w) <= 6 for w in words):
        return True
    return all(re.fullmatch(r"[A-Z][a-z]+\.?|[A-Z]\.", w) for w in words)


def person_form(text: str) -> bool:
    return korean_person_form(text) or western_person_form(text)


def acronym(text: str) -> bool:
    """``ABF``, ``HBM3E``, ``TSMC``: an all-capital Latin word (a company or a product, never a person)."""
    return bool(_ACRONYM.match(text.strip()))


def form_label(text: str) -> str:
    if org_form(text):
        return "ORG"
    if person_form(text):
        return "PERSON"
    return ""


def _clause_after(text: str, end: int, limit: int = 80) -> str:
    seg = text[end : end + limit]
    cut = len(seg)
    for stop in ("\n", ". ", "? ", "! ", "다. ", '."'):
        k = seg.find(stop)
        if k >= 0:
            cut = min(cut, k + (2 if stop == "다. " else 1 if stop != "\n" else 0))
    return seg[:cut]


def title_label(surface: str, title: str, genitive: bool) -> str:
    """The type a title after a name points to: ``김도윤 대표`` PERSON, ``큐빅칩스 대표`` / ``X의 대표`` ORG."""
    if genitive:
        return "ORG" if title not in PERSON_ONLY_TITLES else ""
    if title in PERSON_ONLY_TITLES or person_form(surface):
        return "PERSON"
    if org_form(surface) or not _HANGUL.match(surface.replace(" ", "")):
        return "ORG"
    if title in KOREAN_TITLES and " " not in surface and len(surface) >= 4:
        return "ORG"
    return ""


def context_after(text: str, start: int, end: int) -> str:
    """Evidence from the words after the name (see the module docstring); a parenthesis right after the
    name (an alias, a gloss) is skipped: ``HMC(Hybrid Memory Cube)라는 규격``."""
    if text[end : end + 1] == "(":
        close = text.find(")", end, end + 50)
        if close > 0:
            end = close + 1
    after = text[end : end + 40].split("\n", 1)[0]
    m = _TITLE_RX.match(after)
    if m:
        return title_label(text[start:end], m.group(2), bool(m.group(1)))
    m = _GEN_NAME_TITLE_RX.match(after)  # X의 서민우 대표
    if m and korean_person_form(m.group(1)):
        return "ORG"
    m = _KIND_AFTER_RX.match(after)
    if m:
        return "ORG" if m.group(1) in _ORG_KIND_SET else "NONE" if m.group(1) in THING_KINDS else "PERSON"
    if _HEAD_WORD_RX.match(after) or _BOOK_PUBLISHER_AFTER.match(after):
        return "ORG"
    if _ORG_ATTR_RX.match(after) or _ORG_OBJ_RX.match(after) or _ORG_DAT_RX.match(after) or _ORG_SUBJ_RX.match(after):
        return "ORG"
    if _TOPIC_RX.match(after):  # X는 ... 회사다 / X는 ... 엔지니어다: the first kind noun before a copula
        m = _KIND_PRED_RX.search(_clause_after(text, end))
        if m:
            return "ORG" if m.group(1) in _ORG_KIND_SET else "PERSON"
    return ""


def head_word_after(text: str, end: int) -> bool:
    """``페어챠일드 반도체의``, ``탈렌 에너지로부터``: an organisation head as the next word."""
    return bool(_HEAD_WORD_RX.match(text[end : end + 16]))


def context_before(text: str, start: int) -> str:
    """Evidence from the word right before the name (``스타트업 X``, ``저자 X``)."""
    before = text[max(0, start - 24) : start].rsplit("\n", 1)[-1]
    if _ORG_KIND_BEFORE.search(before[-12:]) or _BOOK_PUBLISHER_BEFORE.search(before[-12:]):
        return "ORG"
    if _ORG_VERB_BEFORE.search(before):
        return "ORG"
    if _PERSON_KIND_BEFORE.search(before[-12:]):
        return "PERSON"
    return ""


def context_label(text: str, start: int, end: int) -> str:
    """The type the words around ``text[start:end]`` point to, or ``""``."""
    return context_after(text, start, end) or context_before(text, start)
