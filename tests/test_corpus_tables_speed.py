"""Corpus tables made faster give the tables of the code they replaced: entity linking in one pass over plain
lists (was a pandas group per entity), token counts on dictionary codes (was a group by on strings)."""

import random
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from valuechain.entities import _LABEL_ORDER, ENTITY_COLUMNS, link, merge_new_keys
from valuechain.gazetteer import load_gazetteer


def ref_link(mentions, gaz, duplicate_reviews):
    """The earlier implementation (a pandas group per entity)."""
    m = mentions.copy()
    mapping = merge_new_keys(sorted(m["key"].unique()), gaz) if len(m) else {}
    m["entity_id"] = m["key"].map(mapping) if len(m) else pd.Series(dtype=str)
    counted = m[~m["review_id"].isin(duplicate_reviews)]
    n_mentions = counted.groupby("entity_id").size().to_dict() if len(m) else {}
    n_reviews = counted.groupby("entity_id")["review_id"].nunique().to_dict() if len(m) else {}
    rows = []
    for eid, grp in m.groupby("entity_id", sort=True):
        g = gaz.entries.get(eid)
        surfaces = Counter(grp["text"])
        if g is not None:
            name, label = g.name_ko, g.label
            aliases = list(dict.fromkeys(sorted(surfaces) + g.aliases))
        else:
            name = sorted(surfaces.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
            labels = Counter(grp["label"])
            label = sorted(
                labels.items(), key=lambda kv: (-kv[1], _LABEL_ORDER.index(kv[0]) if kv[0] in _LABEL_ORDER else 99)
            )[0][0]
            if label == "DATE":
                name = grp["value"].iloc[0] or name
            aliases = sorted(surfaces)
        parents = sorted(p for p in grp["parent"].unique() if p)
        rows.append(
            {
                "entity_id": eid,
                "name": name,
                "label": label,
                "aliases": "|".join(aliases),
                "layer": "",
                "layer_confidence": "",
                "cluster": "",
                "n_mentions": int(n_mentions.get(eid, 0)),
                "n_reviews": int(n_reviews.get(eid, 0)),
                "gazetteer_id": g.id if g else "",
                "wikidata": g.wikidata if g else "",
                "parent": parents[0] if parents else "",
                "gazetteer_layer": g.layer if g else "",
            }
        )
    ents = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
    if len(m):
        m["label"] = m["entity_id"].map(dict(zip(ents["entity_id"], ents["label"]))).fillna(m["label"])
    return m, ents


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(ROOT / "resources/gazetteer.tsv")


def mentions(gaz, seed: int, n: int = 3000) -> pd.DataFrame:
    rng = random.Random(seed)
    ids = sorted(gaz.entries)[:300]
    new = ["new:퓨리오사", "new:퓨리오사ai", "new:누리랩", "new:누리랩스", "new:가나", "new:엔비디아코리아", "new:x"]
    rows = []
    for i in range(n):
        key = rng.choice(ids) if rng.random() < 0.6 else rng.choice(new)
        label = rng.choice(["ORG", "PERSON", "PRODUCT", "LOC", "DATE", "WORK", "OTHER", "MISC"])
        rows.append(
            {
                "review_id": f"r{rng.randrange(40):02d}",
                "sent_id": rng.randrange(30),
                "start": i,
                "end": i + 3,
                "text": rng.choice(["가나", "가나다", "누리", "누리랩", "엔비디아", "NVIDIA", "2024년", "x"]),
                "label": label,
                "key": key,
                "source": "gazetteer",
                "confidence": 0.9,
                "value": rng.choice(["", "2024", "2023-05"]) if label == "DATE" else "",
                "parent": rng.choice(["", "", "", "samsung", "sk"]),
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_link_matches_the_per_entity_loop(gaz, seed):
    m = mentions(gaz, seed)
    dups = {"r03", "r17"} if seed % 2 else set()
    got_m, got_e = link(m, gaz, dups)
    want_m, want_e = ref_link(m, gaz, dups)
    assert got_e.to_csv(index=False) == want_e.to_csv(index=False)
    assert got_m.to_csv(index=False) == want_m.to_csv(index=False)


def test_link_of_no_mentions(gaz):
    empty = mentions(gaz, 0).iloc[:0]
    got_m, got_e = link(empty, gaz, set())
    want_m, want_e = ref_link(empty, gaz, set())
    assert list(got_e.columns) == list(want_e.columns) and not len(got_e)
    assert list(got_m.columns) == list(want_m.columns) and not len(got_m)


def test_token_counts_match_the_group_by(tmp_path):
    from valuechain.stages.tables import token_counts

    rng = random.Random(5)
    paths, want = [], []
    for k in range(3):
        rows = [(f"s{k}r{rng.randrange(20):02d}", rng.randrange(-1, 9)) for _ in range(rng.choice([0, 500]))]
        t = pd.DataFrame(rows, columns=["review_id", "sent_id"]).sort_values(["review_id", "sent_id"])
        t["sent_id"] = t["sent_id"].astype("int64")
        t.to_parquet(tmp_path / f"{k}.parquet", index=False)
        paths.append(str(tmp_path / f"{k}.parquet"))
        if len(t):
            want.append(
                t.groupby("review_id")
                .agg(n_sentences=("sent_id", "nunique"), n_tokens=("sent_id", "size"))
                .reset_index()
            )
    got = token_counts(paths).sort_values("review_id", ignore_index=True)
    ref = pd.concat(want, ignore_index=True).sort_values("review_id", ignore_index=True)
    assert got.to_csv(index=False) == ref.to_csv(index=False)
    assert list(token_counts([]).columns) == ["review_id", "n_sentences", "n_tokens"]


@pytest.mark.parametrize("fast", [True, False])
def test_link_with_missing_values(gaz, fast):
    m = mentions(gaz, 7)
    m.loc[m.index[::11], "value"] = None
    if not fast:  # a missing review id: the plain loop
        m["review_id"] = m["review_id"].astype(object)
        m.loc[m.index[5], "review_id"] = None
    got_m, got_e = link(m, gaz, {"r03"})
    want_m, want_e = ref_link(m, gaz, {"r03"})
    assert got_e.to_csv(index=False) == want_e.to_csv(index=False)
    assert got_m.to_csv(index=False) == want_m.to_csv(index=False)


def _shards_with_reviews(folder, files):
    """Three shard folders as the shard jobs leave them: reviews.jsonl and a token table (review_id, sent_id)."""
    from valuechain.stages.tokens import ingest_files, write_ingest

    out = []
    for k in range(3):
        d = folder / f"shard-00{k}"
        d.mkdir(parents=True, exist_ok=True)
        reviews, rejected = ingest_files(files[k::3], 5_000_000)
        write_ingest(reviews, rejected, str(d / "reviews.jsonl"), str(d / "rejected.csv"))
        rows = [(r.review_id, s) for r in reviews for s in range(len(r.text) % 7) for _ in range(3)]
        pd.DataFrame(rows, columns=["review_id", "sent_id"]).astype({"sent_id": "int64"}).to_parquet(
            d / "tokens.parquet", index=False
        )
        out.append((str(d / "reviews.jsonl"), str(d / "tokens.parquet")))
    return [a for a, _ in out], [b for _, b in out]


def test_reviews_table_from_cached_shard_parts_is_the_same(tmp_path, monkeypatch):
    """Each shard's review rows and token counts kept between runs: the same table cold, warm (no shard
    read again) and after one shard changed (only that shard read again)."""
    import valuechain.stages.tables as tables

    files = sorted((ROOT / "tests/fixtures/devset/reviews").iterdir())
    jsonls, toks = _shards_with_reviews(tmp_path / "interim", files)
    want = tables.reviews_table(jsonls, toks, None).to_csv(index=False)
    cache = str(tmp_path / "interim/table_cache")
    assert tables.reviews_table(jsonls, toks, None, cache_dir=cache).to_csv(index=False) == want

    read = []
    real = tables.review_rows
    monkeypatch.setattr(tables, "review_rows", lambda p: read.append(p) or real(p))
    assert tables.reviews_table(jsonls, toks, None, cache_dir=cache).to_csv(index=False) == want
    assert read == []  # every shard from the cache

    # shard 1 changes (another review in place of one): it alone is read again, the table follows
    jsonls2, toks2 = _shards_with_reviews(tmp_path / "changed", files[:7] + files[8:])
    Path(jsonls[1]).write_bytes(Path(jsonls2[1]).read_bytes())
    Path(toks[1]).write_bytes(Path(toks2[1]).read_bytes())
    monkeypatch.setattr(tables, "review_rows", real)
    want2 = tables.reviews_table(jsonls, toks, None).to_csv(index=False)
    assert want2 != want
    monkeypatch.setattr(tables, "review_rows", lambda p: read.append(p) or real(p))
    assert tables.reviews_table(jsonls, toks, None, cache_dir=cache).to_csv(index=False) == want2
    assert read == [jsonls[1]]
