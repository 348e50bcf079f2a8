"""Corpus bookkeeping: review discovery, ids, shards (pure functions, no Snakemake)."""

from __future__ import annotations

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


def shard_of(review_id: str, n_shards: int) -> str:
    """Stable shard name from a hash of the review id (independent of Python's hash seed)."""
    # surrogateescape: a file name that is not valid UTF-8 hashes by its bytes (it is rejected later, not here)
    h = int(hashlib.sha1(review_id.encode("utf-8", "surrogateescape")).hexdigest()[:8], 16)
    return f"shard-{h % n_shards:03d}"


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


def files_by_shard(files: list[Path], n_shards: int) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for p in files:
        out.setdefault(shard_of(review_id_for(p), n_shards), []).append(p)
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
