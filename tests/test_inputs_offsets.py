"""Property: whatever the bytes of a review, token offsets point exactly into the decoded text."""

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from valuechain.ingest import RejectedInput, ingest_bytes, normalize_text
from valuechain.spacy_kiwi import make_nlp
from valuechain.stages.tokens import token_rows

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures" / "inputs"


@pytest.fixture(scope="module")
def nlp():
    return make_nlp(user_dictionary=str(ROOT / "resources" / "kiwi_userdict.tsv"))


def check_offsets(nlp, rv):
    doc = nlp.tokenizer.docs([(rv.text, rv.spans)])[0]
    assert doc.text == rv.text
    for tok in doc:
        assert rv.text[tok.idx : tok.idx + len(tok)] == tok.text
    for r in token_rows(rv.review_id, doc):
        assert rv.text[r["start"] : r["end"]] == r["form"]
    for sp in rv.spans:
        assert 0 <= sp.start <= sp.end <= len(rv.text)
    return doc


_PIECES = st.sampled_from(
    [
        "삼성전자",
        "SK하이닉스",
        "엔비디아",
        "는 ",
        "를 ",
        "의 ",
        "GPU",
        "HBM3E",
        "하이퍼클로바X",
        "오픈AI",
        "했다.",
        "됐다 ",
        "입니다. ",
        "1848년",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\u00a0",
        "\u3000",
        "\u200b",
        "\ufeff",
        "『칩 워』",
        "(청바지)",
        "→",
        "—",
        "…",
        "“인용”",
        "'GPU 리셀러'",
        "café",
        "ß",
        "\u1112\u1161\u11ab",
        "\u1100\u1161",
        "\u11a8",
        "漢字",
        "🙂",
        "👩‍💻",
        "e\u0301",
        "ﬁ",
        "Ⅻ",
        "①",
        "brunch\n\n",
        "by 작가\n\n",
        "keyword\n",
        "작가의 이전글 ",
    ]
)
_TEXTS = st.lists(_PIECES, min_size=1, max_size=40).map("".join)
_UNICODE = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, _UNICODE)
def test_token_offsets_map_back_exactly(nlp, text, enc):
    raw = text.encode(enc)
    try:
        rv = ingest_bytes("p", raw, source="p.txt")
    except RejectedInput as e:
        assert e.reason == "empty", e  # the only way such text can be refused
        return
    assert rv.text == normalize_text(text.removeprefix("\ufeff") if enc == "utf-8" else text)
    check_offsets(nlp, rv)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "삼성전자",
                "는 ",
                "엔비디아",
                "의 ",
                "GPU",
                "를 ",
                "만든다.",
                "\r\n",
                "\n",
                "\r",
                " ",
                "하이닉스",
                "똠방각하 ",
                "1848년 ",
            ]
        ),
        min_size=1,
        max_size=30,
    ).map("".join)
)
def test_token_offsets_map_back_exactly_cp949(nlp, text):
    raw = text.encode("cp949")
    try:
        raw.decode("utf-8")
        assume(False)  # CP949 bytes that are also valid UTF-8 are read as UTF-8 (by design)
    except UnicodeDecodeError:
        pass
    try:
        rv = ingest_bytes("p", raw, source="p.txt")
    except RejectedInput as e:
        assert e.reason == "empty"
        return
    if any("\uac00" <= c <= "\ud7a3" for c in text):
        assert rv.encoding == "cp949" and rv.text == normalize_text(text)
    check_offsets(nlp, rv)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<br>",
                "<b>",
                "</b>",
                "&nbsp;",
                "&amp;",
                "&lt;",
                " ",
                "\n",
                "삼성전자는 ",
                "HBM을 ",
                "만든다.",
                "<script>x()</script>",
                "<!-- c -->",
                "<div>",
                "</div>",
                "<h4>",
                "</h4>",
                "<span>",
                "</span>",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_html_extracted_text_is_the_offset_reference(nlp, body):
    html = (
        "<html><head><title>t</title></head><body><h1 class='cover_title'>제목</h1>"
        "<span class='cover_info'><span class='f_l text_author'><a>작가</a></span></span>"
        f"<div class='wrap_body'>{body}</div></body></html>"
    )
    rv = ingest_bytes("h", html.encode(), source="h.html")
    assert "<script" not in rv.text and "x()" not in rv.text
    check_offsets(nlp, rv)


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in FIX.iterdir() if p.suffix in (".txt", ".md", ".html", ".htm") and p.stat().st_size > 20),
)
def test_fixture_offsets(nlp, name):
    rv = ingest_bytes(Path(name).stem, (FIX / name).read_bytes(), source=name)
    doc = check_offsets(nlp, rv)
    assert len(doc) > 0


def test_sample_review_in_four_encodings_gives_identical_tokens(nlp):
    text = (ROOT / "resources/reviews/ai-goldrush.txt").read_text(encoding="utf-8")
    text = text.encode("cp949", errors="replace").decode("cp949")  # keep only CP949-encodable characters
    rows = None
    for raw in (
        text.encode("utf-8"),
        codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode(),
        text.encode("cp949"),
        text.replace("\n", "\r").encode("utf-16"),
    ):
        rv = ingest_bytes("ai-goldrush", raw, source="ai-goldrush.txt")
        got = token_rows("ai-goldrush", check_offsets(nlp, rv))
        assert rows is None or got == rows
        rows = got
    assert len(rows) > 500
