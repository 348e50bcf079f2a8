"""Entity mentions: dates, gazetteer matching, discovery of unknown names, linking, extract CLI.

Sentences here are written for the tests (not taken from the sample review); invented names
(노바칩스, 김도윤, 하늘반도체) are in no gazetteer, so finding them exercises discovery.
"""

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from valuechain.gazetteer import load_gazetteer
from valuechain.ner.candidates import toks_of
from valuechain.ner.dates import find_dates
from valuechain.ner.gazetteer_matcher import GazetteerMatcher


@pytest.fixture(scope="module")
def rec():
    from valuechain.stages.mentions import load_recognizer

    return load_recognizer(
        str(ROOT / "resources/gazetteer.tsv"),
        str(ROOT / "resources/models/ner_types.npz"),
        str(ROOT / "resources/stoplist.txt"),
        str(ROOT / "resources/kiwi_userdict.tsv"),
    )


def mentions(nlp, rec, text, hints=None):
    doc = nlp(text)
    ms = rec(doc, hints or {})
    for m in ms:
        assert text[m.start : m.end] == m.text  # offsets are exact by construction
    return ms


@pytest.mark.parametrize(
    "text, value",
    [
        ("1848년 캘리포니아", "1848"),
        ("2024년 5월 인터뷰", "2024-05"),
        ("2020년대 초반과", "2020-2023"),
        ("1850년대", "1850-1859"),
        ("2023~2024년", "2023-2024"),
        ("2024.05.03", "2024-05-03"),
    ],
)
def test_dates_are_normalised(text, value):
    ds = find_dates(text)
    assert [d.value for d in ds] == [value]


def test_gazetteer_matches_spacing_and_case_variants(nlp):
    gaz = load_gazetteer(ROOT / "resources/gazetteer.tsv")
    m = GazetteerMatcher(gaz)
    text = "SK 하이닉스와 삼성전자파운드리사업부, MS와 ms"
    found = {(text[g.start : g.end], g.ids[0]) for g in m.match(toks_of(nlp(text)), text)}
    assert ("SK 하이닉스", "sk_hynix") in found
    assert ("삼성전자파운드리사업부", "samsung_foundry") in found
    assert any(s == "MS" for s, _ in found) and not any(s == "ms" for s, _ in found)


def test_particles_are_not_part_of_mentions(nlp, rec):
    ms = mentions(nlp, rec, "오픈AI와 엔비디아는 협력했다. 마이크로소프트의 투자도 있었다.")
    assert {m.text for m in ms} >= {"오픈AI", "엔비디아", "마이크로소프트"}
    assert all(not m.text.endswith(("와", "는", "의")) for m in ms)


def test_unknown_names_are_discovered_and_typed(nlp, rec):
    text = (
        "국내 스타트업 노바칩스는 AI 반도체를 설계하는 팹리스 기업이다. 김도윤 대표는 2021년 회사를 세웠다. "
        "하늘반도체는 노바칩스의 칩을 생산한다."
    )
    ms = mentions(nlp, rec, text)
    got = {m.text: m.label for m in ms}
    assert got.get("노바칩스") == "ORG"
    assert got.get("김도윤") == "PERSON"
    assert got.get("하늘반도체") == "ORG"
    keys = {m.key for m in ms if m.text == "노바칩스"}
    assert len(keys) == 1  # every occurrence links to one entity


def test_parenthetical_alias_and_ambiguous_words(nlp, rec):
    ms = mentions(nlp, rec, "미국 바나나(Banana)는 GPU 대여 서비스를 하는 기업이다.")
    keys = {m.key for m in ms if m.text in ("바나나", "Banana")}
    assert keys == {"banana"}
    # the fruit is not a company
    assert not [m for m in mentions(nlp, rec, "아침에 바나나를 먹었다.") if m.text == "바나나"]


def test_division_keeps_its_own_entity(nlp, rec):
    ms = mentions(nlp, rec, "삼성전자 파운드리사업부와 삼성전자는 다르다.")
    keys = {m.text: m.key for m in ms}
    assert keys["삼성전자"] != keys.get("삼성전자 파운드리사업부")


def test_quoted_titles_are_works(nlp, rec):
    ms = mentions(nlp, rec, "유발 하라리의 『사피엔스』와 크리스 밀러의 '칩 워'를 읽었다.")
    works = {m.text for m in ms if m.label == "WORK"}
    assert {"사피엔스", "칩 워"} <= works


def test_header_author_is_a_person(nlp, rec):
    ms = mentions(nlp, rec, "홍길순 기자의 책을 읽었다. 홍길순은 말한다.", {"persons": ["홍길순"]})
    assert [m.label for m in ms if m.text == "홍길순"] == ["PERSON", "PERSON"]


def test_model_metadata_reports_held_out_accuracy():
    meta = json.loads((ROOT / "resources/models/ner_types.json").read_text(encoding="utf-8"))
    assert 0.5 <= meta["heldout_actor_f1"] <= 1.0
    assert meta["heldout_candidate_accuracy"] > 0.9
    assert "CC BY-SA" in meta["licence"]


def test_extract_cli_writes_json_lines(tmp_path):
    inp = tmp_path / "in.txt"
    inp.write_text("엔비디아는 GPU를 만든다.\n샘 올트먼은 오픈AI를 이끈다.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "valuechain.cli",
            "extract",
            str(inp),
            "-o",
            str(out),
            "--config",
            str(ROOT / "config/config.yaml"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    lines = inp.read_text(encoding="utf-8").splitlines()
    assert {(r["doc"], r["text"]) for r in rows} >= {(0, "엔비디아"), (1, "샘 올트먼"), (1, "오픈AI")}
    for r in rows:
        assert lines[r["doc"]][r["start"] : r["end"]] == r["text"]
        assert set(r) == {"doc", "start", "end", "text", "label", "entity_id"}
