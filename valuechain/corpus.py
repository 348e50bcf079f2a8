"""Corpus bookkeeping: review discovery, ids, shards (pure functions, no Snakemake)."""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import unicodedata
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")


def review_id_for(path: str | Path) -> str:
    """Review id = file stem (the last suffix removed): ``a.b.txt`` -> ``a.b``; NFC (macOS names are NFD)."""
    name = Path(path).stem if Path(path).suffix else Path(path).name
    return unicodedata.normalize("NFC", name)


def _id_bytes(review_id: str) -> bytes:
    # surrogateescape: a file name that is not valid UTF-8 hashes by its bytes (it is rejected later, not here)
    return review_id.encode("utf-8", "surrogateescape")


def shard_of(review_id: str, n_shards: int) -> str:
    """Shard of a review when ``n_shards`` is pinned: SHA-1 of the id modulo the count (changing the
    count moves almost every review)."""
    h = int(hashlib.sha1(_id_bytes(review_id)).hexdigest()[:8], 16)
    return f"shard-{h % n_shards:03d}"


HASH_BITS = 64  # prefix bits of the SHA-1 a bucket can split on
BUCKET_PREFIX = "shard-h"  # + the bucket's bits: shard-h (everything), shard-h0, shard-h01, ...


def hash_bits(review_id: str) -> int:
    """The first HASH_BITS bits of the SHA-1 of the review id."""
    return int.from_bytes(hashlib.sha1(_id_bytes(review_id)).digest()[: HASH_BITS // 8], "big")


def bucket_shards(review_ids: list[str], max_per_shard: int) -> dict[str, str]:
    """review id -> shard, from buckets of hash prefixes that split when they grow too big.

    Every review id has a fixed bit string (the SHA-1 of the id). A bucket is the set of ids whose
    bits start with its prefix; the whole corpus is the bucket with the empty prefix, and a bucket
    holding more than ``max_per_shard`` ids is split into its two halves (prefix + 0, prefix + 1),
    recursively. The shards are the buckets that need no split, named ``shard-h<prefix>``. The mapping
    depends only on the set of ids, not on the order they came in; a review keeps its shard until its
    own bucket splits: adding reviews moves only the reviews of the buckets that split (and a bucket
    whose two halves shrink back under the limit together merges again).
    """
    if max_per_shard < 1:
        raise ValueError("max_per_shard must be >= 1")
    keyed = sorted((hash_bits(r), r) for r in review_ids)
    bits = [b for b, _ in keyed]
    out: dict[str, str] = {}
    todo = [(0, 0, len(keyed), "")]  # (prefix length, start, end, prefix)
    while todo:
        depth, lo, hi, prefix = todo.pop()
        # ids with one hash (the same id twice) cannot be split
        if hi - lo <= max_per_shard or depth >= HASH_BITS or bits[lo] == bits[hi - 1]:
            for _, r in keyed[lo:hi]:
                out[r] = BUCKET_PREFIX + prefix
            continue
        # ids are sorted by their bits: the half with bit `depth` set starts at the first id that has it
        mid = bisect.bisect_left(bits, _with_bit(bits[lo], depth), lo, hi)
        todo.append((depth + 1, lo, mid, prefix + "0"))
        todo.append((depth + 1, mid, hi, prefix + "1"))
    return out


def _with_bit(value: int, depth: int) -> int:
    """The smallest HASH_BITS-bit number with ``value``'s first ``depth`` bits and then bit ``depth`` set."""
    shift = HASH_BITS - depth - 1
    return ((value >> (shift + 1)) << (shift + 1)) | (1 << shift)


def related_buckets(shard: str, names: list[str]) -> list[str]:
    """Of ``names``, the other bucket shards that held some of ``shard``'s reviews before a split or a
    merge: its ancestors (nearest first) and its descendants. Empty for pinned shards (``shard-007``)."""
    if not shard.startswith(BUCKET_PREFIX):
        return []
    mine = shard[len(BUCKET_PREFIX) :]
    ancestors, descendants = [], []
    for n in names:
        if n == shard or not n.startswith(BUCKET_PREFIX) or not set(n[len(BUCKET_PREFIX) :]) <= {"0", "1"}:
            continue
        bits = n[len(BUCKET_PREFIX) :]
        if mine.startswith(bits):
            ancestors.append(n)
        elif bits.startswith(mine):
            descendants.append(n)
    return sorted(ancestors, key=len, reverse=True) + sorted(descendants)


# what Snakemake reads as a wildcard in a path ({name} or {name,constraint}): such a file cannot be an input
_WILDCARD = re.compile(r"\{\s*[.\w]+\s*(,.*)?\}")


def wildcard_in_name(name: str) -> bool:
    """Does a file name hold ``{word}``, which Snakemake would replace (or fail on) as a wildcard?"""
    return bool(_WILDCARD.search(name))


def _input_name(name: str) -> bool:
    """Can Snakemake take a file of this name as an input? Not hidden, no wildcard, valid UTF-8 (its lock
    file is UTF-8). The others are still read by the shard job, which rejects them with the reason."""
    if name.startswith(".") or wildcard_in_name(name):
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _scan(folder: Path) -> tuple[list[Path], list[Path]]:
    """(inputs, others) of one pass over the folder; ``os.scandir`` knows most entry types without a stat."""
    inputs, others = [], []
    with os.scandir(folder) as it:
        for e in it:
            try:
                regular = e.is_file()  # follows links; a loop or a broken link is not a file
            except OSError:
                regular = False
            (inputs if regular and _input_name(e.name) else others).append(folder / e.name)
    return sorted(inputs, key=lambda p: p.name), sorted(others, key=lambda p: p.name)


def list_input_files(folder: str | Path) -> list[Path]:
    """Every visible regular file of the inputs folder (unsupported ones are rejected later, not ignored).

    Names Snakemake cannot take (a wildcard ``{x}``, not UTF-8) are left to :func:`list_other_entries`
    (rejected ``bad_name``).
    """
    folder = Path(folder)
    return _scan(folder)[0] if folder.is_dir() else []


def list_other_entries(folder: str | Path) -> list[Path]:
    """Everything else in the inputs folder (hidden files, folders, broken links, FIFOs): these are
    not Snakemake inputs, but the ingest step still rejects each with a reason, so none goes unseen."""
    folder = Path(folder)
    return _scan(folder)[1] if folder.is_dir() else []


def no_reviews_message(folder: str | Path, n_rejected: int) -> str:
    """The one line that says why a run has no review to analyse (logged once; the error under strict)."""
    folder = Path(folder)
    if n_rejected:
        why = f"all {n_rejected} file(s) in it were rejected (reasons in results/tables/rejected.csv)"
    elif os.path.lexists(folder) and not folder.is_dir():
        why = "it is not a folder"
    elif not folder.is_dir():
        why = "it does not exist"
    else:
        why = "it holds no files"
    return (
        f"no reviews to analyse: the inputs folder {str(folder)!r} (config reviews_dir): {why}; "
        "the tables are empty (headers only)"
    )


def files_by_shard(files: list[Path], n_shards: int, max_per_shard: int = 500) -> dict[str, list[Path]]:
    """Shard name -> its files (sorted by name). ``n_shards`` > 0 pins the number of shards (hash modulo
    the count); 0 chooses it from the corpus: hash-prefix buckets of at most ``max_per_shard`` files
    (:func:`bucket_shards`)."""
    ids = {p: review_id_for(p) for p in files}
    if n_shards > 0:
        where = {p: shard_of(r, n_shards) for p, r in ids.items()}
    else:
        bucket = bucket_shards(list(ids.values()), max_per_shard)
        where = {p: bucket[r] for p, r in ids.items()}
    out: dict[str, list[Path]] = {}
    for p in files:
        out.setdefault(where[p], []).append(p)
    return {k: sorted(v, key=lambda p: p.name) for k, v in sorted(out.items())}


_SAFE = re.compile(r"[^\w.\-가-힣]+")


def safe_fragment(review_id: str) -> str:
    """A filesystem-safe rendering of an id (ids never become paths, but logs and reports show them)."""
    return _SAFE.sub("_", review_id).strip("._") or "review"


def code_fingerprint(*modules: str) -> str:
    """SHA-256 (short) of package source files (paths relative to the package, globs allowed).

    Rules take it as a parameter, so a change of the code behind a stage reruns that stage
    (Snakemake's own "code" trigger only sees the thin workflow script).
    """
    pkg = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for pattern in modules:
        for p in sorted(pkg.glob(pattern)):
            h.update(p.relative_to(pkg).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]
