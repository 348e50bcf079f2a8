"""Corpus CSV tables assembled from per-shard pieces kept between runs.

mentions.csv, relations.csv and links.csv list the rows of every review, sorted by review id, and each
review lives in one shard: a table is its header plus, review by review, the rows of that review as
its shard renders them. A shard's rendered rows depend only on its own table file and on the entity
ids (and, for mentions, the entities' labels) of the keys it holds, so they are kept per shard in
``results/interim/table_cache/`` under a key of exactly those; on a rerun after one added review only
that review's shard (and any shard whose keys were linked differently) is rendered again, the other
rows are copied as bytes. A missing, stale or damaged piece only costs time: it is rendered again.

The bytes are those ``DataFrame.to_csv(index=False, lineterminator="\\n")`` writes for the whole table
(tests/test_table_cache.py): the same rows, rendered by the same call on the same columns and types,
concatenated in the same order.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .faults import atomic_path
from .provenance import sha256_file

log = logging.getLogger(__name__)

FORMAT = 1


def code_key() -> str:
    """The code that renders the pieces (this module, the table builders) and pandas' version."""
    h = hashlib.sha256(pd.__version__.encode())
    here = Path(__file__).resolve().parent
    for rel in ("table_cache.py", "stages/tables.py", "stages/relations.py", "entities.py"):
        h.update(rel.encode())
        h.update((here / rel).read_bytes())
    return h.hexdigest()


file_digest = sha256_file  # a shard table's identity: its bytes


@dataclass
class Piece:
    """The rendered rows of one shard's part of a table, and each review's byte range in them."""

    data: bytes
    reviews: list[tuple[str, int, int]]  # (review_id, start, end)
    keys: list[str]  # the entity keys the rows hold (their linking is part of the cache key)


def render(df: pd.DataFrame) -> Piece:
    """The rows of ``df`` (sorted so that each review's rows are contiguous) as CSV without a header,
    and where each review's rows start and end.

    A row is one line plus one for each line break inside its text fields (the CSV writer quotes them
    and keeps them), so the row ends are found among the line breaks of the rendered text.
    """
    text = df.to_csv(index=False, header=False, lineterminator="\n").encode("utf-8")
    if not len(df):
        return Piece(text, [], [])
    lines = np.ones(len(df), dtype=np.int64)
    for c in df.columns:
        col = df[c]
        if col.dtype.kind not in "biufM":  # text (or mixed) columns may hold line breaks
            lines += _breaks(col)
    breaks = np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == 10)
    total = np.cumsum(lines)
    if len(breaks) != int(total[-1]):
        raise ValueError(f"rendered {len(breaks)} line breaks for {int(total[-1])} lines")
    row_end = breaks[total - 1] + 1
    rid = df["review_id"].astype(str).tolist()
    reviews, first = [], 0
    for i in range(1, len(df) + 1):
        if i == len(df) or rid[i] != rid[first]:
            start = int(row_end[first - 1]) if first else 0
            reviews.append((rid[first], start, int(row_end[i - 1])))
            first = i
    return Piece(text, reviews, [])


def _breaks(col: pd.Series) -> np.ndarray:
    """Line breaks in each value of a text column (0 for anything that is not a string)."""
    if isinstance(col.dtype, pd.StringDtype):
        return col.str.count("\n").fillna(0).to_numpy(dtype=np.int64)
    return np.fromiter((v.count("\n") if isinstance(v, str) else 0 for v in col.tolist()), np.int64, len(col))


class TableCache:
    """Pieces of corpus tables per (table, shard) in one folder, each valid for one key."""

    def __init__(self, folder: str | Path | None):
        self.folder = Path(folder) if folder else None
        self.code = code_key() if self.folder else ""
        self.hits = 0
        self.misses = 0

    def _paths(self, table: str, shard: str) -> tuple[Path, Path]:
        return self.folder / f"{table}-{shard}.bin", self.folder / f"{table}-{shard}.json"

    def keys(self, table: str, shard: str) -> list[str] | None:
        """The entity keys of the cached piece (to compute its key before reading the shard), or None."""
        meta = self._meta(table, shard)
        return None if meta is None else list(meta.get("keys", []))

    def _meta(self, table: str, shard: str) -> dict | None:
        if self.folder is None:
            return None
        try:
            meta = json.loads(self._paths(table, shard)[1].read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None

    def key(self, *parts) -> str:
        h = hashlib.sha256(self.code.encode())
        h.update(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
        return h.hexdigest()

    def get(self, table: str, shard: str, key: str) -> Piece | None:
        meta = self._meta(table, shard)
        if meta is None or meta.get("key") != key:
            self.misses += 1
            return None
        try:
            data = self._paths(table, shard)[0].read_bytes()
        except OSError:
            self.misses += 1
            return None
        if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
            log.warning("table cache %s: %s-%s does not match its index; rendering it again", self.folder, table, shard)
            self.misses += 1
            return None
        self.hits += 1
        return Piece(data, [tuple(x) for x in meta["reviews"]], list(meta.get("keys", [])))

    def put(self, table: str, shard: str, key: str, piece: Piece) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            bin_path, meta_path = self._paths(table, shard)
            with atomic_path(bin_path) as tmp:
                Path(tmp).write_bytes(piece.data)
            meta = {
                "format": FORMAT,
                "key": key,
                "sha256": hashlib.sha256(piece.data).hexdigest(),
                "keys": piece.keys,
                "reviews": piece.reviews,
            }
            with atomic_path(meta_path) as tmp:
                Path(tmp).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        except OSError as e:  # a cache that cannot be written only costs time
            log.info("table cache %s: %s-%s not kept (%s)", self.folder, table, shard, e)

    def prune(self, keep: set[str]) -> None:
        """Remove the pieces of shards that are gone (``keep``: the current shard names)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for p in self.folder.iterdir():
            name = p.name.rsplit(".", 1)[0]
            if "-" in name and name.split("-", 1)[1] not in keep and p.suffix in (".bin", ".json"):
                p.unlink(missing_ok=True)


def write_pieces(path: str | Path, header: bytes, pieces: list[Piece]) -> None:
    """The table: its header, then every review's rows in review-id order (ties: in the order of
    ``pieces``, i.e. shard order, as a stable sort of the concatenated shards gives them)."""
    runs = sorted(
        ((rid, k, start, end) for k, p in enumerate(pieces) for rid, start, end in p.reviews),
        key=lambda r: (r[0], r[1]),
    )
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(header)
        views = [memoryview(p.data) for p in pieces]
        for _, k, start, end in runs:
            fh.write(views[k][start:end])


def header_of(columns: list[str]) -> bytes:
    return pd.DataFrame(columns=columns).to_csv(index=False, lineterminator="\n").encode("utf-8")


def shard_name(path: str | Path) -> str:
    """The shard a table file belongs to: its folder (results/interim/<shard>/mentions.parquet)."""
    return Path(path).parent.name or os.path.basename(str(path))
