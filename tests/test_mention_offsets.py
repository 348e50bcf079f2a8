"""Property: for any text, every mention's offsets map back exactly to the decoded review text."""

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valuechain.ingest import ingest_bytes

PIECES = [
    "삼성전자",
    "SK 하이닉스",
    "오픈AI와 ",
    "(Banana)",
    "바나나",
    "는 ",
    "의 ",
    "『칩 워』",
    "'넥서스'",
    "김도윤 대표",
    "2024년 5월",
    "1848년",
    "GPU를 ",
    "설계하는 ",
    "팹리스 기업이다.",
    " ",
    "\n",
    "\r\n",
    "，",
    "…",
    "ㄱ",
    "\u1100\u1161",
    "😀",
    "A",
    "x",
    "·",
    "등 ",
    "같은 ",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=1, max_size=30))
def test_mention_offsets_map_back_exactly(nlp, pieces):
    from valuechain.stages.mentions import load_recognizer

    global _REC
    try:
        rec = _REC
    except NameError:
        rec = _REC = load_recognizer(
            str(ROOT / "resources/gazetteer.tsv"),
            str(ROOT / "resources/models/ner_types.npz"),
            str(ROOT / "resources/stoplist.txt"),
            str(ROOT / "resources/kiwi_userdict.tsv"),
        )
    raw = "".join(pieces)
    if not raw.strip() or "\x00" in raw:
        return
    try:
        rv = ingest_bytes("p", raw.encode("utf-8"))
    except ValueError:
        return  # rejected input (empty, control characters): nothing to map
    doc = nlp.tokenizer.docs([(rv.text, rv.spans)])[0]
    assert doc.text == rv.text
    for m in rec(doc, {"works": [rv.book_title], "persons": [rv.book_author]}):
        assert rv.text[m.start : m.end] == m.text
        assert m.text == m.text.strip() and m.end > m.start
