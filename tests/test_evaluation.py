"""The evaluation glue: summary parsing and a clear status when the kit is absent."""

from valuechain.evaluation import gold_subset, parse_summary, run_scorer


def test_parse_summary_line():
    got = parse_summary("actor_f1=0.950 relation_f1=0.800 relation_strict_f1=0.700 layer_acc=1.000 layer_ari=x")
    assert got == {"actor_f1": 0.95, "relation_f1": 0.8, "relation_strict_f1": 0.7, "layer_acc": 1.0}


def test_missing_kit_is_reported_not_raised(tmp_path):
    out = run_scorer(str(tmp_path / "nope.py"), str(tmp_path / "gold"), str(tmp_path))
    assert out["status"] == "skipped" and "nope.py" in out["reason"]


def test_gold_subset_keeps_only_the_gold_reviews_rows(tmp_path):
    src = tmp_path / "tables"
    src.mkdir()
    (src / "mentions.csv").write_text(
        'review_id,text,entity_id\na,가나,e1\nb,다라,e2\na,"라,마",e3\n', encoding="utf-8"
    )
    (src / "relations.csv").write_text("review_id,entity_id,role\nb,e2,센서 공급\n", encoding="utf-8")
    (src / "entities.csv").write_text("entity_id,name\ne1,가나\ne2,다라\ne3,라마\n", encoding="utf-8")
    out = gold_subset(src, {"a"}, tmp_path / "subset")
    assert (out / "mentions.csv").read_text(encoding="utf-8") == 'review_id,text,entity_id\na,가나,e1\na,"라,마",e3\n'
    assert (out / "relations.csv").read_text(encoding="utf-8") == "review_id,entity_id,role\n"
    assert (out / "entities.csv").read_bytes() == (src / "entities.csv").read_bytes()
    assert not (out / "links.csv").exists()  # absent in, absent out


def test_gold_subset_reads_quoted_newlines_as_one_row(tmp_path):
    """A field with a line break inside quotes stays in its row (the subset is read as CSV, not as lines)."""
    src = tmp_path / "tables"
    src.mkdir()
    (src / "links.csv").write_text('review_id,evidence\nb,"한 줄\na,둘째 줄"\na,"셋\n넷"\n', encoding="utf-8")
    out = gold_subset(src, {"a"}, tmp_path / "subset")
    assert (out / "links.csv").read_text(encoding="utf-8") == 'review_id,evidence\na,"셋\n넷"\n'
