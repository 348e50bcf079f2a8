"""The report's fast paths give what the straightforward code gives.

The report is built from tables of up to hundreds of thousands of rows, so several steps have a faster
form (vectorised co-occurrence counts, a hand-written relation row, font bounds recalculated without
recompiling every glyph, texts read only for the reviews shown, the page streamed to disk). Each test
here compares one of them with the plain version on the fixture tables or on synthetic data.
"""

from __future__ import annotations

import io
import json
import random
from collections import Counter
from itertools import combinations

import pandas as pd
import pytest
from test_report import TREE, fixture_inputs

from valuechain.report import build, data, fonts, html


def plain_cooccurrence(mentions: pd.DataFrame) -> Counter:
    """The original definition: one pandas group per sentence."""
    pairs: Counter = Counter()
    m = mentions[mentions["entity_id"] != ""]
    for _, grp in m.groupby(["review_id", "sent_id"], sort=True):
        for a, b in combinations(sorted(set(grp["entity_id"])), 2):
            pairs[(a, b)] += 1
    return pairs


def random_mentions(seed: int, n: int = 3000) -> pd.DataFrame:
    rng = random.Random(seed)
    ents = [f"e{i:03d}" for i in range(60)] + ["가나", "Zeta", "alpha", ""]
    rows = [
        {
            "review_id": f"r{rng.randrange(30)}",
            "sent_id": str(rng.randrange(12)),
            "entity_id": rng.choice(ents),
            "text": "x",
        }
        for _ in range(n)
    ]
    return pd.DataFrame(rows).astype(str)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cooccurrence_matches_the_plain_definition(seed):
    m = random_mentions(seed)
    fast, plain = data.cooccurrence(m), plain_cooccurrence(m)
    assert list(fast.items()) == list(plain.items())  # same counts, same first-seen order
    pairs = data.cooccurrence_pairs(m)
    assert pairs.top(15) == sorted(plain.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    deg: dict[str, int] = {}
    for (a, b), w in plain.items():
        deg[a] = deg.get(a, 0) + w
        deg[b] = deg.get(b, 0) + w
    assert pairs.degree() == deg
    chosen = sorted(deg)[::3]
    idx = {e: i for i, e in enumerate(chosen)}
    assert pairs.among(chosen) == [(idx[a], idx[b], w) for (a, b), w in sorted(plain.items()) if a in idx and b in idx]


def test_cooccurrence_of_fixture_and_empty_tables():
    m = pd.read_csv(TREE / "tables/mentions.csv", dtype=str, keep_default_na=False)
    assert list(data.cooccurrence(m).items()) == list(plain_cooccurrence(m).items())
    assert data.cooccurrence(m.iloc[:0]) == Counter()
    one = m[m["entity_id"] != ""].drop_duplicates(["review_id", "sent_id"])  # one entity per sentence
    assert data.cooccurrence(one) == Counter() and len(data.cooccurrence_pairs(one)) == 0


def test_relation_rows_fast_equals_generic():
    d = data.load(**fixture_inputs())
    _, anchors, _, _ = html.reviews_section(d)
    fast = "".join(html.relation_table(d, anchors, fast=True))
    generic = "".join(html.relation_table(d, anchors, fast=False))
    assert fast == generic and fast.count("<tr>") == len(d.relations) + 1


def test_texts_read_only_for_the_reviews_shown(tmp_path):
    paths = sorted(str(p) for p in TREE.glob("interim/*/reviews.jsonl"))
    every = data.load_texts(paths)
    some = data.load_texts(paths, ids=[next(iter(every))])
    assert list(some) == [next(iter(every))] and some[next(iter(every))] == every[next(iter(every))]
    # a line whose id cannot be read with a quick look (escaped characters) is parsed in full
    odd = tmp_path / "reviews.jsonl"
    lines = [
        {"review_id": 'a"b', "text": "1"},
        {"text": "2", "review_id": "c", "spans": []},
        {"review_id": "d", "text": '{"review_id": "c"}'},
    ]
    odd.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    assert set(data.load_texts([str(odd)], ids=['a"b', "c"])) == {'a"b', "c"}
    assert data.load_texts([str(odd)], ids=["c"])["c"].text == "2"


def test_isin_and_rows_helpers():
    s = pd.Series(["a", "b", "", "c", "a"], dtype="str")
    for values in (["a"], [], ["x"], ["", "c"], pd.Series(["b", "a"], dtype="str")):
        assert data.isin(s, values).tolist() == s.isin(list(values)).tolist()
    df = pd.DataFrame({"x": ["1", "2", "3"], "_y": ["a", "b", "c"]}, dtype="str")
    assert [tuple(r) for r in data.rows(df, chunk=2)] == [tuple(r) for r in df.itertuples(index=False)]


def test_mark_names_longest_first_then_code_point_order():
    # overlapping names of one length: the first in code-point order wins, whatever the hash seed
    assert html.mark_names("ABC", ["BC", "AB"]) == "<b>AB</b>C"
    assert html.mark_names("a <b> AB ab", ["AB", "A", ""]) == "a &lt;b&gt; <b>AB</b> ab"


def test_streamed_page_equals_rendered_page(tmp_path):
    d = data.load(**fixture_inputs())
    out = tmp_path / "page.html"
    n = html.write(d, out)
    assert out.read_bytes() == html.render(d).encode("utf-8") and n == out.stat().st_size


def test_build_reads_texts_of_shown_reviews_only(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_REVIEWS_WITH_TEXT", 1)
    d = build(html_out=str(tmp_path / "r.html"), **fixture_inputs())
    assert len(d.texts) == 1 and "1 more reviews are not shown in full" in (tmp_path / "r.html").read_text("utf-8")


def subset_with_full_recalc(path, chars: str) -> bytes:
    """fonts.subset_woff as it was: bounds recalculated on save (every glyph recompiled)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    opts.flavor, opts.hinting, opts.desubroutinize = "woff", False, True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.drop_tables += ["DSIG", "TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
    font = TTFont(str(path), recalcTimestamp=False)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=sorted({ord(c) for c in chars}))
    sub.subset(font)
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16):
            name.setName(fonts.FAMILY, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID in (3, 6):
            name.setName(
                fonts.FAMILY.replace(" ", "") + "-subset", rec.nameID, rec.platformID, rec.platEncID, rec.langID
            )
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_font_subset_equals_full_bounds_recalculation(weight):
    path = fonts.find_font(weight)
    if path is None:
        pytest.skip("no Korean font installed")
    from fontTools.ttLib import TTFont

    cmap = sorted(TTFont(str(path))["cmap"].getBestCmap())
    rng = random.Random(3)
    page = TREE.joinpath("tables/relations.csv").read_text(encoding="utf-8")
    for chars in (fonts.BASE_CHARS + page, "".join(map(chr, rng.sample(cmap, 400))), "가"):
        chars = "".join(c for c in sorted(set(chars)) if c.isprintable())
        assert fonts.subset_woff(path, chars) == subset_with_full_recalc(path, chars)


def test_glyph_header_stand_in_matches_the_decompiled_glyph():
    path = fonts.find_font("Regular")
    if path is None:
        pytest.skip("no Korean font installed")
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    glyf = font["glyf"]
    simple = [n for n in font.getGlyphOrder()[:4000] if fonts._is_simple(glyf.glyphs[n])]
    assert len(simple) > 1000
    for name in simple:
        head = fonts._GlyphHeader(glyf.glyphs[name].data)
        g = glyf[name]  # decompiled
        assert (head.numberOfContours, head.xMin, head.yMin, head.xMax, head.yMax) == (
            g.numberOfContours,
            g.xMin,
            g.yMin,
            g.xMax,
            g.yMax,
        )
        assert head.getMaxpValues() == g.getMaxpValues()


def test_large_corpus_page_lists_relations_of_shown_reviews_only(tmp_path, monkeypatch):
    monkeypatch.setattr(html, "MAX_REVIEWS_WITH_TEXT", 1)
    d = build(html_out=str(tmp_path / "r.html"), **fixture_inputs())
    page = (tmp_path / "r.html").read_text("utf-8")
    first = d.reviews["review_id"].iloc[0]
    n_first = int((d.relations["review_id"] == first).sum())
    assert 0 < n_first < len(d.relations)
    assert f"Shown: the {n_first:,} relations of the first 1 reviews; all {len(d.relations):,} are in" in page
    table = page[page.index('data-table="relations"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == n_first + 1  # + the header row


def test_rows_below_the_confidence_threshold_are_left_out_of_the_page_with_a_note():
    import pandas as pd

    from valuechain.report.data import below_confidence

    df = pd.DataFrame({"role": ["a", "b", "c"], "confidence": ["0.9", "0.3", ""]})
    kept, hidden = below_confidence(df, 0.5)
    assert kept["role"].tolist() == ["a", "c"] and hidden == 1  # a row without a confidence stays
    same, none = below_confidence(df, 0.0)
    assert len(same) == 3 and none == 0
