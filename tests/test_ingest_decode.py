"""Decoding review bytes: encodings by detection, line ends, NFC, what is recorded, what is rejected."""

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valuechain.ingest import RejectedInput, decode_bytes, ingest_bytes, is_mostly_korean, normalize_text

FIX = Path(__file__).parent / "fixtures" / "inputs"
SAMPLE = Path(__file__).resolve().parent.parent / "resources" / "reviews" / "ai-goldrush.txt"
KO = "엔비디아는 GPU를 설계하고 TSMC는 칩을 만든다.\n오픈AI는 클라우드에서 모델을 학습한다.\n"


def rejected(data: bytes) -> RejectedInput:
    with pytest.raises(RejectedInput) as e:
        decode_bytes(data)
    return e.value


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    "raw, encoding",
    [
        (KO.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + KO.encode("utf-8"), "utf-8-sig"),
        (KO.encode("cp949"), "cp949"),
        (KO.encode("euc_kr"), "cp949"),  # EUC-KR is read as its superset CP949 and recorded as such
        (KO.encode("utf-16"), "utf-16"),  # with BOM (little-endian on this platform)
        (codecs.BOM_UTF16_BE + KO.encode("utf-16-be"), "utf-16"),
        (KO.encode("utf-32"), "utf-32"),
    ],
)
def test_encodings_decode_to_the_same_text(raw, encoding):
    dec = decode_bytes(raw)
    assert dec.text == KO
    assert dec.encoding == encoding


@pytest.mark.parametrize(
    "text",
    [
        "SK하이닉스와 삼성전자는 HBM을 만든다.\r\n",  # charset-normalizer gives up on this one
        "2022년 챗GPT 공개 이후 본격적인 AI시대가 도래하고 있습니다",  # ... and on this one
        "엔비디아의 GPU를 활용해 AI서버를 조립하는 기업",  # undetected, it reads as Thai (cp874)
        "가나",
        "똠방각하 쀍 햏",  # CP949 extended syllables (not in EUC-KR)
    ],
)
def test_short_cp949_is_detected(text):
    dec = decode_bytes(text.encode("cp949"))
    assert dec.encoding == "cp949"
    assert dec.text == normalize_text(text)
    assert any("cp949" in w for w in dec.warnings)  # the choice is explained in reviews.csv


def test_every_sentence_of_the_sample_in_cp949_is_detected():
    sample = SAMPLE.read_text(encoding="utf-8")
    lines = [ln for ln in sample.splitlines() if ln.strip()]
    n = 0
    for ln in lines:
        for piece in [ln] + ln.split(". "):
            raw = piece.encode("cp949", errors="ignore")
            if raw.isascii() or not piece.strip():
                continue
            try:
                raw.decode("utf-8")
                continue  # a few 1-2 syllable strings are also valid UTF-8; UTF-8 wins by design
            except UnicodeDecodeError:
                pass
            dec = decode_bytes(raw)
            assert dec.encoding == "cp949", piece
            n += 1
    assert n > 50


@pytest.mark.parametrize(
    "text, enc",
    [
        ("Müller und Söhne GmbH, Straße 5", "cp1252"),
        ("Le café de la gare, à côté", "cp1252"),
        ("Ça va très bien, merci", "latin_1"),
    ],
)
def test_western_legacy_text_is_not_read_as_korean(text, enc):
    dec = decode_bytes(text.encode(enc))
    assert dec.encoding == "cp1252"
    assert dec.text == text


@pytest.mark.parametrize(
    "text, enc",
    [
        ("こんにちは、世界。日本語のテキストです", "shift_jis"),
        ("こんにちは、世界。日本語のテキストです", "euc_jp"),
        ("你好世界这是中文文本我们在测试编码检测", "gb2312"),
    ],
)
def test_other_cjk_encodings_are_left_to_the_detector(text, enc):
    dec = decode_bytes(text.encode(enc))
    assert dec.encoding != "cp949"
    assert dec.text == text
    assert any("detection" in w for w in dec.warnings)


def test_mostly_korean_rejects_mojibake():
    assert is_mostly_korean("삼성전자와 SK하이닉스")
    assert not is_mostly_korean("English only")
    assert not is_mostly_korean("궞귪궸궭궼갂맊둉갃볷")  # Shift-JIS kana read as CP949: rare syllables
    assert not is_mostly_korean("大韓民國 憲法 第一條")


def test_utf16_without_bom_is_read_only_when_it_forms_text():
    dec = decode_bytes(KO.encode("utf-16-le"))
    assert dec.text == KO and dec.encoding == "utf-16-le"
    assert any("byte-order mark" in w for w in dec.warnings)
    assert rejected(bytes(range(256)) * 8).reason == "binary"


def test_truncated_utf8_is_kept_with_a_warning():
    raw = KO.encode()
    raw = raw[: raw.rindex("다".encode()) + 2]  # the file ends inside the last syllable
    dec = decode_bytes(raw)
    assert dec.encoding == "utf-8"
    assert dec.text.endswith("\ufffd")
    assert any("U+FFFD" in w for w in dec.warnings)


def test_cp949_with_one_bad_byte_is_kept_with_a_warning():
    raw = KO.encode("cp949")
    raw = raw[:10] + b"\xff" + raw[10:]
    dec = decode_bytes(raw)
    assert dec.encoding == "cp949"
    assert "\ufffd" in dec.text
    assert any("U+FFFD" in w for w in dec.warnings)


@pytest.mark.parametrize(
    "raw, text",
    [
        (codecs.BOM_UTF16_LE + "가나다".encode("utf-16-le") + b"\x41", "가나다\ufffd"),  # odd length: cut short
        (codecs.BOM_UTF16_LE + b"\x00\xd8" + "가나".encode("utf-16-le"), "\ufffd\ufffd가나"),  # lone surrogate
        (codecs.BOM_UTF8 + b"\xff" + "가나".encode(), "\ufffd가나"),
    ],
)
def test_damaged_file_with_a_bom_keeps_its_encoding(raw, text):
    dec = decode_bytes(raw)
    assert dec.text == text
    assert any("U+FFFD" in w for w in dec.warnings)


def test_bom_followed_by_garbage_is_undecodable():
    assert rejected(codecs.BOM_UTF16_LE + b"\x00\xdc" * 100).reason == "undecodable"


# ------------------------------------------------------------------ line ends and NFC


@pytest.mark.parametrize("nl", ["\r\n", "\r", "\n"])
@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "cp949", "utf-16"])
def test_line_ends_become_lf(nl, enc):
    dec = decode_bytes(KO.replace("\n", nl).encode(enc))
    assert dec.text == KO


def test_nfd_hangul_becomes_nfc():
    nfd = "\u1112\u1161\u11ab\u1100\u116e\u11a8"  # 한국 as conjoining jamo
    assert decode_bytes(nfd.encode()).text == "한국"


# ------------------------------------------------------------------ rejected


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   ",
        b" \t\r\n\r\n",
        codecs.BOM_UTF8,
        codecs.BOM_UTF8 + b"\r\n",
        " \r\n".encode("utf-16"),
        "\u3000\u00a0\u200b\n".encode(),
    ],
)
def test_empty_and_whitespace_only(raw):
    assert rejected(raw).reason == "empty"


@pytest.mark.parametrize(
    "raw, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"),
    ],
)
def test_binary_formats_are_named(raw, kind):
    e = rejected(raw)
    assert e.reason == "binary" and kind in e.detail


def test_nul_bytes_and_control_characters_are_binary():
    assert rejected(b"abc\x00def" * 50).reason == "binary"
    assert rejected("본문\x00입니다".encode()).reason == "binary"  # NUL inside valid UTF-8
    assert rejected(bytes(range(1, 32)) * 20).reason == "binary"


def test_a_few_control_characters_are_only_a_warning():
    dec = decode_bytes(KO.encode() + b"\x1a")  # DOS end-of-file marker
    assert dec.text.startswith(KO)
    assert any("control" in w for w in dec.warnings)


def test_random_bytes_are_rejected_not_decoded():
    import random

    rnd = random.Random(7)
    for _ in range(20):
        raw = bytes(rnd.randrange(1, 256) for _ in range(2000))
        with pytest.raises(RejectedInput) as e:
            decode_bytes(raw)
        assert e.value.reason in ("binary", "undecodable")


# ------------------------------------------------------------------ fixtures on disk


@pytest.mark.parametrize(
    "name, encoding",
    [
        ("utf8-plain.txt", "utf-8"),
        ("utf8-bom-crlf.txt", "utf-8-sig"),
        ("cp949-short.txt", "cp949"),
        ("cp949-crlf.txt", "cp949"),
        ("utf16-bom.txt", "utf-16"),
        ("cr-only.txt", "utf-8"),
        ("english-only.md", "utf-8"),
    ],
)
def test_fixture_files(name, encoding):
    raw = (FIX / name).read_bytes()
    rv = ingest_bytes(Path(name).stem, raw, source=name)
    assert rv.encoding == encoding
    assert "\r" not in rv.text
    for sp in rv.spans:  # offsets refer to the decoded text
        assert rv.text[sp.start : sp.end].strip() == rv.text[sp.start : sp.end]


def test_fixture_bytes_were_not_converted_by_an_editor_or_git():
    assert (FIX / "cp949-short.txt").read_bytes() == "SK하이닉스와 삼성전자는 HBM을 만든다.\r\n".encode("cp949")
    assert (FIX / "utf16-bom.txt").read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert b"\r\n" in (FIX / "utf8-bom-crlf.txt").read_bytes()
    assert b"\n" not in (FIX / "cr-only.txt").read_bytes()


def test_brunch_layout_survives_every_encoding():
    raw = (FIX / "utf8-bom-crlf.txt").read_bytes()
    text = raw.decode("utf-8-sig")
    ref = ingest_bytes("a", raw, source="a.txt")
    assert ref.layout == "brunch" and ref.title == "도구를 파는 사람들" and ref.author == "박지민"
    for enc in ("utf-8", "cp949", "utf-16", "utf-32"):
        rv = ingest_bytes("a", text.encode(enc), source="a.txt")
        assert rv.text == ref.text, enc
        assert [(s.label, s.start, s.end) for s in rv.spans] == [(s.label, s.start, s.end) for s in ref.spans]


def test_english_only_is_processed_with_a_warning():
    rv = ingest_bytes("e", (FIX / "english-only.md").read_bytes(), source="english-only.md")
    assert any(w.startswith("little Korean found") for w in rv.warnings)


# ------------------------------------------------------------------ properties

_KO_TEXT = st.text(
    alphabet=st.sampled_from(list("가나다라마바사아자차카타파하한국어삼성전자엔비디아의는을를 ,.\n\r")),
    min_size=1,
    max_size=80,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_KO_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"]))
def test_unicode_encodings_round_trip(text, enc):
    raw = text.encode(enc)
    if enc == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    if not normalize_text(text).strip():
        assert rejected(raw).reason == "empty"
        return
    assert decode_bytes(raw).text == normalize_text(text)


@settings(max_examples=200, deadline=None)
@given(_KO_TEXT)
def test_cp949_round_trips_unless_the_bytes_are_also_utf8(text):
    raw = text.encode("cp949")
    if not normalize_text(text).strip():
        return
    try:
        raw.decode("utf-8")
        return  # e.g. 책 = C3 A5 = "å" in UTF-8: ambiguous, UTF-8 wins
    except UnicodeDecodeError:
        pass
    dec = decode_bytes(raw)
    if any(0xAC00 <= ord(c) <= 0xD7A3 for c in text):
        assert dec.encoding == "cp949"
        assert dec.text == normalize_text(text)
