"""Ingest review files and turn Docs into token rows (run per shard by :mod:`valuechain.stages.shard`)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from ..corpus import SUPPORTED_SUFFIXES, review_id_for, wildcard_in_name
from ..faults import atomic_path
from ..ingest import RejectedInput, Review, ingest_bytes, read_input

log = logging.getLogger(__name__)

REJECTED_COLUMNS = ["file", "review_id", "reason", "detail"]
TOKEN_COLUMNS = ["review_id", "sent_id", "token_id", "form", "tag", "lemma", "start", "end"]
TOKEN_ORDER = ["review_id", "sent_id", "token_id"]  # row order of every token table


def _printable_name(name: str) -> str:
    """A file name as it can be written to CSV/JSON: undecodable bytes shown as \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def ingest_files(files: list[str | Path], max_bytes: int) -> tuple[list[Review], list[dict]]:
    """Read each file; every file ends up either as a Review or as a rejected row.

    A file is rejected (never silently skipped) with a short reason: unsupported_type, bad_name,
    duplicate_id, not_a_file, unreadable, too_large, empty, binary, undecodable, or ``error`` for
    an unexpected exception (its text in ``detail``), so that one bad file never stops the shard.
    Files are only read; ids are never used as paths.
    """
    reviews, rejected, seen = [], [], {}
    for f in sorted(map(Path, files), key=lambda p: p.name):
        name = _printable_name(f.name)
        rid = review_id_for(f)
        try:
            if name != f.name:
                rid = _printable_name(rid)
                raise RejectedInput("bad_name", f"file name is not valid UTF-8: {name}")
            if f.name.startswith("."):
                raise RejectedInput("hidden", "hidden file (name starts with a dot); rename it to include it")
            if wildcard_in_name(f.name):
                raise RejectedInput(
                    "bad_name", "braces around a word ({...}) are read by Snakemake as a wildcard; rename the file"
                )
            if f.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise RejectedInput(
                    "unsupported_type", f"suffix {f.suffix or '(none)'} is not one of {', '.join(SUPPORTED_SUFFIXES)}"
                )
            if rid in seen:
                raise RejectedInput("duplicate_id", f"review id {rid!r} is already used by {seen[rid]}")
            data = read_input(f, max_bytes)
            rv = ingest_bytes(rid, data, source=f.name)
        except RejectedInput as e:
            log.warning("rejected %s: %s", name, e)
            rejected.append({"file": name, "review_id": rid, "reason": e.reason, "detail": e.detail})
            continue
        except Exception as e:  # noqa: BLE001 - one bad file must not stop the others
            log.exception("unexpected error on %s; recorded as rejected (reason error)", name)
            detail = f"{type(e).__name__}: {e}"
            rejected.append(
                {
                    "file": name,
                    "review_id": rid,
                    "reason": "error",
                    "detail": detail if len(detail) <= 500 else detail[:497] + "...",
                }
            )
            continue
        seen[rid] = f.name
        reviews.append(rv)
        log.info(
            "ingested %s as %s (%s, %d chars, layout %s%s)",
            f.name,
            rid,
            rv.encoding,
            len(rv.text),
            rv.layout,
            f"; {'; '.join(rv.warnings)}" if rv.warnings else "",
        )
    return reviews, rejected


def write_ingest(reviews: list[Review], rejected: list[dict], out_jsonl: str, out_rejected: str) -> None:
    """Both files written to temporary names and renamed into place (never seen half-written)."""
    with atomic_path(out_jsonl) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        for rv in sorted(reviews, key=lambda r: r.review_id):
            fh.write(json.dumps(rv.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
    with atomic_path(out_rejected) as tmp:
        pd.DataFrame(rejected, columns=REJECTED_COLUMNS).sort_values(["file"]).to_csv(
            tmp, index=False, lineterminator="\n"
        )


def read_reviews(path: str | Path) -> list[Review]:
    with open(path, encoding="utf-8") as fh:
        return [Review.from_dict(json.loads(line)) for line in fh if line.strip()]


def token_rows(review_id: str, doc) -> list[dict]:
    from ..docs import doc_tokens

    dt = doc_tokens(doc)  # read once, shared with the recogniser and the relation extractor
    rows = []
    for sent_id, first, past, *_ in dt.sents:
        for tid, (_i, form, tag, lemma, start, end) in enumerate(dt.toks[first:past]):
            rows.append(
                {
                    "review_id": review_id,
                    "sent_id": sent_id,
                    "token_id": tid,
                    "form": form,
                    "tag": tag,
                    "lemma": lemma,
                    "start": start,
                    "end": end,
                }
            )
    return rows


def tokens_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=TOKEN_COLUMNS)
    for c in ("sent_id", "token_id", "start", "end"):
        df[c] = df[c].astype("int64")
    return df.sort_values(TOKEN_ORDER, kind="stable").reset_index(drop=True)
