"""Decoding and the brunch copy-paste layout."""

from valuechain.ingest import decode_bytes, normalize_text, parse_review, split_book_reference

BRUNCH = "brunch\n\n제목입니다\n\n부제: 홍길동 기자의 『책 제목』\n\nby 글쓴이\n\n\n본문 첫 문단.\n\n둘째 문단.\n\nkeyword\nAI\n작가의 이전글 다른 글\n"


def test_decode_utf8_bom_crlf_and_nfc():
    # decomposed jamo (NFD) + BOM + CRLF -> NFC syllables, LF
    raw = "\ufeff" + "한국어\r\n둘째 줄\r셋째".replace("한", "\u1112\u1161\u11ab")
    dec = decode_bytes(raw.encode("utf-8"))
    assert dec.text == "한국어\n둘째 줄\n셋째"
    assert dec.encoding == "utf-8-sig"


def test_decode_plain_utf8():
    assert decode_bytes("가나다".encode()).encoding == "utf-8"


def test_normalize_is_idempotent():
    t = "a\r\nb\rc"
    assert normalize_text(normalize_text(t)) == normalize_text(t) == "a\nb\nc"


def test_brunch_layout_fields_and_spans():
    rv = parse_review("x", BRUNCH)
    assert rv.layout == "brunch"
    assert rv.title == "제목입니다"
    assert rv.subtitle == "부제: 홍길동 기자의 『책 제목』"
    assert rv.author == "글쓴이"
    assert rv.book_title == "책 제목"
    labels = [s.label for s in rv.spans]
    assert labels == ["title", "subtitle", "body"]
    body = next(s for s in rv.spans if s.label == "body")
    assert BRUNCH[body.start : body.end] == "본문 첫 문단.\n\n둘째 문단."
    for s in rv.spans:  # offsets are into the whole text
        assert BRUNCH[s.start : s.end] == getattr(rv, s.label, BRUNCH[s.start : s.end])


def test_sample_review_header(sample_text):
    rv = parse_review("ai-goldrush", sample_text)
    assert rv.layout == "brunch"
    assert rv.title == "AI 시대가 왔는데, 당신은 무엇을 하고 있죠?"
    assert rv.author == "생각하는T"
    assert rv.book_title == "AI 골드러시, 돈을 버는 자는 누구인가"
    assert rv.book_author == "시마즈 죠"
    body = next(s for s in rv.spans if s.label == "body")
    assert sample_text[body.start :].startswith("바야흐로")
    assert "keyword" not in sample_text[body.start : body.end]
    assert "작가의 이전글" not in sample_text[body.start : body.end]
    assert sample_text[body.start : body.end].endswith("누구인가'였습니다.")


def test_plain_text_is_analysed_whole():
    rv = parse_review("p", "  그냥 글입니다.\n둘째 줄  \n")
    assert rv.layout == "plain"
    assert [(s.label, s.start, s.end) for s in rv.spans] == [("text", 2, 15)]


def test_book_reference_forms():
    assert split_book_reference("시마즈 죠 닛케이BP 기자의 'AI 골드러시'") == ("AI 골드러시", "시마즈 죠")
    assert split_book_reference("『칩 워』(크리스 밀러 지음)") == ("칩 워", "크리스 밀러")
    assert split_book_reference("아무 인용 없음") == ("", "")
