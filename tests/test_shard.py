"""The shard stage in one process, and its per-review cache: cached rows equal fresh ones."""

import logging
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from valuechain.layer_features import layer_words, read_features
from valuechain.layers import LayerConfig
from valuechain.shard_cache import ShardCache, fingerprint
from valuechain.stages.shard import FEATURES, TABLES, Analyzer, ShardSettings, run_shard

DEV = ROOT / "tests/fixtures/devset/reviews"
SETTINGS = ShardSettings(
    userdict=str(ROOT / "resources/kiwi_userdict.tsv"),
    gazetteer=str(ROOT / "resources/gazetteer.tsv"),
    model=str(ROOT / "resources/models/ner_types.npz"),
    stoplist=str(ROOT / "resources/stoplist.txt"),
    roles=str(ROOT / "config/roles.yaml"),
    eras=str(ROOT / "config/eras.yaml"),
    taxonomy=str(ROOT / "config/taxonomy.yaml"),
    batch_size=2,
    layer_words=tuple(
        tuple(x) for x in layer_words(LayerConfig.load(ROOT / "config/taxonomy.yaml", ROOT / "config/layers.yaml"))
    ),
)
NAMES = ("reviews", "rejected", *TABLES, FEATURES)


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer(SETTINGS)


def inputs(folder: Path, names: list[str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        src = ROOT / "resources/reviews/ai-goldrush.txt" if n == "ai-goldrush.txt" else DEV / n
        shutil.copy(src, folder / n)
    return sorted(str(p) for p in folder.iterdir())


def outputs(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    return {
        n: str(folder / f"{n}.{'jsonl' if n == 'reviews' else 'csv' if n == 'rejected' else 'parquet'}") for n in NAMES
    }


def same_files(a: dict[str, str], b: dict[str, str]) -> None:
    for n in NAMES:
        assert Path(a[n]).read_bytes() == Path(b[n]).read_bytes(), n


def test_cached_rows_equal_fresh_ones(tmp_path, analyzer):
    key = fingerprint({"v": 1}, SETTINGS.resource_files())
    files = inputs(tmp_path / "in", ["ai-goldrush.txt", "dev-cloud.txt"])
    first = outputs(tmp_path / "run1")
    counts = run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), first, analyzer)
    assert counts == {"reviews": 2, "rejected": 0, "cached": 0, "computed": 2}
    assert len(pd.read_parquet(first["mentions"])) > 20 and len(pd.read_parquet(first["relations"])) > 5

    # one more review: only it is analysed; the outputs equal a run without any cache
    files = inputs(tmp_path / "in", ["dev-chipwar.txt"])
    second = outputs(tmp_path / "run2")
    counts = run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), second, analyzer)
    assert counts["cached"] == 2 and counts["computed"] == 1
    fresh = outputs(tmp_path / "fresh")
    assert run_shard(files, [], 10**7, SETTINGS, None, fresh, analyzer)["computed"] == 3
    same_files(second, fresh)
    assert set(pd.read_parquet(second["tokens"])["review_id"]) == {"ai-goldrush", "dev-cloud", "dev-chipwar"}


def test_changed_file_or_fingerprint_is_recomputed(tmp_path, analyzer):
    key = fingerprint({"v": 1}, SETTINGS.resource_files())
    files = inputs(tmp_path / "in", ["ai-goldrush.txt", "dev-cloud.txt"])
    run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), outputs(tmp_path / "a"), analyzer)
    cloud = tmp_path / "in/dev-cloud.txt"
    cloud.write_text(cloud.read_text(encoding="utf-8") + "\n엔비디아는 GPU를 만든다.\n", encoding="utf-8")
    out = outputs(tmp_path / "b")
    counts = run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), out, analyzer)
    assert counts["cached"] == 1 and counts["computed"] == 1
    fresh = outputs(tmp_path / "fresh")
    run_shard(files, [], 10**7, SETTINGS, None, fresh, analyzer)
    same_files(out, fresh)
    # other code, settings or resources: the whole cache is ignored
    other = fingerprint({"v": 2}, SETTINGS.resource_files())
    counts = run_shard(
        files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", other), outputs(tmp_path / "c"), analyzer
    )
    assert counts["cached"] == 0 and counts["computed"] == 2


def test_broken_cache_costs_time_not_results(tmp_path, analyzer, caplog):
    key = fingerprint({"v": 1}, SETTINGS.resource_files())
    files = inputs(tmp_path / "in", ["ai-goldrush.txt"])
    run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), outputs(tmp_path / "a"), analyzer)
    (tmp_path / "cache/mentions.parquet").unlink()
    out = outputs(tmp_path / "b")
    counts = run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), out, analyzer)
    assert counts["computed"] == 1
    assert "mentions.parquet does not match its index entry" in caplog.text
    (tmp_path / "cache/index.json").write_text("{not json", encoding="utf-8")
    assert (
        run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), outputs(tmp_path / "c"), analyzer)[
            "computed"
        ]
        == 1
    )
    same_files(out, outputs(tmp_path / "c"))


def test_shard_of_rejected_files_only_writes_empty_typed_tables(tmp_path, analyzer):
    bad = tmp_path / "in/empty.txt"
    bad.parent.mkdir()
    bad.write_bytes(b"")
    out = outputs(tmp_path / "o")
    counts = run_shard([str(bad)], [], 10**7, SETTINGS, None, out, analyzer)
    assert counts == {"reviews": 0, "rejected": 1, "cached": 0, "computed": 0}
    assert pd.read_csv(out["rejected"])["reason"].tolist() == ["empty"]
    assert pd.read_parquet(out["tokens"])["start"].dtype == "int64"
    assert len(pd.read_parquet(out["relations"])) == 0


def test_tokens_table_merges_shards_in_review_order(tmp_path):
    from valuechain.stages.tables import write_tokens_table
    from valuechain.stages.tokens import tokens_frame

    def rows(rid, n):
        return [
            {
                "review_id": rid,
                "sent_id": i // 3,
                "token_id": i % 3,
                "form": f"{rid}{i}",
                "tag": "NNG",
                "lemma": f"{rid}{i}",
                "start": i,
                "end": i + 1,
            }
            for i in range(n)
        ]

    paths = []
    for k, ids in enumerate([["b", "d"], ["a", "c", "e"], []]):
        p = tmp_path / f"s{k}.parquet"
        tokens_frame([r for rid in ids for r in rows(rid, 5)]).to_parquet(p, index=False)
        paths.append(str(p))
    out = tmp_path / "all.parquet"
    assert write_tokens_table(paths, str(out), chunk_reviews=2) == 25
    df = pd.read_parquet(out)
    expect = tokens_frame([r for rid in "abcde" for r in rows(rid, 5)])
    pd.testing.assert_frame_equal(df, expect)


def test_missing_type_model_is_an_error_not_a_silent_fallback(tmp_path):
    from dataclasses import replace

    with pytest.raises(FileNotFoundError, match="ner.model"):
        Analyzer(replace(SETTINGS, model=str(tmp_path / "nowhere.npz")))


def test_layer_features_of_a_rerun_analyse_only_new_role_texts(tmp_path, analyzer, caplog):
    key = fingerprint({"v": 1}, SETTINGS.resource_files())
    files = inputs(tmp_path / "in", ["ai-goldrush.txt"])
    first = outputs(tmp_path / "a")
    with caplog.at_level(logging.INFO, logger="valuechain.stages.shard"):
        run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), first, analyzer)
    n_first = len(read_features(first[FEATURES])[0])
    assert n_first > 5 and f"layer features: {n_first} role texts analysed" in caplog.text
    caplog.clear()
    files = inputs(tmp_path / "in", ["dev-cloud.txt"])
    second = outputs(tmp_path / "b")
    with caplog.at_level(logging.INFO, logger="valuechain.stages.shard"):
        run_shard(files, [], 10**7, SETTINGS, ShardCache(tmp_path / "cache", key), second, analyzer)
    both = read_features(second[FEATURES])[0]
    fresh = outputs(tmp_path / "fresh")
    run_shard(files, [], 10**7, SETTINGS, None, fresh, analyzer)
    same_files(second, fresh)
    assert set(read_features(first[FEATURES])[0]["text"]) <= set(both["text"])
    assert f"layer features: {len(both) - n_first} role texts analysed" in caplog.text  # only the new ones
    # other layer words: the features are redone, the reviews still come from the cache
    words = tuple((lid, ws[:2]) for lid, ws in SETTINGS.layer_words)
    other = replace(SETTINGS, layer_words=words)
    third = outputs(tmp_path / "c")
    counts = run_shard(files, [], 10**7, other, ShardCache(tmp_path / "cache", key), third, analyzer)
    assert counts["cached"] == 2 and counts["computed"] == 0
    assert read_features(third[FEATURES])[1] != read_features(second[FEATURES])[1]


def test_a_split_bucket_takes_its_reviews_from_the_bucket_it_split_from(tmp_path, analyzer):
    key = fingerprint({"v": 1}, SETTINGS.resource_files())
    interim = tmp_path / "interim"
    files = inputs(tmp_path / "in", ["ai-goldrush.txt", "dev-cloud.txt", "dev-chipwar.txt"])
    parent = outputs(interim / "shard-h")
    run_shard(files, [], 10**7, SETTINGS, ShardCache(interim / "shard-h/cache", key), parent, analyzer)
    half = [f for f in files if not f.endswith("dev-cloud.txt")]
    child = outputs(interim / "shard-h1")
    counts = run_shard(
        half,
        [],
        10**7,
        SETTINGS,
        ShardCache(interim / "shard-h1/cache", key),
        child,
        analyzer,
        related=[ShardCache(interim / "shard-h/cache", key)],
    )
    assert counts["cached"] == 2 and counts["computed"] == 0
    fresh = outputs(tmp_path / "fresh")
    run_shard(half, [], 10**7, SETTINGS, None, fresh, analyzer)
    same_files(child, fresh)
