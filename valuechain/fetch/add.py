"""``valuechain add``: fetch pages into ``reviews_dir`` as ``<review_id>.html`` and record them in the sheet.

Outcomes per URL: ``added`` (new file), ``unchanged`` (the same bytes as the saved copy, or the
same review text, title, author and date: nothing is written), ``updated`` (a changed page
replaced, only with ``--update``), ``changed`` (the page differs from the saved copy, which is kept)
and ``failed`` (with a reason). Exit code: 1 when any failed, else 3 when any page changed and was
kept, else 0.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..corpus import review_id_for
from ..ingest import RejectedInput, Review, ingest_bytes, sha256_bytes
from ..yaml_files import read_yaml
from .client import Fetcher, FetchError, Settings
from .ids import BadURL, canonical_url, normalize_url, read_url_list, review_id_for_url
from .sheet import Sheet, SheetError, read_sheet, upsert, write_atomic, write_sheet

STATUSES = ("added", "unchanged", "updated", "changed", "failed")
EXIT_FAILED, EXIT_CHANGED = 1, 3


@dataclass
class Outcome:
    url: str
    status: str  # one of STATUSES
    review_id: str = ""
    reason: str = ""  # failure code (bad_url, robots, http_error, timeout, not_html, too_large, ...)
    detail: str = ""
    file: str = ""
    title: str = ""
    author: str = ""
    date: str = ""

    def line(self) -> str:
        """One line for the terminal."""
        if self.status == "failed":
            return f"failed     {self.url}: {self.reason}: {self.detail}"
        meta = " / ".join(x for x in (self.title, self.author, self.date) if x)
        text = f"{self.status:<10} {self.review_id} <- {self.url}" + (f"  [{meta}]" if meta else "")
        return text + (f"\n           {self.detail}" if self.detail else "")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def decide(saved: bytes | None, fetched: bytes, same_review: bool, update: bool) -> str:
    """added / unchanged / updated / changed for a fetched page and the saved copy (None: none).

    ``same_review``: the two give the same review (text, title, author, date), so only markup the
    workflow ignores differs (counters, tokens in scripts): unchanged, and the saved copy stays.
    """
    if saved is None:
        return "added"
    if saved == fetched or same_review:
        return "unchanged"
    return "updated" if update else "changed"


def review_key(rv: Review) -> tuple[str, ...]:
    """What the workflow reads from a page: two pages with the same key give the same rows."""
    return (rv.text, rv.title, rv.subtitle, rv.author, rv.date)


def same_review(saved: bytes | None, fetched: Review, name: str) -> bool:
    if saved is None:
        return False
    try:
        return review_key(ingest_bytes(fetched.review_id, saved, source=name)) == review_key(fetched)
    except RejectedInput:
        return False


def other_file_with_id(reviews_dir: Path, review_id: str) -> Path | None:
    """A file of the inputs folder, other than ``<review_id>.html``, whose review id is the same."""
    if not reviews_dir.is_dir():
        return None
    target = f"{review_id}.html"
    return next((p for p in sorted(reviews_dir.iterdir()) if p.name != target and review_id_for(p) == review_id), None)


def sheet_values(row: dict[str, str] | None, url: str, sha: str, now: str, refetched: bool) -> dict[str, str]:
    """The sheet cells to set for a saved page: the url only where the row has none (a curated url
    is kept), fetched_at and sha256 when the file was (re)written or the row lacks them."""
    row = row or {}
    values: dict[str, str] = {}
    if not row.get("url"):
        values["url"] = url
    if refetched or not row.get("fetched_at") or row.get("sha256") != sha:
        values["fetched_at"] = now
        values["sha256"] = sha
    return values


class Adder:
    """Adds URLs one by one, writing each page and the sheet as soon as it is done."""

    def __init__(
        self,
        reviews_dir: str | Path,
        sheet_path: str | Path,
        fetcher: Fetcher,
        update: bool = False,
        now: Callable[[], str] = utc_now,
    ):
        self.reviews_dir, self.sheet_path = Path(reviews_dir), Path(sheet_path)
        self.fetcher, self.update, self.now = fetcher, update, now
        self.sheet: Sheet = read_sheet(self.sheet_path)

    def add(self, raw: str) -> Outcome:
        try:
            url = normalize_url(raw)
            review_id, cite = review_id_for_url(url), canonical_url(url)
        except BadURL as e:
            return Outcome(raw, "failed", reason="bad_url", detail=str(e))
        try:
            return self._add(url, review_id, cite)
        except FetchError as e:
            return Outcome(url, "failed", review_id, e.reason, e.detail)
        except OSError as e:
            return Outcome(url, "failed", review_id, "io_error", f"{type(e).__name__}: {e}")

    def _add(self, url: str, review_id: str, cite: str) -> Outcome:
        clash = other_file_with_id(self.reviews_dir, review_id)
        if clash is not None:
            raise FetchError("id_taken", f"review id {review_id} is already used by {clash}; rename or remove it")
        page = self.fetcher.fetch(url)
        path = self.reviews_dir / f"{review_id}.html"
        try:
            rv = ingest_bytes(review_id, page.data, source=path.name)
        except RejectedInput as e:
            raise FetchError(f"ingest_{e.reason}", f"the workflow would reject this page: {e.detail}") from e
        out = Outcome(url, "", review_id, file=str(path), title=rv.title, author=rv.author, date=rv.date)
        if page.redirects:
            out.detail = f"redirected to {page.final_url}"
        saved = path.read_bytes() if path.exists() else None
        same = saved is not None and saved != page.data and same_review(saved, rv, path.name)
        out.status = decide(saved, page.data, same, self.update)
        if same:
            out.detail = "; ".join(
                x for x in (out.detail, "only markup the workflow ignores differs; kept the saved copy") if x
            )
        row = self.sheet.get(review_id)
        if out.status == "changed":
            when = (row or {}).get("fetched_at") or "an earlier fetch"
            out.detail = (
                f"the page differs from {path} (saved {when}, sha256 {sha256_bytes(saved)[:12]}; "
                f"now {sha256_bytes(page.data)[:12]}): "
                "kept the saved copy; add it with --update to replace it"
            )
            return out
        if out.status in ("added", "updated"):
            write_atomic(path, page.data)
        sha = sha256_bytes(page.data if out.status != "unchanged" else saved)
        values = sheet_values(row, cite, sha, self.now(), out.status != "unchanged")
        if values:
            self.sheet = upsert(self.sheet, review_id, values)
            write_sheet(self.sheet_path, self.sheet)
        if row and row.get("url") and row["url"] != cite:
            out.detail = "; ".join(x for x in (out.detail, f"the sheet keeps its url {row['url']}") if x)
        return out


def summary(outcomes: list[Outcome]) -> str:
    """Counts of every outcome, then each failure and each kept change with its reason."""
    n = Counter(o.status for o in outcomes)
    lines = [", ".join(f"{n[s]} {s}" for s in STATUSES)]
    for o in outcomes:
        if o.status == "failed":
            lines.append(f"  failed  {o.url}: {o.reason}: {o.detail}")
        elif o.status == "changed":
            lines.append(f"  changed {o.url} ({o.review_id}): {o.detail}")
    return "\n".join(lines)


def exit_code(outcomes: Iterable[Outcome]) -> int:
    statuses = {o.status for o in outcomes}
    return EXIT_FAILED if "failed" in statuses else EXIT_CHANGED if "changed" in statuses else 0


def add_urls(urls: list[str], adder: Adder, progress: bool | None = None) -> list[Outcome]:
    """Add each URL in order; a progress bar on stderr for more than one (None: only on a terminal)."""
    from tqdm import tqdm

    outcomes: list[Outcome] = []
    bar = tqdm(urls, unit="page", disable=True if len(urls) < 2 else (None if progress is None else not progress))
    try:
        for raw in bar:
            bar.set_postfix_str(raw[-40:], refresh=False)
            o = adder.add(raw)
            outcomes.append(o)
            tqdm.write(o.line(), file=sys.stdout)
    except KeyboardInterrupt:  # what was done is saved; what was not is listed as such
        outcomes += [Outcome(u, "failed", reason="interrupted", detail="not attempted") for u in urls[len(outcomes) :]]
    finally:
        bar.close()
    return outcomes


# ---------------------------------------------------------------------- command line


def add_arguments(ap: argparse.ArgumentParser) -> None:
    d = Settings()
    ap.add_argument("urls", nargs="*", metavar="URL", help="page to add (a brunch post or another review page)")
    ap.add_argument(
        "--list",
        dest="lists",
        action="append",
        default=[],
        metavar="FILE",
        help="file of URLs, one a line (# comments); - reads stdin",
    )
    ap.add_argument("--update", action="store_true", help="replace saved pages whose content changed")
    ap.add_argument(
        "--config", default="config/config.yaml", help="reviews_dir, sheet and max_file_bytes come from here"
    )
    ap.add_argument("--reviews-dir", help="folder to save pages in (default: reviews_dir of the config)")
    ap.add_argument("--sheet", help="review sheet to record url, fetched_at, sha256 in (default: sheet of the config)")
    ap.add_argument("--max-bytes", type=int, help="largest page accepted (default: max_file_bytes of the config)")
    ap.add_argument(
        "--delay", type=float, default=d.delay, help=f"seconds between requests to one host (default {d.delay:g})"
    )
    ap.add_argument(
        "--timeout", type=float, default=d.timeout, help=f"seconds to connect and between reads (default {d.timeout:g})"
    )
    ap.add_argument(
        "--retries",
        type=int,
        default=d.retries,
        help=f"retries on connection errors and HTTP 5xx (default {d.retries})",
    )
    ap.add_argument(
        "--backoff",
        type=float,
        default=d.backoff,
        help=f"seconds; retry n waits backoff * 2**(n-1), the first is immediate (default {d.backoff:g})",
    )
    ap.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar (default: on a terminal)"
    )


def _config(path: str) -> dict:

    p = Path(path)
    return (read_yaml(p) or {}) if p.exists() else {}


def run(args: argparse.Namespace) -> int:
    """The ``add`` subcommand: returns the exit code."""
    cfg = _config(args.config)
    reviews_dir = args.reviews_dir or cfg.get("reviews_dir", "resources/reviews")
    sheet = args.sheet if args.sheet is not None else cfg.get("sheet", "config/reviews.tsv")
    if not sheet:
        print(
            'valuechain add: the review sheet is disabled (sheet: "" in the config); give --sheet FILE', file=sys.stderr
        )
        return 2
    urls = list(args.urls)
    for lst in args.lists:
        try:
            text = sys.stdin.read() if lst == "-" else Path(lst).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            print(f"valuechain add: cannot read the list {lst}: {e}", file=sys.stderr)
            return 2
        urls += read_url_list(text)
    if not urls:
        print("valuechain add: no URL given (URL arguments or --list FILE)", file=sys.stderr)
        return 2
    settings = Settings(
        timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
        delay=args.delay,
        max_bytes=args.max_bytes or int(cfg.get("max_file_bytes", Settings.max_bytes)),
    )
    with Fetcher(settings) as fetcher:
        try:
            adder = Adder(reviews_dir, sheet, fetcher, update=args.update)
        except (SheetError, OSError, UnicodeDecodeError) as e:
            print(f"valuechain add: cannot update the review sheet: {e}", file=sys.stderr)
            return 2
        outcomes = add_urls(urls, adder, progress=args.progress)
    print(summary(outcomes))
    return exit_code(outcomes)
