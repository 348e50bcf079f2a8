"""Corpus-level tables gathered from the shards: reviews, rejected files, tokens."""

from __future__ import annotations

import json
import logging

import pandas as pd

from ..faults import atomic_path
from .tokens import REJECTED_COLUMNS, TOKEN_COLUMNS, read_reviews

log = logging.getLogger(__name__)

REVIEW_COLUMNS = [
    "review_id",
    "title",
    "subtitle",
    "author",
    "book_title",
    "book_author",
    "n_chars",
    "n_sentences",
    "n_tokens",
    "sha256",
    "file",
    "layout",
    "encoding",
    "warnings",
    "duplicate_of",
    "url",
    "fetched_at",
    "date",
    "notes",
]
# columns of the review sheet (config/reviews.tsv) carried into reviews.csv; its sha256 is compared
SHEET_COLUMNS = ["url", "fetched_at", "date", "notes"]


def review_rows(review_jsonl: str) -> list[dict]:
    """The reviews.csv fields of one shard's reviews that come from its reviews.jsonl (no texts kept)."""
    return [
        {
            "review_id": rv.review_id,
            "title": rv.title,
            "subtitle": rv.subtitle,
            "author": rv.author,
            "book_title": rv.book_title,
            "book_author": rv.book_author,
            "n_chars": len(rv.text),
            "sha256": rv.sha256,
            "file": rv.source,
            "layout": rv.layout,
            "encoding": rv.encoding,
            "warnings": "; ".join(rv.warnings),
            "file_date": rv.date,
        }
        for rv in read_reviews(review_jsonl)
    ]


def shard_reviews(review_jsonls: list[str], token_parquets: list[str], cache_dir: str | None = None):
    """(review rows, token counts) of all shards. With ``cache_dir`` each shard's part is kept under the
    digest of its two files (:class:`valuechain.table_cache.TableCache`), so a rerun reads the texts and
    tokens of changed shards only (at 10,000 reviews reading them all took ~1.9 s, the cache 0.3 s)."""
    from ..table_cache import Piece, TableCache, file_digest, shard_name

    paired = len(review_jsonls) == len(token_parquets) and all(
        shard_name(a) == shard_name(b) for a, b in zip(review_jsonls, token_parquets)
    )
    if not cache_dir or not paired:
        rows = [r for path in review_jsonls for r in review_rows(path)]
        return rows, token_counts(token_parquets)
    cache = TableCache(cache_dir)
    rows, frames = [], []
    for jsonl, tokens in zip(review_jsonls, token_parquets):
        shard = shard_name(jsonl)
        key = cache.key("reviewrows", file_digest(jsonl), file_digest(tokens))
        piece = cache.get("reviewrows", shard, key)
        if piece is not None:
            part, counts = json.loads(piece.data)
        else:
            part = review_rows(jsonl)
            counts = [[str(r), int(s), int(t)] for r, s, t in token_counts([tokens]).itertuples(index=False)]
            cache.put("reviewrows", shard, key, Piece(json.dumps([part, counts], ensure_ascii=False).encode(), [], []))
        rows += part
        if counts:
            frames.append(pd.DataFrame(counts, columns=["review_id", "n_sentences", "n_tokens"]))
    log.info("review rows: %d shards from the cache, %d read", cache.hits, cache.misses)
    cnt = (
        pd.concat(frames, ignore_index=True).astype({"n_sentences": "int64", "n_tokens": "int64"})
        if frames
        else pd.DataFrame(columns=["review_id", "n_sentences", "n_tokens"])
    )
    return rows, cnt


def reviews_table(
    review_jsonls: list[str], token_parquets: list[str], sheet: pd.DataFrame | None, cache_dir: str | None = None
) -> pd.DataFrame:
    rows, cnt = shard_reviews(review_jsonls, token_parquets, cache_dir)
    df = pd.DataFrame(
        rows,
        columns=[c for c in REVIEW_COLUMNS if c not in ("n_sentences", "n_tokens", "duplicate_of", *SHEET_COLUMNS)]
        + ["file_date"],
    )
    df = df.merge(cnt, on="review_id", how="left")
    df[["n_sentences", "n_tokens"]] = df[["n_sentences", "n_tokens"]].fillna(0).astype("int64")
    df = df.sort_values("review_id", kind="stable").reset_index(drop=True)
    # the same content under two names: keep the first id, flag the others
    first = df.groupby("sha256")["review_id"].transform("first")
    df["duplicate_of"] = first.where(first != df["review_id"], "")
    if sheet is not None and len(sheet):
        cols = ["review_id"] + [c for c in SHEET_COLUMNS if c in sheet] + (["sha256"] if "sha256" in sheet else [])
        meta = sheet[cols].astype(str).rename(columns={"sha256": "sheet_sha256"})
        unknown = sorted(set(meta["review_id"]) - set(df["review_id"]))
        if unknown:
            log.warning("config/reviews.tsv names reviews that are not in the inputs folder: %s", unknown)
        df = df.merge(meta, on="review_id", how="left")
    for c in SHEET_COLUMNS + ["sheet_sha256"]:
        if c not in df:
            df[c] = ""
    df = _merge_dates(_check_fetched(df.fillna({c: "" for c in SHEET_COLUMNS + ["sheet_sha256"]})))
    return df[REVIEW_COLUMNS].fillna("")


def token_counts(token_parquets: list[str]) -> pd.DataFrame:
    """review_id, n_sentences (distinct sent_id), n_tokens (rows) of the shards' token tables.

    Counted on the dictionary codes of review_id with numpy (a pandas group by on Arrow strings took
    ~1 s per 1,000 reviews)."""
    import numpy as np
    import pyarrow.parquet as pq

    frames = []
    for path in token_parquets:
        t = pq.read_table(path, columns=["review_id", "sent_id"], read_dictionary=["review_id"])
        if not len(t) or t.column("review_id").null_count or t.column("sent_id").null_count:
            if len(t):  # missing values: the general (slow) way
                frames.append(
                    t.to_pandas()
                    .groupby("review_id")
                    .agg(n_sentences=("sent_id", "nunique"), n_tokens=("sent_id", "size"))
                    .reset_index()
                )
            continue
        rid = t.column("review_id").combine_chunks()
        codes = rid.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        sid = t.column("sent_id").to_numpy().astype(np.int64)
        names = rid.dictionary.to_pylist()
        n_tokens = np.bincount(codes, minlength=len(names))
        lo = int(sid.min())
        pairs = np.unique(codes * (int(sid.max()) - lo + 1) + (sid - lo))
        n_sent = np.bincount(pairs // (int(sid.max()) - lo + 1), minlength=len(names))
        used = np.flatnonzero(n_tokens)
        frames.append(
            pd.DataFrame(
                {
                    "review_id": [names[i] for i in used.tolist()],
                    "n_sentences": n_sent[used].astype("int64"),
                    "n_tokens": n_tokens[used].astype("int64"),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=["review_id", "n_sentences", "n_tokens"])
    return pd.concat(frames, ignore_index=True)


def _check_fetched(df: pd.DataFrame) -> pd.DataFrame:
    """A file whose bytes differ from the page ``valuechain add`` fetched (the sheet's sha256) is
    noted in warnings: it was edited or replaced by hand since."""
    df = df.copy()
    for i in df.index[(df["sheet_sha256"] != "") & (df["sheet_sha256"] != df["sha256"])]:
        when = df.at[i, "fetched_at"]
        note = "file differs from the page fetched" + (f" at {when}" if when else "")
        note += f" (sheet sha256 {df.at[i, 'sheet_sha256'][:12]}...)"
        log.warning("%s: %s", df.at[i, "review_id"], note)
        df.at[i, "warnings"] = "; ".join(x for x in (df.at[i, "warnings"], note) if x)
    return df.drop(columns=["sheet_sha256"])


def _merge_dates(df: pd.DataFrame) -> pd.DataFrame:
    """``date``: the sheet's when it gives one, else the date found in the file (HTML pages).

    A sheet date that contradicts the page's is kept (the sheet is curated) and noted in warnings.
    """
    df = df.copy()
    sheet_date = df["date"].fillna("").astype(str).str.strip()
    file_date = df["file_date"].fillna("").astype(str).str.strip()
    # a sheet giving only YYYY or YYYY-MM agrees with a page date that starts with it
    conflict = [bool(s and f and not f.startswith(s)) for s, f in zip(sheet_date, file_date)]
    for i in df.index[conflict]:
        note = f"sheet date {sheet_date[i]} differs from the date in the file {file_date[i]}"
        log.warning("%s: %s", df.at[i, "review_id"], note)
        df.at[i, "warnings"] = "; ".join(x for x in (df.at[i, "warnings"], note) if x)
    df["date"] = sheet_date.where(sheet_date != "", file_date)
    return df.drop(columns=["file_date"])


def rejected_table(paths: list[str]) -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=REJECTED_COLUMNS)
    return pd.concat(frames).sort_values(["file"], kind="stable").reset_index(drop=True)[REJECTED_COLUMNS]


def write_tokens_table(paths: list[str], out: str, chunk_reviews: int = 256) -> int:
    """All shards' tokens in one Parquet file ordered by (review_id, sent_id, token_id); returns the rows.

    Each shard file is already in that order and a review lives in one shard only, so the shards are
    merged review by review (zero-copy slices of Arrow tables, written a chunk of reviews at a time):
    memory is the shards' columns held compactly (~30 bytes per token) plus one chunk, never a pandas
    copy of the corpus (4.5 GB at 10,000 reviews) or a sorted second copy.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    schema = pa.schema(
        [(c, pa.int64() if c in ("sent_id", "token_id", "start", "end") else pa.string()) for c in TOKEN_COLUMNS]
    )
    runs = []  # (review_id, table, offset, length)
    for i, p in enumerate(paths):
        rid = pq.read_table(p, columns=["review_id"]).column("review_id").cast(pa.string()).combine_chunks()
        if not len(rid):
            continue
        ree = pc.run_end_encode(rid)
        offset = 0
        for r, end in zip(ree.values.to_pylist(), ree.run_ends.to_pylist()):
            runs.append((r, i, offset, end - offset))
            offset = end
    runs.sort()
    if len({r[0] for r in runs}) != len(runs):
        raise ValueError(
            "a review's tokens are split within or across shards; the shard tables must be "
            "sorted by review_id and each review must belong to one shard"
        )
    # held compactly: strings dictionary-encoded (few distinct forms and tags), integers as int32; each
    # written chunk is cast back to the table's schema
    compact = pa.schema(
        [
            (f.name, pa.int32() if pa.types.is_integer(f.type) else pa.dictionary(pa.int32(), pa.string()))
            for f in schema
        ]
    )
    tables = [
        pq.read_table(p, columns=TOKEN_COLUMNS, read_dictionary=["review_id", "form", "tag", "lemma"]).cast(compact)
        for p in paths
    ]
    with pq.ParquetWriter(out, schema) as writer:
        if not runs:
            writer.write_table(schema.empty_table())
        for k in range(0, len(runs), chunk_reviews):
            part = [tables[i].slice(o, n) for _, i, o, n in runs[k : k + chunk_reviews]]
            writer.write_table(pa.concat_tables(part).cast(schema))
    return sum(r[3] for r in runs)


def write_csv(df: pd.DataFrame, path: str) -> None:
    """UTF-8, LF line ends, no index: the byte-stable form of every table; written to a temporary file
    renamed into place, so the table is never seen half-written."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n")


MENTION_OUT = ["review_id", "sent_id", "start", "end", "text", "label", "entity_id", "source", "confidence", "value"]


def linked_tables(
    mention_parquets: list[str], relation_parquets: list[str], reviews: pd.DataFrame, gaz, link_parquets=()
):
    """(mentions.csv, entities before layers, keymap, relations.csv, links.csv) from the shards' tables."""
    from ..entities import link
    from .relations import links_table, relations_table

    frames = [pd.read_parquet(p) for p in mention_parquets]
    # no shard at all (empty inputs folder): an empty table with the columns of a shard's mentions
    mentions = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*MENTION_OUT, "key", "parent"])
    dups = set(reviews.loc[reviews["duplicate_of"] != "", "review_id"])
    linked, ents = link(mentions, gaz, dups)
    linked = linked.sort_values(["review_id", "start", "end"], kind="stable")
    keymap = linked[["key", "entity_id"]].drop_duplicates().sort_values(["key"], kind="stable")
    return (
        linked[MENTION_OUT],
        ents,
        keymap,
        relations_table(relation_parquets, keymap),
        links_table(list(link_parquets), keymap),
    )


def write_linked_tables(
    mention_parquets: list[str],
    relation_parquets: list[str],
    link_parquets: list[str],
    reviews: pd.DataFrame,
    gaz,
    out: dict[str, str],
    cache_dir: str | None = None,
) -> dict[str, int]:
    """Write what :func:`linked_tables` returns (out: mentions, entities, keymap, relations, links), the
    three per-review tables assembled from per-shard pieces kept in ``cache_dir``
    (:mod:`valuechain.table_cache`): only the pieces whose shard table or entity linking changed are
    rendered again. Returns the row counts."""
    from ..entities import link
    from ..table_cache import TableCache, file_digest, header_of, render, shard_name, write_pieces
    from .relations import LINK_OUT, RELATION_OUT, links_table, relations_table

    cache = TableCache(cache_dir)
    frames = [pd.read_parquet(p) for p in mention_parquets]
    mentions = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*MENTION_OUT, "key", "parent"])
    dups = set(reviews.loc[reviews["duplicate_of"] != "", "review_id"])
    linked, ents = link(mentions, gaz, dups)  # rows in shard order
    # one row per key (a key has one entity id), in key order: the same as from the sorted mentions
    keymap = linked[["key", "entity_id"]].drop_duplicates().sort_values(["key"], kind="stable")
    write_csv(ents, out["entities"])
    write_csv(keymap, out["keymap"])
    mapping = dict(zip(keymap["key"].tolist(), keymap["entity_id"].tolist()))
    label_of = dict(zip(ents["entity_id"].tolist(), ents["label"].tolist()))

    # mentions.csv: each shard's rows, linked
    pieces, start = [], 0
    for path, frame in zip(mention_parquets, frames):
        part = linked.iloc[start : start + len(frame)]
        start += len(frame)
        keys = sorted(set(part["key"].tolist()))
        key = cache.key(
            "mentions", file_digest(path), [(k, mapping.get(k), label_of.get(mapping.get(k))) for k in keys]
        )
        piece = cache.get("mentions", shard_name(path), key)
        if piece is None:
            piece = render(part.sort_values(["review_id", "start", "end"], kind="stable")[MENTION_OUT])
            piece.keys = keys
            cache.put("mentions", shard_name(path), key, piece)
        pieces.append(piece)
    write_pieces(out["mentions"], header_of(MENTION_OUT), pieces)
    counts = {"mentions": len(linked)}

    # relations.csv and links.csv: a shard whose file and keys' entity ids are unchanged is not read
    for table, paths, build, cols in (
        ("relations", relation_parquets, relations_table, RELATION_OUT),
        ("links", list(link_parquets), links_table, LINK_OUT),
    ):
        pieces = []
        for path in paths:
            digest, shard = file_digest(path), shard_name(path)
            known = cache.keys(table, shard)
            piece = None
            if known is not None:
                piece = cache.get(table, shard, cache.key(table, digest, [(k, mapping.get(k, k)) for k in known]))
            if piece is None:
                part = build([path], keymap)
                keys = sorted(
                    set(pd.read_parquet(path, columns=_key_columns(table))[_key_columns(table)].stack().tolist())
                )
                piece = render(part[cols])
                piece.keys = keys
                cache.put(table, shard, cache.key(table, digest, [(k, mapping.get(k, k)) for k in keys]), piece)
            pieces.append(piece)
        write_pieces(out[table], header_of(cols), pieces)
    cache.prune({shard_name(p) for p in [*mention_parquets, *relation_parquets, *link_parquets]})
    log.info("corpus tables: %d pieces from the cache, %d rendered", cache.hits, cache.misses)
    return counts


def _key_columns(table: str) -> list[str]:
    """The columns of a shard table that hold entity keys."""
    return ["key"] if table == "relations" else ["source", "target"]
