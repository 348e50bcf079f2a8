"""The benchmark's synthetic review generator (functional only; no timing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from valuechain import bench
from valuechain.ingest import ingest_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sources():
    return bench.load_sources(ROOT)


def test_lengths_in_range_and_deterministic(sources):
    a = bench.generate_reviews(3, seed=1, sources=sources)
    b = bench.generate_reviews(3, seed=1, sources=sources)
    assert a == b
    assert len({name for name, _ in a}) == 3
    for _, text in a:
        assert bench.MIN_CHARS <= len(text) <= bench.MAX_CHARS
    assert bench.generate_reviews(3, seed=2, sources=sources) != a


def test_prefix_property_and_both_layouts(sources):
    many = bench.generate_reviews(40, seed=0, sources=sources)
    assert bench.generate_reviews(5, seed=0, sources=sources) == many[:5]
    assert bench.generate_reviews(2, seed=0, sources=sources, start=5) == many[5:7]
    layouts = set()
    for name, text in many:
        rv = ingest_bytes(Path(name).stem, text.encode("utf-8"), source=name)
        layouts.add(rv.layout)
        assert rv.spans and rv.spans[-1].end > rv.spans[-1].start
        if rv.layout == "brunch":
            assert rv.title and rv.author
            body = text[rv.spans[-1].start : rv.spans[-1].end]
            assert "keyword" not in body and "작가의 이전글" not in body
    assert layouts == {"brunch", "plain"}


def test_names_come_from_the_gazetteer(sources):
    names = {n for entries in sources.names.values() for e in entries for n in e}
    assert names, "no gazetteer names"
    text = "".join(t for _, t in bench.generate_reviews(20, seed=3, sources=sources))
    original = (ROOT / "resources" / "reviews" / "ai-goldrush.txt").read_text(encoding="utf-8")
    # names that do not occur in the bundled review were substituted in
    assert any(n in text and n not in original for n in names if len(n) >= 3)


def test_copy_project_leaves_out_reviews(tmp_path):
    dst = tmp_path / "p"
    bench.copy_project(ROOT, dst)
    assert (dst / "Snakefile").exists() and (dst / "workflow").is_dir() and (dst / "config").is_dir()
    assert (dst / "resources" / "reviews").is_dir()
    assert not any((dst / "resources" / "reviews").iterdir())
    assert (dst / "resources" / "gazetteer.tsv").exists() or not bench.DRAFT_GAZETTEER.exists()
