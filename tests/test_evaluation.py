"""The evaluation glue: summary parsing and a clear status when the kit is absent."""

from valuechain.evaluation import parse_summary, run_scorer


def test_parse_summary_line():
    got = parse_summary("actor_f1=0.950 relation_f1=0.800 relation_strict_f1=0.700 layer_acc=1.000 layer_ari=x")
    assert got == {"actor_f1": 0.95, "relation_f1": 0.8, "relation_strict_f1": 0.7, "layer_acc": 1.0}


def test_missing_kit_is_reported_not_raised(tmp_path):
    out = run_scorer(str(tmp_path / "nope.py"), str(tmp_path / "gold"), str(tmp_path))
    assert out["status"] == "skipped" and "nope.py" in out["reason"]
