"""Per-review results of a shard kept between runs, so adding one review to a shard redoes one review.

Snakemake reruns a whole shard job when one of its files is new or changed, and deletes the job's
outputs first. The job therefore keeps a copy of its outputs (hard links, so no extra space) in a
cache folder beside them, with an index of ``review_id -> SHA-256 of the file``. On the next run,
rows of reviews whose file hash is unchanged are taken from the cache; the rest are computed. The
whole cache is ignored when its fingerprint (code, settings, resource files) differs, so a cached
row is always what a fresh computation would give; a missing or broken cache only costs time
(on a cluster with a storage plugin the folder is simply not kept).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

INDEX = "index.json"


def fingerprint(settings: object, files: list[str | Path]) -> str:
    """SHA-256 over the JSON of ``settings`` and the bytes of ``files`` (in the given order)."""
    h = hashlib.sha256(json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str).encode())
    for f in files:
        h.update(str(f).encode())
        h.update(Path(f).read_bytes())
    return h.hexdigest()


class ShardCache:
    """Cached tables of one shard (``name -> parquet``), valid for one fingerprint."""

    def __init__(self, folder: str | Path | None, key: str):
        self.folder = Path(folder) if folder else None
        self.key = key
        self.index: dict[str, str] = {}
        if self.folder is None:
            return
        try:
            meta = json.loads((self.folder / INDEX).read_text(encoding="utf-8"))
            if meta.get("fingerprint") == key:
                self.index = dict(meta.get("reviews", {}))
            else:
                log.info("cache %s: code, settings or resources changed; recomputing the shard", self.folder)
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as e:
            log.warning("cache %s unreadable (%s); recomputing the shard", self.folder, e)

    def hits(self, reviews: dict[str, str]) -> set[str]:
        """Review ids (of ``review_id -> sha256``) whose cached rows are valid."""
        return {rid for rid, sha in reviews.items() if self.index.get(rid) == sha}

    def table(self, name: str, review_ids: set[str]) -> pd.DataFrame | None:
        """Cached rows of ``review_ids`` from table ``name``; None when it cannot be read."""
        if self.folder is None or not review_ids:
            return None
        try:
            return pd.read_parquet(self.folder / f"{name}.parquet", filters=[("review_id", "in", sorted(review_ids))])
        except Exception as e:  # noqa: BLE001 - a broken cache only costs time
            log.warning("cache %s: cannot read %s (%s); recomputing", self.folder, name, e)
            return None

    def save(self, tables: dict[str, str | Path], reviews: dict[str, str]) -> None:
        """Keep ``tables`` (name -> written output file) for the reviews ``review_id -> sha256``."""
        if self.folder is None:
            return
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name, path in tables.items():
            dst = tmp / f"{name}.parquet"
            try:
                os.link(path, dst)
            except OSError:
                shutil.copyfile(path, dst)
        (tmp / INDEX).write_text(
            json.dumps(
                {"fingerprint": self.key, "reviews": dict(sorted(reviews.items()))}, ensure_ascii=False, indent=0
            ),
            encoding="utf-8",
        )
        shutil.rmtree(self.folder, ignore_errors=True)
        os.replace(tmp, self.folder)
