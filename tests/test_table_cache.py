"""Corpus tables assembled from per-shard pieces (valuechain.table_cache) equal the tables written whole."""

import random
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from valuechain.gazetteer import load_gazetteer
from valuechain.stages.mentions import mentions_frame
from valuechain.stages.relations import links_frame, relations_frame
from valuechain.stages.tables import linked_tables, write_csv, write_linked_tables
from valuechain.table_cache import header_of, render, write_pieces

TEXTS = ["가나전자", "다라테크", 'say "hi"', "a,b", "두 줄\n텍스트", "x\r\ny", "", " lead", "엔비디아", "\n"]
KEYS = ["nvidia", "samsung_electronics", "new:가나", "new:가나ai", "new:다라", "new:라마", "tsmc", "sk_hynix"]


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(ROOT / "resources/gazetteer.tsv")


def frame(rng: random.Random, n: int, reviews: list[str]) -> pd.DataFrame:
    rows = [
        {
            "review_id": rng.choice(reviews),
            "n": rng.randrange(100),
            "x": rng.choice([0.5, 1.0, 0.85, 1e-05, 12345.678]),
            "text": rng.choice(TEXTS),
            "other": rng.choice(TEXTS),
        }
        for _ in range(n)
    ]
    df = pd.DataFrame(rows, columns=["review_id", "n", "x", "text", "other"])
    return df.sort_values(["review_id", "n"], kind="stable", ignore_index=True)


@pytest.mark.parametrize("seed", range(4))
def test_pieces_of_shards_give_the_bytes_of_the_whole_table(tmp_path, seed):
    rng = random.Random(seed)
    shards = [frame(rng, rng.choice([0, 1, 40]), [f"s{k}-r{i}" for i in range(6)]) for k in range(4)]
    whole = pd.concat(shards, ignore_index=True).sort_values("review_id", kind="stable")
    write_csv(whole, str(tmp_path / "whole.csv"))
    write_pieces(tmp_path / "pieces.csv", header_of(list(whole.columns)), [render(s) for s in shards])
    assert (tmp_path / "pieces.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()


def shard_tables(folder: Path, rng: random.Random, reviews: list[str]) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    men, rel, lnk = [], [], []
    for rid in reviews:
        for i in range(rng.randrange(0, 12)):
            key = rng.choice(KEYS)
            men.append(
                {
                    "review_id": rid,
                    "sent_id": i,
                    "start": 10 * i,
                    "end": 10 * i + 3,
                    "text": rng.choice(TEXTS),
                    "label": rng.choice(["ORG", "PERSON", "PRODUCT"]),
                    "key": key,
                    "source": "gazetteer",
                    "confidence": 0.9,
                    "value": "",
                    "parent": "",
                }
            )
            rel.append(
                {
                    "review_id": rid,
                    "key": key,
                    "role": rng.choice(["GPU 공급", "HBM 제조", "투자"]),
                    "role_norm": "",
                    "object": "",
                    "era": "ai_boom",
                    "era_year": 2024,
                    "evidence": rng.choice(TEXTS),
                    "sent_id": i,
                    "evidence_start": 0,
                    "evidence_end": 5,
                    "confidence": 0.8,
                    "method": "m",
                }
            )
            lnk.append(
                {
                    "review_id": rid,
                    "source": key,
                    "type": rng.choice(["supplies", "partners_with"]),
                    "target": rng.choice(KEYS),
                    "object": rng.choice(["", "HBM"]),
                    "era": "ai_boom",
                    "era_year": 2024,
                    "evidence": rng.choice(TEXTS),
                    "sent_id": i,
                    "evidence_start": 0,
                    "evidence_end": 5,
                    "confidence": 0.7,
                    "method": "m",
                }
            )
    out = {}
    for name, df in (
        ("mentions", mentions_frame(men)),
        ("relations", relations_frame(rel)),
        ("links", links_frame(lnk)),
    ):
        out[name] = str(folder / f"{name}.parquet")
        df.to_parquet(out[name], index=False)
    return out


def reviews_of(names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"review_id": sorted(names), "duplicate_of": ""})


def whole_tables(gaz, shards: list[dict], reviews: pd.DataFrame, folder: Path) -> dict[str, bytes]:
    """What the corpus step wrote before the pieces (linked_tables, each table written whole)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = linked_tables(
        [s["mentions"] for s in shards], [s["relations"] for s in shards], reviews, gaz, [s["links"] for s in shards]
    )
    out = {}
    for name, df in zip(("mentions", "entities", "keymap", "relations", "links"), tables):
        write_csv(df, str(folder / f"{name}.csv"))
        out[name] = (folder / f"{name}.csv").read_bytes()
    return out


def assembled(gaz, shards, reviews, folder: Path, cache) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {n: str(folder / f"{n}.csv") for n in ("mentions", "entities", "keymap", "relations", "links")}
    write_linked_tables(
        [s["mentions"] for s in shards],
        [s["relations"] for s in shards],
        [s["links"] for s in shards],
        reviews,
        gaz,
        out,
        cache,
    )
    return {n: Path(p).read_bytes() for n, p in out.items()}


def test_assembled_tables_equal_whole_tables_and_a_rerun_reuses_unchanged_shards(tmp_path, gaz, caplog):
    rng = random.Random(3)
    names = {f"shard-h{k}": [f"r{k}{i:02d}" for i in range(8)] for k in ("00", "01", "1")}
    shards = [shard_tables(tmp_path / "in" / s, rng, rids) for s, rids in names.items()]
    reviews = reviews_of([r for rids in names.values() for r in rids])
    cache = tmp_path / "cache"
    want = whole_tables(gaz, shards, reviews, tmp_path / "whole")
    assert assembled(gaz, shards, reviews, tmp_path / "a", None) == want
    assert assembled(gaz, shards, reviews, tmp_path / "b", cache) == want  # fills the cache
    caplog.set_level("INFO", logger="valuechain.stages.tables")
    assert assembled(gaz, shards, reviews, tmp_path / "c", cache) == want
    assert "9 pieces from the cache, 0 rendered" in caplog.text

    # one more review in one shard: that shard's pieces are rendered again, the others are reused
    caplog.clear()
    names["shard-h1"].append("r1zz")
    shards[2] = shard_tables(tmp_path / "in2" / "shard-h1", random.Random(9), names["shard-h1"])
    reviews = reviews_of([r for rids in names.values() for r in rids])
    want = whole_tables(gaz, shards, reviews, tmp_path / "whole2")
    assert assembled(gaz, shards, reviews, tmp_path / "d", cache) == want
    assert "6 pieces from the cache, 3 rendered" in caplog.text


def test_a_key_linked_differently_renders_the_shards_that_hold_it(tmp_path, gaz, caplog):
    """new:가나ai is its own entity until new:가나 appears: then it is linked to new:가나 everywhere."""
    rng = random.Random(4)
    names = {"shard-h0": [f"a{i}" for i in range(6)], "shard-h1": [f"b{i}" for i in range(6)]}
    folders = {s: shard_tables(tmp_path / "in" / s, rng, r) for s, r in names.items()}
    # shard-h0 without new:가나 at first
    m = pd.read_parquet(folders["shard-h0"]["mentions"])
    m = m[m["key"] != "new:가나"]
    m.to_parquet(folders["shard-h0"]["mentions"], index=False)
    h1 = pd.read_parquet(folders["shard-h1"]["mentions"])
    h1[h1["key"] != "new:가나"].to_parquet(folders["shard-h1"]["mentions"], index=False)
    shards = list(folders.values())
    reviews = reviews_of([r for rids in names.values() for r in rids])
    cache = tmp_path / "cache"
    assembled(gaz, shards, reviews, tmp_path / "a", cache)
    h1.to_parquet(folders["shard-h1"]["mentions"], index=False)  # new:가나 appears in shard-h1
    want = whole_tables(gaz, shards, reviews, tmp_path / "whole")
    caplog.set_level("INFO", logger="valuechain.stages.tables")
    assert assembled(gaz, shards, reviews, tmp_path / "b", cache) == want


def test_a_damaged_piece_is_rendered_again(tmp_path, gaz, caplog):
    rng = random.Random(5)
    shards = [shard_tables(tmp_path / "in" / "shard-h", rng, [f"r{i}" for i in range(5)])]
    reviews = reviews_of([f"r{i}" for i in range(5)])
    cache = tmp_path / "cache"
    want = assembled(gaz, shards, reviews, tmp_path / "a", cache)
    (cache / "mentions-shard-h.bin").write_bytes(b"garbage")
    assert assembled(gaz, shards, reviews, tmp_path / "b", cache) == want
    assert "does not match its index" in caplog.text
