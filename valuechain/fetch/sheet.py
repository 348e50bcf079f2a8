"""The review sheet ``config/reviews.tsv`` as rows of strings: read, update (pure), write.

Rows and columns are kept as they are (values, order, unknown columns); only the rows an update
names change, and the columns ``fetched_at`` and ``sha256`` are appended to the header when missing.
Written with the csv module's minimal quoting, which pandas reads back to the same values.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS = ["review_id", "url", "date", "notes", "fetched_at", "sha256"]


class SheetError(ValueError):
    """A sheet that cannot be updated without losing something (ragged rows, no review_id column)."""


@dataclass(frozen=True)
class Sheet:
    header: list[str] = field(default_factory=lambda: list(COLUMNS))
    rows: tuple[dict[str, str], ...] = ()

    def get(self, review_id: str) -> dict[str, str] | None:
        return next((dict(r) for r in self.rows if r.get("review_id") == review_id), None)


def parse_sheet(text: str, name: str = "sheet") -> Sheet:
    """A sheet from TSV text; SheetError when a row has more fields than the header."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return Sheet()
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    header = records[0]
    if "review_id" not in header:
        raise SheetError(f"{name}: no review_id column in the header {header}")
    rows = []
    for n, rec in enumerate(records[1:], start=2):
        if not rec:
            continue  # a blank line
        if len(rec) > len(header):
            raise SheetError(f"{name}: line {n} has {len(rec)} fields, the header {len(header)}; fix it first")
        rows.append(dict(zip(header, rec + [""] * (len(header) - len(rec)))))
    return Sheet(header, tuple(rows))


def format_sheet(sheet: Sheet) -> str:
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    w.writerow(sheet.header)
    for r in sheet.rows:
        w.writerow([r.get(c, "") for c in sheet.header])
    return out.getvalue()


def upsert(sheet: Sheet, review_id: str, values: dict[str, str]) -> Sheet:
    """A new sheet with ``values`` set on the row of ``review_id`` (appended when absent).

    Columns named in ``values`` are added to the header when missing; other cells are kept.
    """
    header = list(sheet.header) + [c for c in values if c not in sheet.header]
    rows, found = [], False
    for r in sheet.rows:
        if r.get("review_id") == review_id and not found:
            r = {**r, **values}
            found = True
        rows.append(r)
    if not found:
        rows.append({"review_id": review_id, **values})
    return Sheet(header, tuple(rows))


def read_sheet(path: str | Path) -> Sheet:
    """The sheet at ``path``; an empty one with the documented columns when the file is absent."""
    p = Path(path)
    if not p.exists():
        return Sheet()
    return parse_sheet(p.read_text(encoding="utf-8"), str(p))


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write a file by renaming a complete temporary copy over it (readers never see half a file)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    mode = p.stat().st_mode & 0o777 if p.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_sheet(path: str | Path, sheet: Sheet) -> None:
    write_atomic(path, format_sheet(sheet).encode("utf-8"))
