"""Per-review results of a shard kept between runs, so adding one review to a shard redoes one review.

Snakemake reruns a whole shard job when one of its files is new or changed, and deletes the job's
outputs first. The job therefore keeps a copy of its outputs (hard links, so no extra space) in a
cache folder beside them, with an index of ``review_id -> SHA-256 of the file``. On the next run,
rows of reviews whose file hash is unchanged are taken from the cache; the rest are computed. The
whole cache is ignored when its fingerprint (code, settings, resource files) differs, so a cached
row is always what a fresh computation would give; a missing or broken cache only costs time
(on a cluster with a storage plugin the folder is simply not kept).

Faults: the cache is built in a temporary folder and swapped in by renames, so a job killed at any
moment leaves the old cache, the new one, or none, never a mixture; the index records the size and
SHA-256 of each table, and a cache whose files do not match it (or whose index cannot be read) is
dropped with a warning, never used. Leftover temporary folders of a killed job are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import faults

log = logging.getLogger(__name__)

INDEX = "index.json"
FORMAT = 2  # index.json layout: 2 = with the size and SHA-256 of each table


def fingerprint(settings: object, files: list[str | Path]) -> str:
    """SHA-256 over the JSON of ``settings`` and the bytes of ``files`` (in the given order)."""
    h = hashlib.sha256(json.dumps(settings, sort_keys=True, ensure_ascii=False, default=str).encode())
    for f in files:
        h.update(str(f).encode())
        h.update(Path(f).read_bytes())
    return h.hexdigest()


def _file_digest(path: Path) -> dict:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return {"bytes": path.stat().st_size, "sha256": h.hexdigest()}


class ShardCache:
    """Cached tables of one shard (``name -> parquet``), valid for one fingerprint."""

    def __init__(self, folder: str | Path | None, key: str):
        self.folder = Path(folder) if folder else None
        self.key = key
        self.index: dict[str, str] = {}
        self.tables: dict[str, dict] = {}
        self._verified = False
        if self.folder is None:
            return
        self._remove_leftovers()
        try:
            meta = json.loads((self.folder / INDEX).read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or not isinstance(meta.get("reviews", {}), dict):
                raise ValueError("not an index")
        except FileNotFoundError:
            if self.folder.exists():
                log.warning("cache %s has no index (an interrupted job?); not used, recomputing the shard", self.folder)
            return
        except (OSError, ValueError) as e:
            log.warning("cache %s: index unreadable (%s); not used, recomputing the shard", self.folder, e)
            return
        if meta.get("format") != FORMAT:
            log.info("cache %s: written by an older version; recomputing the shard", self.folder)
        elif meta.get("fingerprint") != key:
            log.info("cache %s: code, settings or resources changed; recomputing the shard", self.folder)
        else:
            self.index = dict(meta.get("reviews", {}))
            self.tables = dict(meta.get("tables", {}))

    def _remove_leftovers(self) -> None:
        """Temporary and set-aside cache folders of a job that was killed while saving, and the temporary
        files of its outputs (``.NAME.tmp-PID``, see :func:`valuechain.faults.atomic_path`) beside them."""
        for p in self.folder.parent.glob(f"{self.folder.name}.tmp-*"):
            shutil.rmtree(p, ignore_errors=True)
        for p in self.folder.parent.glob(f"{self.folder.name}.old-*"):
            shutil.rmtree(p, ignore_errors=True)
        for p in self.folder.parent.glob(".*.tmp-*"):
            p.unlink(missing_ok=True)

    def _trusted(self) -> bool:
        """Do the table files match the sizes and hashes in the index? Drops the cache (warning) if not."""
        if self._verified:
            return bool(self.index)
        self._verified = True
        for name, want in sorted(self.tables.items()):
            path = self.folder / f"{name}.parquet"
            try:
                got = _file_digest(path) if path.stat().st_size == want.get("bytes") else {"bytes": path.stat().st_size}
            except OSError as e:
                got = {"error": f"{type(e).__name__}: {e.strerror or e}"}
            if got != want:
                log.warning(
                    "cache %s: %s does not match its index entry (%s); the cache is not used, recomputing the shard",
                    self.folder,
                    path.name,
                    got.get("error") or ("other content" if got.get("bytes") == want.get("bytes") else "other size"),
                )
                self.index, self.tables = {}, {}
                return False
        return bool(self.index)

    def hits(self, reviews: dict[str, str]) -> set[str]:
        """Review ids (of ``review_id -> sha256``) whose cached rows are valid."""
        found = {rid for rid, sha in reviews.items() if self.index.get(rid) == sha}
        return found if found and self._trusted() else set()

    def table(self, name: str, review_ids: set[str]) -> pd.DataFrame | None:
        """Cached rows of ``review_ids`` from table ``name``; None when it cannot be read."""
        if self.folder is None or not review_ids:
            return None
        if name not in self.tables or not self._trusted():
            log.warning("cache %s: no verified %s table; recomputing", self.folder, name)
            return None
        path = self.folder / f"{name}.parquet"
        try:
            import pyarrow.parquet as pq

            if not pq.ParquetFile(path).metadata.num_rows:  # no rows: review_id is typed null, no filter applies
                return pd.read_parquet(path)
            if set(self.index) <= set(review_ids):  # every cached review is wanted (the usual rerun)
                return pd.read_parquet(path)
            return pd.read_parquet(path, filters=[("review_id", "in", sorted(review_ids))])
        except Exception as e:  # noqa: BLE001 - a broken cache only costs time
            log.warning("cache %s: cannot read %s (%s); recomputing", self.folder, name, e)
            return None

    def path(self, name: str) -> Path | None:
        """The cached file of table ``name`` (whole, not per review) when the cache is valid, else None."""
        if self.folder is None or name not in self.tables or not self.index or not self._trusted():
            return None
        return self.folder / f"{name}.parquet"

    def save(self, tables: dict[str, str | Path], reviews: dict[str, str]) -> None:
        """Keep ``tables`` (name -> written output file) for the reviews ``review_id -> sha256``.

        Built in a temporary folder beside the cache, then swapped in by two renames (the old cache
        set aside, the new one moved in); killed at any point, the next job finds a complete cache
        or none (and removes the leftovers).
        """
        if self.folder is None:
            return
        tmp = Path(tempfile.mkdtemp(prefix=f"{self.folder.name}.tmp-", dir=self.folder.parent))
        digests = {}
        for name, path in sorted(tables.items()):
            dst = tmp / f"{name}.parquet"
            try:
                os.link(path, dst)
            except OSError:
                shutil.copyfile(path, dst)
            digests[name] = _file_digest(dst)
        meta = {"format": FORMAT, "fingerprint": self.key, "tables": digests, "reviews": dict(sorted(reviews.items()))}
        (tmp / INDEX).write_text(json.dumps(meta, ensure_ascii=False, indent=0), encoding="utf-8")
        faults.point("cache:staged")
        old = None
        if self.folder.exists():
            old = self.folder.with_name(f"{self.folder.name}.old-{os.getpid()}")
            os.replace(self.folder, old)
        faults.point("cache:swapped")
        try:
            os.replace(tmp, self.folder)
        except OSError as e:  # a job of this shard left running by a killed Snakemake saved its cache meanwhile
            log.warning("cache %s not replaced (%s); the other copy is kept", self.folder, e)
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
