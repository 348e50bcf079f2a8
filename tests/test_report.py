"""The report (valuechain.report) on fixture tables: escaping, highlighting, optional inputs, font, Markdown.

Fixtures: tests/fixtures/report/tree is laid out like results/ (regenerate with make_fixtures.py); it
holds the bundled sample review and a hostile review whose text, title, names, roles, evidence, URL and
file name carry ``<script>alert(1)</script>`` and ``<img src=x onerror=alert(1)>``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
from collections import Counter
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from valuechain.report import build, chain_links, data, fonts, highlight, html, markdown, svg
from valuechain.report.workflow import report_inputs

FIX = ROOT / "tests" / "fixtures" / "report"
TREE = FIX / "tree"
XSS1 = "<script>alert(1)</script>"
XSS2 = "<img src=x onerror=alert(1)>"


def fixture_inputs(tree: Path = TREE, scores: bool = True, **over) -> dict:
    inputs = dict(
        reviews=str(tree / "tables/reviews.csv"),
        rejected=str(tree / "tables/rejected.csv"),
        mentions=str(tree / "tables/mentions.csv"),
        entities=str(tree / "tables/entities.csv"),
        relations=str(tree / "tables/relations.csv"),
        layers=str(tree / "tables/layers.csv"),
        analogies=str(tree / "tables/analogies.csv"),
        links=str(tree / "tables/links.csv"),
        edges=str(tree / "tables/value_chain_edges.csv"),
        provenance=str(tree / "provenance.json"),
        taxonomy=str(FIX / "taxonomy.yaml"),
        review_texts=sorted(str(p) for p in tree.glob("interim/*/reviews.jsonl")),
        scores=str(FIX / "scores.json") if scores else None,
    )
    inputs.update(over)
    return inputs


def build_fixture(out_dir: Path, **over) -> Path:
    out = out_dir / "report.html"
    build(html_out=str(out), md_out=str(out_dir / "report.md"), **fixture_inputs(**over))
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[str, BeautifulSoup]:
    out = build_fixture(tmp_path_factory.mktemp("report"))
    page = out.read_text(encoding="utf-8")
    return page, BeautifulSoup(page, "html.parser")


# ------------------------------------------------------------------ escaping / injection


def test_hostile_strings_are_shown_as_text(report):
    page, soup = report
    text = soup.get_text()
    assert XSS1 in text and XSS2 in text  # the reader sees the payloads literally
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert XSS1 not in page and XSS2 not in page  # ...and they never appear unescaped in the markup


def test_no_injected_elements_or_handlers(report):
    page, soup = report
    scripts = soup.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/json", None]  # the network data, then our code
    assert scripts[-1].string.strip() == html.asset("report.js").strip()
    assert not soup.find_all("img")
    assert not soup.find_all("iframe") and not soup.find_all("object") and not soup.find_all("embed")
    for el in soup.find_all(True):
        bad = [a for a in el.attrs if a.lower().startswith("on")]
        assert not bad, (el.name, bad)
    for a in soup.find_all(href=True):
        assert a["href"].startswith(("#", "https://", "http://")), a["href"]  # javascript: never becomes a link
    assert "javascript:alert(1)" in soup.get_text()


def test_hostile_review_highlight_is_escaped(report):
    _, soup = report
    review = soup.find("details", attrs={"data-review": "evil-review"})
    marks = review.select(".doc mark.ent")
    assert [m.get_text() for m in marks] == [f"악성회사{XSS1}", "엔비디아"]
    assert not review.find("script") and not review.find("img")


def test_json_island_cannot_close_its_element():
    s = html.json_island({"name": "</script><script>alert(1)</script>", "amp": "a & b", "ls": "\u2028"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s)["name"] == "</script><script>alert(1)</script>"


def test_csp_forbids_network_and_pins_the_script(report):
    page, soup = report
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    digest = base64.b64encode(hashlib.sha256(html.asset("report.js").encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert not re.search(
        r"""(src|href)\s*=\s*["']?(https?:)?//""",
        page.split("</style>", 1)[1].replace('href="https://brunch.co.kr/"', ""),
    )  # no external resource anywhere (the one link is an <a>)
    assert "@import" not in page and "url(http" not in page


def test_safe_url():
    assert html.safe_url("https://brunch.co.kr/@x/1") == "https://brunch.co.kr/@x/1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "//evil", "", "brunch.co.kr"):
        assert html.safe_url(bad) is None


# ------------------------------------------------------------------ content


def test_marks_match_mentions_csv(report):
    _, soup = report
    m = pd.read_csv(TREE / "tables/mentions.csv", dtype=str, keep_default_na=False)
    expected = Counter(m["review_id"])
    for rid, n in expected.items():
        review = soup.find("details", attrs={"data-review": rid})
        marks = review.select(".doc mark.ent")
        assert len(marks) == n, rid
        assert len({mk["data-m"] for mk in marks}) == n
    # every mark shows exactly the review text at its offsets
    texts = data.load_texts([str(p) for p in TREE.glob("interim/*/reviews.jsonl")])
    for rid, grp in m.groupby("review_id"):
        review = soup.find("details", attrs={"data-review": rid})
        marks = {int(mk["data-m"]): mk for mk in review.select(".doc mark.ent")}
        for k, row in enumerate(grp.itertuples()):
            assert texts[rid].text[int(row.start) : int(row.end)] == row.text
            assert marks[k]["data-label"] == row.label


def doc_text(page: str, review_id: str) -> str:
    """The text of a review's .doc block, read from the raw markup (BeautifulSoup drops some whitespace)."""
    start = page.index(f'data-review="{review_id}"')
    block = page[page.index('<div class="doc"', start) :]
    block = block[: block.index("</div>")]
    return unescape(re.sub(r"<[^>]*>", "", block))


def test_review_text_round_trips(report):
    """Highlighting adds markup only: the text of each review block is the decoded review, unchanged."""
    page, _ = report
    texts = data.load_texts([str(p) for p in TREE.glob("interim/*/reviews.jsonl")])
    for rid, doc in texts.items():
        assert doc_text(page, rid) == doc.text


def test_overview_and_metadata(report):
    _, soup = report
    text = soup.get_text(" ")
    for s in (
        "AI 시대가 왔는데, 당신은 무엇을 하고 있죠?",
        "생각하는T",
        "AI 골드러시, 돈을 버는 자는 누구인가",
        "시마즈 죠",
        "https://brunch.co.kr/",
        "2024-10-01",
        "empty.txt",
        "looks like a PDF document, not text",
    ):
        assert s in text, s
    cards = {c.select_one(".k").get_text(): c.select_one(".v").get_text() for c in soup.select("#overview .card")}
    assert cards["reviews"] == "2" and cards["entity mentions"] == "46" and cards["relations"] == "17"
    assert cards["rejected files"] == "2"


def test_value_chain_diagram(report):
    _, soup = report
    svg = soup.select_one("svg.chain")
    layers = [g["data-layer"] for g in svg.select("g.layer")]
    # gold-rush column then AI column, each in taxonomy (chain) order; finance_transport is in both
    assert layers[:3] == ["gold_prospecting", "supplies_trade", "finance_transport"]
    assert layers[3:6] == ["materials_equipment", "chip_design", "foundry"]
    assert layers.count("finance_transport") == 2
    chips = {g["data-eid"] for g in svg.select("g.chip")}
    assert {"sk_hynix", "levi_strauss", "nvidia", "henry_wells"} <= chips
    assert len(svg.select("g.analogy")) == 4  # 3 layer-level + 1 actor-level analogy


def test_relations_with_evidence_anchor(report):
    _, soup = report
    rows = soup.select("#relations tbody tr")
    assert len(rows) == 17
    links = soup.select("#relations a.evlink")
    assert links and all(soup.find(id=a["href"][1:]) for a in links)
    # the actor is bold inside its evidence sentence
    assert any(b.get_text() == "SK하이닉스" for b in soup.select("#relations .evtext b"))


def test_network_is_deterministic_and_matches_cooccurrence(tmp_path, report):
    page, soup = report
    isl = json.loads(soup.find("script", id="net-data").string)
    pairs = data.cooccurrence(pd.read_csv(TREE / "tables/mentions.csv", dtype=str, keep_default_na=False))
    ids = [n["id"] for n in isl["nodes"]]
    assert {tuple(sorted((ids[a], ids[b]))): w for a, b, w in isl["edges"]} == {
        k: v for k, v in pairs.items() if k[0] in ids and k[1] in ids
    }
    again = build_fixture(tmp_path).read_text(encoding="utf-8")
    assert again == page  # byte-identical: seeded layout, no timestamps, deterministic font subset


def test_scores_shown_or_no_gold(tmp_path, report):
    _, soup = report
    assert "0.910" in soup.select_one("#method").get_text()
    out = build_fixture(tmp_path, scores=False)
    page = out.read_text(encoding="utf-8")
    assert "No gold annotations" in page
    assert "No gold annotations" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_provenance_section(report):
    _, soup = report
    method = soup.select_one("#method").get_text(" ")
    assert "617e6ae9f9dea2917b6f507e962eaabf536dab2d5f14dae4cb736866db8728cf" in method
    assert "kiwipiepy" in method and "0.24.1" in method
    assert XSS1 in method  # the config value is shown, escaped


def test_only_reviews_table(tmp_path):
    """Early in the pipeline only reviews.csv exists: the report still builds and says what is missing."""
    out = tmp_path / "r.html"
    d = build(html_out=str(out), md_out=str(tmp_path / "r.md"), reviews=str(TREE / "tables/reviews.csv"))
    page = out.read_text(encoding="utf-8")
    assert len(d.reviews) == 2 and len(d.mentions) == 0
    assert "Not yet produced by the pipeline" in page and "mentions.csv" in page
    assert "No gold annotations" in page
    assert "was not given to the report" in page  # no texts


def test_extra_columns_and_missing_optional_columns(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    ent = pd.read_csv(tree / "tables/entities.csv", dtype=str, keep_default_na=False)
    ent.drop(columns=["wikidata", "layer_confidence", "n_mentions"]).assign(extra="x").to_csv(
        tree / "tables/entities.csv", index=False
    )
    rel = pd.read_csv(tree / "tables/relations.csv", dtype=str, keep_default_na=False)
    rel.drop(columns=["evidence_start", "evidence_end", "method"]).to_csv(tree / "tables/relations.csv", index=False)
    out = build_fixture(tmp_path, tree=tree)
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select("#entities tbody tr")) == 30
    # evidence found by searching the sentence in the text when offsets are absent
    assert len(soup.select("#relations a.evlink")) == 17


def test_era_layer_table_used_when_present(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    pd.DataFrame([{"era": "gold_rush", "layer": "supplies_trade", "n_entities": 9, "n_relations": 99}]).to_csv(
        tree / "tables/era_layer.csv", index=False
    )
    d = data.load(**{k: v for k, v in fixture_inputs(tree=tree).items()}, era_layer=str(tree / "tables/era_layer.csv"))
    assert d.era_layer["n_relations"].tolist() == ["99"]
    computed = data.compute_era_layer(d.relations, d.entities)
    assert computed.set_index(["era", "layer"]).loc[("gold_rush", "supplies_trade"), "n_relations"] == 4


def test_misaligned_and_out_of_range_mentions_are_reported(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    m = pd.read_csv(tree / "tables/mentions.csv", dtype=str, keep_default_na=False)
    m.loc[0, "text"] = "다른글자"
    m.loc[1, "start"], m.loc[1, "end"] = "999999", "1000002"
    m.to_csv(tree / "tables/mentions.csv", index=False)
    page = build_fixture(tmp_path, tree=tree).read_text(encoding="utf-8")
    assert "1 mentions have offsets outside the text" in page
    assert "1 mentions do not match the text" in page
    assert 'class="ent l-org misaligned"' in page


# ------------------------------------------------------------------ highlighting unit


def test_highlight_nested_and_crossing_mentions():
    text = "삼성전자파운드리사업부와 SK하이닉스 & <b>"
    ms = [
        {"start": 0, "end": 11, "text": "삼성전자파운드리사업부", "label": "ORG", "entity_id": "sf"},
        {"start": 0, "end": 4, "text": "삼성전자", "label": "ORG", "entity_id": "se"},
        {"start": 2, "end": 8, "text": text[2:8], "label": "PRODUCT", "entity_id": "x"},  # crosses "삼성전자"
        {"start": 13, "end": 19, "text": "SK하이닉스", "label": "ORG", "entity_id": "sk"},
        {"start": 22, "end": 25, "text": "<b>", "label": "WEIRD", "entity_id": ""},
    ]
    hl = highlight.render(
        text, [{"label": "body", "start": 0, "end": len(text)}], ms, [(0, 13, 19)], {"sk": "SK하이닉스"}, "r0"
    )
    soup = BeautifulSoup(hl.html, "html.parser")
    marks = soup.find_all("mark")
    assert hl.placed == len(marks) == 5 and not hl.unplaced
    assert unescape(re.sub(r"<[^>]*>", "", hl.html)) == text  # markup only added, text unchanged
    assert not soup.find("b")  # "<b>" in the text stays text
    assert marks[0].find("mark")  # nested
    assert any(mk.get("data-clipped") for mk in marks)  # the crossing one is cut, still one element
    assert soup.find(id="r0-ev0").get_text() == "SK하이닉스"
    assert "l-other" in marks[-1]["class"]


# ------------------------------------------------------------------ font


def embedded_fonts(page: str):
    from fontTools.ttLib import TTFont

    return [
        TTFont(io.BytesIO(base64.b64decode(b64)))
        for b64 in re.findall(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page)
    ]


def test_embedded_korean_font_covers_every_character(report):
    page, soup = report
    assert fonts.find_font("Regular") is not None, (
        "no Korean font to embed: pip install koreanize-matplotlib (or apt-get install fonts-nanum)"
    )
    faces = embedded_fonts(page)
    assert len(faces) == 2  # regular and bold
    shown = set(soup.get_text()) | set("".join(t.get_text() for t in soup.select("svg text")))
    hangul = {c for c in shown if "\uac00" <= c <= "\ud7a3" or "\u3130" <= c <= "\u318f"}
    assert len(hangul) > 300
    for face in faces:
        cmap = face.getBestCmap()
        missing = sorted(c for c in shown if c.isprintable() and not c.isspace() and ord(c) not in cmap)
        assert not missing, missing[:20]
        assert face["name"].getDebugName(1) == fonts.FAMILY  # renamed subset (OFL reserved font name)


def test_font_subset_is_deterministic():
    a, b = fonts.embed("가나다 AI 골드러시"), fonts.embed("가나다 AI 골드러시")
    if not a.css:
        pytest.skip("no Korean font installed")
    assert a.css == b.css and a.n_bytes < 200_000


# ------------------------------------------------------------------ markdown


def test_markdown_summary(tmp_path):
    build_fixture(tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    for s in (
        "## Corpus",
        "## Era × layer",
        "## Entities",
        "## Relations",
        "## Analogies",
        "## Evaluation",
        "| 2 | 38 | 997 | 46 | 30 | 17 | 2 |",
        "SK하이닉스",
        "actor_f1",
    ):
        assert s in md, s
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert markdown.cell("a|b\nc") == "a\\|b c"


# ------------------------------------------------------------------ workflow glue


class _Rule:
    def __init__(self, outs):
        self.outs = outs

    def is_producer(self, path):
        return path in self.outs


class _Workflow:
    def __init__(self, outs):
        self.rules = [_Rule(outs)]


def test_report_inputs_follow_the_rules(tmp_path):
    res = str(tmp_path / "results")
    wf = _Workflow({f"{res}/tables/mentions.csv", f"{res}/tables/entities.csv"})
    inp = report_inputs(wf, res, ["a.jsonl"], str(tmp_path / "no-taxonomy.yaml"), f"{res}/eval/scores.json")
    assert set(inp) == {"reviews", "provenance", "texts", "mentions", "entities"}
    (tmp_path / "tax.yaml").write_text("layers: []\n")
    (tmp_path / "results/eval").mkdir(parents=True)
    (tmp_path / "results/eval/scores.json").write_text("{}")
    inp = report_inputs(wf, res, [], str(tmp_path / "tax.yaml"), f"{res}/eval/scores.json")
    assert inp["taxonomy"].endswith("tax.yaml") and inp["scores"].endswith("scores.json")


def test_every_report_caption_exists():
    for smk in (ROOT / "workflow/rules").glob("*.smk"):
        for cap in re.findall(r'caption="([^"]+)"', smk.read_text(encoding="utf-8")):
            assert (smk.parent / cap).resolve().exists(), (smk.name, cap)
    for name in ("mentions", "entities", "relations", "layers", "analogies", "tokens", "report", "reviews", "rejected"):
        assert (ROOT / "workflow/report" / f"{name}.rst").stat().st_size > 80, name


# ------------------------------------------------------------------ value-chain links


def fixture_edges() -> pd.DataFrame:
    return pd.read_csv(TREE / "tables/value_chain_edges.csv", dtype=str, keep_default_na=False)


def fixture_links() -> pd.DataFrame:
    return pd.read_csv(TREE / "tables/links.csv", dtype=str, keep_default_na=False)


def test_diagram_draws_the_supply_and_capital_edges(report):
    _, soup = report
    svg = soup.select_one("svg.chain")
    edges = fixture_edges()
    expected = edges[edges["family"].isin(["supply", "capital"])]
    drawn = svg.select("g.link")
    assert len(drawn) == len(expected) == 5
    assert {(g["data-source"], g["data-type"], g["data-target"]) for g in drawn} == set(
        zip(expected["source"], expected["type"], expected["target"])
    )
    chips = {g["data-eid"] for g in svg.select("g.chip")}
    assert all(g["data-source"] in chips and g["data-target"] in chips for g in drawn)  # from chip to chip
    assert len(svg.select("polygon.lkhead")) == 5  # one arrowhead each
    width = {g["data-target"]: float(g.path["stroke-width"]) for g in drawn if g["data-source"] == "nvidia"}
    assert width["supermicro"] == 7.0  # the edge of two reviews is the widest, one review the thinnest
    assert {float(g.path["stroke-width"]) for g in drawn if g["data-reviews"] == "1"} == {1.6}
    capital = [g for g in drawn if g["data-family"] == "capital"]
    assert len(capital) == 1 and capital[0].path.get("stroke-dasharray")  # capital is dashed
    assert not any(g.path.get("stroke-dasharray") for g in drawn if g["data-family"] == "supply")
    labels = [t.get_text() for t in svg.select("text.lklab")]
    assert {"GPU", "HBM", "AI반도체", "invests in"} <= set(labels)
    assert any(lab.startswith("<img") for lab in labels)  # the hostile object is text in the figure
    assert "all 5 supply and capital edges" in soup.select_one("#chain-links-note").get_text()
    legend = soup.select_one("#chain .legend").get_text()
    assert "supplier → customer" in legend and "investor → investee" in legend


def test_the_diagram_keeps_to_the_strongest_edges(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    edges = fixture_edges()
    ents = pd.read_csv(TREE / "tables/entities.csv", dtype=str, keep_default_na=False)
    layered = sorted(ents.loc[ents["layer"] != "", "entity_id"])
    known = set(zip(edges["source"], edges["target"]))
    pairs = [(a, b) for a in layered for b in layered if a < b and (a, b) not in known][:40]
    extra = [edges.iloc[0].to_dict() | {"source": a, "target": b, "n_reviews": "1", "n_links": "1"} for a, b in pairs]
    extra.append(edges.iloc[0].to_dict() | {"source": "not_an_entity", "n_reviews": "3", "n_links": "3"})
    pd.concat([edges, pd.DataFrame(extra)], ignore_index=True).to_csv(
        tree / "tables/value_chain_edges.csv", index=False
    )
    page = build_fixture(tmp_path, tree=tree).read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    drawn = soup.select("svg.chain g.link")
    assert len(drawn) == chain_links.MAX_DRAWN - 1 == 29  # the strongest edge's source has no chip
    # most reviews first: the edge of two reviews, then those of one in table order
    assert (drawn[0]["data-source"], drawn[0]["data-target"]) == ("nvidia", "supermicro")
    note = soup.select_one("#chain-links-note").get_text()
    assert "the 30 strongest of 46 supply and capital edges" in note
    assert "1 of them not drawn: an end is missing from entities.csv" in note
    assert len(soup.select("#links tbody tr")) == len(edges) + 41


def test_link_ends_without_a_layer_get_a_box(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    edges = fixture_edges()
    row = edges.iloc[0].to_dict() | {"source": "chris_miller", "type": "invests_in", "family": "capital"}
    pd.concat([edges, pd.DataFrame([row])], ignore_index=True).to_csv(
        tree / "tables/value_chain_edges.csv", index=False
    )
    soup = BeautifulSoup(build_fixture(tmp_path, tree=tree).read_text(encoding="utf-8"), "html.parser")
    box = soup.select_one('svg.chain g.layer[data-layer="(no layer)"]')
    assert box is not None and "no layer" in box.get_text()
    assert "chris_miller" in {g["data-eid"] for g in soup.select("svg.chain g.chip")}
    assert len(soup.select("svg.chain g.link")) == 6


def test_link_ends_face_the_corridor():
    """A link end heads its row (AI column) or ends it (gold-rush column): no chip between it and its arrows."""
    items = [((f"e{i}", "", "", ""), 60.0) for i in range(8)]
    rows = svg._chip_rows(items, 200, {"e3", "e6"}, end_last=False)
    assert [r[0][0][0] for r in rows[:2]] == ["e3", "e6"]
    assert sorted(a[0] for r in rows for a, _ in r) == sorted(a[0] for a, _ in items)
    assert all(sum(w for _, w in r) + svg.CHIP_GAP * (len(r) - 1) <= 200 for r in rows)
    rows = svg._chip_rows(items, 200, {"e3"}, end_last=True)
    assert rows[0][-1][0][0] == "e3"
    plain = svg._chip_rows(items, 200, set(), end_last=False)
    assert [len(r) for r in plain] == [3, 3, 2]


def test_links_table(report):
    _, soup = report
    edges = fixture_edges()
    wrap = soup.select_one('#links .tablewrap[data-table="edges"]')
    rows = wrap.select("tbody tr")
    assert len(rows) == len(edges) == 8
    families = [o["value"] for o in wrap.select('select[data-col="2"] option') if o["value"]]
    assert families == sorted(set(edges["family"]))
    types = [o["value"] for o in wrap.select('select[data-col="1"] option') if o["value"]]
    assert types == sorted(set(edges["type"]))
    first = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert first[0] == "엔비디아" and first[3] == "슈퍼마이크로컴퓨터" and first[6:8] == ["2", "2"]
    assert first[8] == "2024–2025"
    assert XSS2 in wrap.get_text() and not wrap.find("img")
    jumps = wrap.select("a.evlink")
    assert jumps and all(soup.find(id=a["href"][1:]) for a in jumps)  # to the underlined sentence


def test_review_text_marks_link_evidence(report):
    _, soup = report
    links = fixture_links()
    for rid, grp in links.groupby("review_id"):
        review = soup.find("details", attrs={"data-review": rid})
        marks = review.select(".doc span.lk")
        spans = {(int(s), int(e)) for s, e in zip(grp["evidence_start"], grp["evidence_end"])}
        assert len(marks) == len(spans), rid
        said = " | ".join(m["data-links"] for m in marks)
        assert said.count(":") >= len(grp)  # every link stated beside its sentence
        assert len(review.select("h3 + table tbody tr")[-len(grp) :]) == len(grp)
        assert "Links in this review" in review.get_text()
    sample = soup.find("details", attrs={"data-review": "ai-goldrush"})
    said = [m["data-links"] for m in sample.select(".doc span.lk")]
    assert "엔비디아 → 슈퍼마이크로컴퓨터: supplies GPU" in said
    assert any("구글 ↔ 오픈AI: competes with" in s for s in said)
    evil = soup.find("details", attrs={"data-review": "evil-review"})
    mark = [m for m in evil.select(".doc span.lk") if "악성회사" in m["data-links"]][0]
    assert f"악성회사{XSS1} → 엔비디아: supplies {XSS2}" == mark["data-links"]  # an attribute value: text
    assert not evil.find("script") and not evil.find("img")


def test_link_marks_keep_the_text(report):
    page, _ = report
    texts = data.load_texts([str(p) for p in TREE.glob("interim/*/reviews.jsonl")])
    for rid, doc in texts.items():
        assert doc_text(page, rid) == doc.text


def test_edges_are_grouped_from_links_when_the_table_is_absent(tmp_path, report):
    d = data.load(**fixture_inputs(edges=None))
    assert len(d.edges) == len(fixture_edges())
    assert d.edges[["source", "type", "target", "n_reviews"]].values.tolist() == (
        fixture_edges()[["source", "type", "target", "n_reviews"]].values.tolist()
    )


def test_markdown_top_edges(tmp_path):
    build_fixture(tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Value-chain edges (most reviews)" in md
    assert "| 엔비디아 | supplies | 슈퍼마이크로컴퓨터 | GPU | 2 | 2 | 2024–2025 |" in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md and "<img" not in md


def test_equal_weights_alternate_between_families():
    rows = [("a", "supplies", "supply", "1")] * 4 + [("b", "invests_in", "capital", "1")] * 2
    rows = [("c", "supplies", "supply", "3")] + rows
    edges = pd.DataFrame(
        [
            {"source": s + str(i), "target": "t", "type": t, "family": f, "object": "", "n_reviews": n, "n_links": n}
            | {"first_era_year": "", "last_era_year": "", "evidence": ""}
            for i, (s, t, f, n) in enumerate(rows)
        ]
    )
    drawn, total = chain_links.drawable_edges(edges, max_n=4)
    assert total == 7
    assert [e.family for e in drawn] == ["supply", "capital", "supply", "capital"]  # strongest first, then turns
