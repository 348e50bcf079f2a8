"""Saved web pages: brunch article pages and other HTML become reviews (no network, no markup)."""

import socket
from pathlib import Path

import pytest

from valuechain.html_extract import declared_charset, extract_page, looks_like_html, parse_date
from valuechain.ingest import RejectedInput, ingest_bytes, parse_review

FIX = Path(__file__).parent / "fixtures" / "inputs"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a connection while ingesting fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("network access during ingest")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="module")
def brunch():
    raw = (FIX / "brunch-page.html").read_bytes()
    return ingest_bytes("brunch-page", raw, source="brunch-page.html")


def test_brunch_header_metadata(brunch):
    assert brunch.layout == "brunch"
    assert brunch.title == "삽을 판 사람들"
    assert brunch.subtitle == "크리스 밀러의 『칩 워』를 다시 읽으며"
    assert brunch.author == "김하늘"
    assert brunch.date == "2024-03-14"
    assert (brunch.book_title, brunch.book_author) == ("칩 워", "크리스 밀러")
    assert brunch.encoding == "utf-8"
    assert brunch.warnings == []


def test_brunch_page_becomes_the_copy_paste_layout(brunch):
    head = "brunch\n\n삽을 판 사람들\n\n크리스 밀러의 『칩 워』를 다시 읽으며\n\nby 김하늘\n\n"
    assert brunch.text.startswith(head)
    # the same text parsed as a copy-paste gives the same fields and spans
    again = parse_review("x", brunch.text, footer=False)
    assert (again.title, again.subtitle, again.author) == (brunch.title, brunch.subtitle, brunch.author)
    assert again.spans == brunch.spans


def test_brunch_body_paragraphs(brunch):
    body = next(s for s in brunch.spans if s.label == "body")
    text = brunch.text[body.start : body.end]
    assert text.startswith("1848년, 캘리포니아\n\n골드러시 때 큰돈을 번 사람은")
    # inline markup joined, source line breaks collapsed, <br> kept as a line break, &nbsp; a space
    assert "청바지를 판 리바이 슈트라우스, 삽과 곡괭이를" in text
    assert "지금의 삽은 GPU다.\n엔비디아는 설계만 하고, 칩은 TSMC가 만든다. HBM은" in text
    assert "데이터센터에 들어가는 GPU 서버" in text  # image caption
    assert "금광보다 금광으로 가는 길이 더 돈이 된다." in text  # quotation
    # a paragraph that reads like brunch's footer ("이 매거진...") is still body text in a page
    assert text.endswith("결국 승자는 도구를 파는 쪽이다.")
    assert "\n\n\n" not in text and "\u00a0" not in text


@pytest.mark.parametrize(
    "junk",
    [
        "스크립트",
        "window.__BRUNCH_CONFIG__",
        "gtag",
        "line-height",
        "브런치스토리 나우",
        "시작하기",
        "외부 링크 카드",
        "링크 미리보기",
        "라이킷",
        "댓글",
        "작가의 이전글",
        "작가의 다음글",
        "Kakao",
        "주석",
        "반도체\n",
        "GPU 사진",
        "<",
        ">",
    ],
)
def test_brunch_scripts_styles_navigation_removed(brunch, junk):
    assert junk not in brunch.text


def test_spans_are_exact_offsets(brunch):
    for sp in brunch.spans:
        piece = brunch.text[sp.start : sp.end]
        assert piece == piece.strip() and piece
        if sp.label in ("title", "subtitle"):
            assert piece == getattr(brunch, sp.label)


def test_generic_article_in_euc_kr():
    raw = (FIX / "news-article-euckr.htm").read_bytes()
    assert declared_charset(raw) == "euc-kr"
    rv = ingest_bytes("news", raw, source="news-article-euckr.htm")
    assert rv.encoding == "cp949"
    assert rv.layout == "plain"
    assert rv.title == "HBM 경쟁, 누가 웃을까"
    assert rv.author == "이서준"
    assert rv.date == "2023-11-02"
    assert rv.text.startswith("HBM 경쟁, 누가 웃을까\n\n이서준 기자 2023.11.02\n\nSK하이닉스는 HBM3를")
    assert "앞서 나갔다. 삼성전자는" in rv.text  # source newline inside <p> is a space
    for junk in ("광고", "많이 본 뉴스", "Copyright", "산업", "다른 기사"):
        assert junk not in rv.text
    assert rv.spans and rv.text[rv.spans[0].start : rv.spans[0].end].startswith("HBM 경쟁")


def test_page_without_article_uses_body_with_a_warning():
    html = (
        "<html><head><title>제목</title><style>p{}</style></head><body>"
        "<nav><a href='/'>홈</a></nav><div><p>첫 문단이다.</p><p>둘째 문단.</p></div>"
        "<footer>꼬리말</footer></body></html>"
    )
    page = extract_page(html)
    assert page.kind == "body"
    assert page.text == "첫 문단이다.\n\n둘째 문단.\n"
    assert any("<body>" in w for w in page.warnings)


def test_main_element_is_preferred_to_body():
    page = extract_page("<body><p>바깥</p><main><h2>본문 제목</h2><p>본문</p></main></body>")
    assert page.kind == "main" and page.text == "본문 제목\n\n본문\n"


def test_several_articles_first_is_used_with_a_warning():
    page = extract_page("<body><article><p>첫 글</p></article><article><p>관련 기사</p></article></body>")
    assert page.text == "첫 글\n" and any("2 <article>" in w for w in page.warnings)


def test_nfd_markup_gives_nfc_text_and_metadata():
    nfd = "\u1112\u1161\u11ab\u1100\u116e\u11a8"  # 한국 as conjoining jamo
    rv = ingest_bytes(
        "n",
        f"<html><head><title>{nfd}</title><meta name='author' content='{nfd}'></head>"
        f"<body><main><p>{nfd}어</p></main></body></html>".encode(),
        source="n.html",
    )
    assert rv.text == "한국어\n" and rv.title == "한국" and rv.author == "한국"


def test_declared_charset_wrong_but_bytes_utf8():
    html = '<html><head><meta charset="euc-kr"></head><body><p>유니코드로 저장된 한국어 페이지</p></body></html>'
    rv = ingest_bytes("p", html.encode("utf-8"), source="p.html")
    assert rv.encoding == "utf-8" and "유니코드로 저장된" in rv.text
    assert any("declares charset euc-kr" in w for w in rv.warnings)


def test_korean_page_mislabelled_as_latin1():
    html = (
        '<html><head><meta charset="iso-8859-1"></head><body><p>삼성전자와 SK하이닉스가 HBM을 만든다.</p></body></html>'
    )
    rv = ingest_bytes("p", html.encode("cp949"), source="p.html")
    assert rv.encoding == "cp949" and "삼성전자와 SK하이닉스" in rv.text
    assert any("declares charset iso-8859-1" in w for w in rv.warnings)


def test_declared_latin1_page_stays_latin1():
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Le café de la gare</p></body></html>'
    rv = ingest_bytes("p", html.encode("latin-1"), source="p.html")
    assert rv.encoding == "iso8859-1" and "café" in rv.text


def test_utf16_html_with_bom():
    raw = (FIX / "brunch-page.html").read_text(encoding="utf-8").encode("utf-16")
    rv = ingest_bytes("b", raw, source="b.html")
    assert rv.encoding == "utf-16" and rv.title == "삽을 판 사람들"


def test_html_without_text_is_rejected_as_empty():
    with pytest.raises(RejectedInput) as e:
        ingest_bytes(
            "x", b"<html><head><script>var a = 1;</script></head><body> <img src=a.png> </body></html>", source="x.html"
        )
    assert e.value.reason == "empty"


def test_brunch_page_without_author_or_subtitle():
    html = (
        "<h1 class='cover_title'>제목만</h1><div class='wrap_body'><p class='wrap_item'>by the way 본문</p>"
        "<p class='wrap_item'>둘째</p></div>"
    )
    rv = ingest_bytes("x", html.encode(), source="x.html")
    assert rv.layout == "brunch" and rv.title == "제목만" and rv.subtitle == "" and rv.author == ""
    body = next(s for s in rv.spans if s.label == "body")
    assert rv.text[body.start : body.end] == "by the way 본문\n\n둘째"
    assert any("without an author" in w for w in rv.warnings)


def test_txt_file_holding_a_saved_page():
    rv = ingest_bytes("p", (FIX / "page-saved-as.txt").read_bytes(), source="page-saved-as.txt")
    assert rv.text == "확장자는 txt지만 HTML이다.\n"
    assert any("HTML" in w for w in rv.warnings)
    assert looks_like_html("<!-- saved -->\n<!DOCTYPE html><html>")
    assert not looks_like_html("<p>본문에 태그 하나</p>")


def test_deeply_nested_markup_does_not_overflow():
    html = (
        "<html><body><article>" + "<div>" * 5000 + "<p>깊은 곳의 글</p>" + "</div>" * 5000 + "</article></body></html>"
    )
    rv = ingest_bytes("deep", html.encode(), source="deep.html")
    assert rv.text == "깊은 곳의 글\n"


def test_comments_cdata_and_hidden_elements_are_not_text():
    html = (
        "<article><p>보이는 글<!-- 숨은 주석 --></p><p hidden>숨김</p><p style='display: none'>숨김2</p>"
        "<div aria-hidden='true'>숨김3</div><![CDATA[데이터]]><template><p>틀</p></template></article>"
    )
    assert extract_page(html).text == "보이는 글\n"


@pytest.mark.parametrize(
    "raw, date",
    [
        ("Mar 14. 2024", "2024-03-14"),
        ("Dec 5. 2023", "2023-12-05"),
        ("March 4, 2024", "2024-03-04"),
        ("2023-11-02T08:30:00+09:00", "2023-11-02"),
        ("2023.11.02", "2023-11-02"),
        ("2023. 11. 2.", "2023-11-02"),
        ("2023년 11월 2일", "2023-11-02"),
        ("20231102", "2023-11-02"),
        ("3시간전", ""),
        ("", ""),
        ("2023-13-45", ""),
    ],
)
def test_dates(raw, date):
    assert parse_date(raw) == date


def test_relative_brunch_date_is_left_empty_with_a_warning():
    html = (
        "<h1 class='cover_title'>제목</h1><span class='cover_info'><span class='f_l date'>3시간전</span></span>"
        "<div class='wrap_body'><p class='wrap_item'>본문</p></div>"
    )
    rv = ingest_bytes("x", html.encode(), source="x.html")
    assert rv.date == ""
    assert any("3시간전" in w for w in rv.warnings)
