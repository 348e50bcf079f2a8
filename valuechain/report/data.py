"""Load what the report shows, tolerating optional files and columns.

Every table is read as strings (``keep_default_na=False``) and missing columns are added empty, so
the report can be built at any stage of the pipeline: with only ``reviews.csv`` it shows the corpus,
and each later table (mentions, entities, relations, layers, analogies) adds its section.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter, defaultdict, namedtuple
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..graph import EDGE_COLUMNS, edges_table
from ..provenance import sha256_file
from ..stages.relations import LINK_OUT
from ..yaml_files import read_yaml

log = logging.getLogger(__name__)

COLUMNS = {
    "reviews": [
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
        "date",
        "notes",
    ],
    "rejected": ["file", "review_id", "reason", "detail"],
    "mentions": ["review_id", "sent_id", "start", "end", "text", "label", "entity_id", "source", "confidence"],
    "entities": [
        "entity_id",
        "name",
        "label",
        "aliases",
        "layer",
        "layer_confidence",
        "cluster",
        "n_mentions",
        "n_reviews",
        "gazetteer_id",
        "wikidata",
    ],
    "relations": [
        "review_id",
        "entity_id",
        "role",
        "era",
        "era_year",
        "evidence",
        "sent_id",
        "evidence_start",
        "evidence_end",
        "confidence",
        "method",
    ],
    "layers": ["layer", "layer_name", "era", "cluster", "n_entities", "members", "top_terms"],
    "analogies": ["gold_rush", "ai_era", "similarity", "evidence"],
    "era_layer": ["era", "layer", "n_entities", "n_relations"],
    "links": LINK_OUT,
    "edges": EDGE_COLUMNS,
}
LABELS = ["ORG", "PERSON", "PRODUCT", "WORK", "LOC", "DATE"]
GOLD, AI = "gold_rush", "ai"


@dataclass
class Layer:
    id: str
    ko: str = ""
    en: str = ""
    era: str = AI  # ai | gold_rush | both
    definition: str = ""
    order: int = 0


@dataclass
class ReviewDoc:
    review_id: str
    text: str
    spans: list[dict] = field(default_factory=list)


@dataclass
class ReportData:
    reviews: pd.DataFrame
    rejected: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    relations: pd.DataFrame
    layers: pd.DataFrame
    analogies: pd.DataFrame
    era_layer: pd.DataFrame
    taxonomy: list[Layer]
    texts: dict[str, ReviewDoc]
    provenance: dict
    scores: dict | None
    present: dict[str, bool]  # which optional tables were given
    input_hashes: dict[str, str]  # file name -> sha256 of every file the report read
    warnings: list[str] = field(default_factory=list)
    links: pd.DataFrame = field(default_factory=lambda: _empty("links"))  # links.csv
    edges: pd.DataFrame = field(default_factory=lambda: _empty("edges"))  # value_chain_edges.csv
    # derived values computed once (entity names, co-occurrence pairs, ...): the tables are not changed after load
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def _cached(self, key: str, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # ------------------------------------------------------------------ derived
    def layer(self, layer_id: str) -> Layer:
        """The taxonomy layer, else a stand-in named after the id (looked up once per id; do not modify)."""
        known = self._cached("layers_by_id", dict)
        lay = known.get(layer_id)
        if lay is None:
            lay = known[layer_id] = self._layer(layer_id)
        return lay

    def _layer(self, layer_id: str) -> Layer:
        for lay in self.taxonomy:
            if lay.id == layer_id:
                return lay
        return Layer(layer_id, ko="", en=layer_id.replace("_", " "), era=self._layer_era(layer_id), order=999)

    def _layer_era(self, layer_id: str) -> str:
        row = self.layers[self.layers["layer"] == layer_id]
        era = row["era"].iloc[0] if len(row) else ""
        return era_side(era) if era and era != "both" else (era or AI)

    def layer_ids(self) -> list[str]:
        """Taxonomy layers in chain order, then layers only the data knows."""
        return list(self._cached("layer_ids", self._layer_ids))

    def _layer_ids(self) -> list[str]:
        ids = [lay.id for lay in self.taxonomy]
        extra = (
            set(self.entities["layer"].tolist())
            | set(self.layers["layer"].tolist())
            | set(self.era_layer["layer"].tolist())
        )
        return ids + sorted(x for x in extra if x and x not in ids)

    def era_order(self, eras) -> list[str]:
        """Eras in time order (median era_year of their relations), gold rush first when years are missing."""
        years: dict[str, list[float]] = self._cached("era_years", self._era_years)

        def key(e: str):
            ys = sorted(years.get(e, []))
            return (ys[len(ys) // 2] if ys else (1848.0 if era_side(e) == GOLD else 3000.0), e)

        return sorted(set(eras), key=key)

    def _era_years(self) -> dict[str, list[float]]:
        years: dict[str, list[float]] = defaultdict(list)
        for (era, year), n in _value_counts(self.relations, ["era", "era_year"]):
            y = to_float(year)
            if y is not None:
                years[era].extend([y] * n)
        return years

    def entity_names(self) -> dict[str, str]:
        """entity_id -> display name (entities.csv, else the first mention's text). Computed once; do not modify."""
        return self._cached("entity_names", self._entity_names)

    def _entity_names(self) -> dict[str, str]:
        names = dict(zip(self.entities["entity_id"].tolist(), self.entities["name"].tolist()))
        m = self.mentions
        if len(m):  # entities without a name take the text of their first mention (only those rows are read)
            eids = m["entity_id"]
            sel = (eids != "") & (~isin(eids, list(names)) | isin(eids, [e for e, n in names.items() if not n]))
            for eid, txt in zip(eids[sel].tolist(), m["text"][sel].tolist()):
                if eid and not names.get(eid):
                    names[eid] = txt
        return names

    def pairs(self) -> Pairs:
        """:func:`cooccurrence_pairs` of the mentions, computed once."""
        return self._cached("pairs", lambda: cooccurrence_pairs(self.mentions))

    def entity_side(self) -> dict[str, str]:
        """gold_rush or ai for each entity: majority era of its relations, else its layer's era."""
        votes: dict[str, Counter] = defaultdict(Counter)
        for (eid, era, year), n in _value_counts(self.relations, ["entity_id", "era", "era_year"]):
            votes[eid][era_side(era, year)] += n
        out = {}
        for eid, layer in zip(self.entities["entity_id"].tolist(), self.entities["layer"].tolist()):
            if votes.get(eid):
                out[eid] = votes[eid].most_common(1)[0][0]
            else:
                era = self.layer(layer).era if layer else AI
                out[eid] = GOLD if era == GOLD else AI
        return out


def nothing_to_show(d: ReportData) -> str | None:
    """Why the report is empty (no review at all), else None: the same line the workflow logs."""
    if len(d.reviews):
        return None
    from ..corpus import no_reviews_message

    folder = (d.provenance.get("config") or {}).get("reviews_dir") or "resources/reviews"
    return no_reviews_message(folder, len(d.rejected))


def era_side(era: str, year: str | float | int | None = None) -> str:
    """Which column of the diagram an era belongs to: the gold rush or the AI era."""
    e = str(era or "").lower()
    if "gold" in e or "1848" in e or "골드" in e:
        return GOLD
    try:
        if year not in (None, "") and float(year) < 1950:
            return GOLD
    except (TypeError, ValueError):
        pass
    return AI


def isin(s: pd.Series, values) -> np.ndarray:
    """``s.isin(values)`` as a boolean array, fast for many values (pandas converts each value of a set to a
    pyarrow scalar when ``s`` holds pyarrow strings): both are factorised together and the codes compared."""
    values = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=s.dtype)
    if not len(values):
        return np.zeros(len(s), dtype=bool)
    codes, _ = pd.factorize(pd.concat([s, values], ignore_index=True))
    return np.isin(codes[: len(s)], codes[len(s) :])


def _value_counts(df: pd.DataFrame, cols: list[str]) -> list[tuple[tuple, int]]:
    """The distinct combinations of ``cols`` (two or more) with their row counts, in order of first appearance."""
    if not len(df):
        return []
    g = df.groupby(cols, sort=False, dropna=False).size()
    return list(zip(g.index.tolist(), g.tolist()))


def rows(df: pd.DataFrame, cols: list[str] | None = None, chunk: int = 20000) -> Iterator[tuple]:
    """The rows of ``df`` as named tuples of plain Python values (like ``itertuples(index=False)``).

    Much faster than ``itertuples`` on pyarrow-backed string columns, and read ``chunk`` rows at a time
    so a large table is never held as Python objects all at once.
    """
    cols = df.columns.tolist() if cols is None else list(cols)
    if not cols:
        return
    row = namedtuple("Row", cols, rename=True)
    make = row._make
    for start in range(0, len(df), chunk):
        part = df.iloc[start : start + chunk]
        yield from map(make, zip(*(part[c].tolist() for c in cols)))


def _empty(name: str) -> pd.DataFrame:
    """An empty table with the columns of ``name``."""
    return pd.DataFrame({c: pd.Series(dtype=str) for c in COLUMNS[name]})


def _read_table(name: str, path: str | None) -> tuple[pd.DataFrame, bool]:
    cols = COLUMNS[name]
    if not path or not Path(path).exists():
        return _empty(name), False
    try:
        try:  # the pyarrow parser is several times faster on the large tables (mentions, relations)
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", engine="pyarrow")
        except Exception:  # e.g. rows with missing fields, which the C parser fills in: read as before
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        df = pd.DataFrame()
    for c in cols:
        if c not in df.columns:
            df[c] = ""
    return df.fillna(""), True


def to_int(v, default: int | None = None) -> int | None:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return default


def to_float(v, default: float | None = None) -> float | None:
    try:
        f = float(v)
        return f if f == f else default
    except (TypeError, ValueError):
        return default


def load_taxonomy(path: str | None) -> list[Layer]:
    if not path or not Path(path).exists():
        return []
    doc = read_yaml(path) or {}
    layers = doc.get("layers", doc if isinstance(doc, list) else [])
    out = []
    for i, lay in enumerate(layers):
        if not isinstance(lay, dict) or not lay.get("id"):
            continue
        out.append(
            Layer(
                id=str(lay["id"]),
                ko=str(lay.get("ko", "")),
                en=str(lay.get("en", "")),
                era=str(lay.get("era", AI)),
                definition=str(lay.get("definition", "")),
                order=int(lay.get("order", i)),
            )
        )
    return sorted(out, key=lambda lay: lay.order)


_REVIEW_ID = re.compile(rb'"review_id"\s*:\s*"([^"\\]*)"')


def load_texts(paths: list[str], ids: Iterable[str] | None = None) -> dict[str, ReviewDoc]:
    """review_id -> decoded text and spans from the ``reviews.jsonl`` files (a later file wins).

    With ``ids``, only those reviews are parsed: the other lines are skipped after a look at their
    ``"review_id"`` field (a line whose id cannot be read that way is parsed in full).
    """
    want = None if ids is None else set(map(str, ids))
    out: dict[str, ReviewDoc] = {}
    for p in sorted(paths or []):
        if not Path(p).exists():
            continue
        with open(p, "rb") as fh:
            for line in fh:
                if not line.strip():
                    continue
                if want is not None:
                    i = line.find(b'"review_id"')
                    if i >= 0 and line.find(b'"review_id"', i + 11) < 0:  # exactly one key: its value is the id
                        m = _REVIEW_ID.match(line, i)
                        if m and m.group(1).decode("utf-8", "replace") not in want:
                            continue
                d = json.loads(line)
                rid = str(d["review_id"])
                if want is not None and rid not in want:
                    continue
                out[rid] = ReviewDoc(rid, str(d.get("text", "")), list(d.get("spans", [])))
    return out


def compute_era_layer(relations: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    """era x layer counts from relations joined with the entities' layers."""
    if not len(relations):
        return pd.DataFrame(columns=COLUMNS["era_layer"])
    layer_of = dict(zip(entities["entity_id"], entities["layer"]))
    df = relations.assign(layer=relations["entity_id"].map(layer_of).fillna(""))
    df = df[df["era"] != ""]
    g = df.groupby(["era", "layer"]).agg(n_entities=("entity_id", "nunique"), n_relations=("entity_id", "size"))
    return g.reset_index().astype({"n_entities": int, "n_relations": int})


@dataclass
class Pairs:
    """Entities mentioned in the same sentence, as arrays: ``ids[a[i]] < ids[b[i]]`` share ``n[i]`` sentences.

    ``ids`` is sorted, so comparing codes compares ids; pairs are in first-seen order (sentence by sentence
    in (review_id, sent_id) order, each sentence's entities sorted), the order of :func:`cooccurrence`.
    """

    ids: list[str]
    a: np.ndarray
    b: np.ndarray
    n: np.ndarray

    def __len__(self) -> int:
        return len(self.n)

    def counter(self) -> Counter:
        ids = self.ids
        return Counter({(ids[a], ids[b]): n for a, b, n in zip(self.a.tolist(), self.b.tolist(), self.n.tolist())})

    def top(self, k: int) -> list[tuple[tuple[str, str], int]]:
        """The ``k`` strongest pairs: ``sorted(counter().items(), key=lambda kv: (-kv[1], kv[0]))[:k]``."""
        order = np.lexsort((self.b, self.a, -self.n))[:k]
        return [
            ((self.ids[a], self.ids[b]), n)
            for a, b, n in zip(self.a[order].tolist(), self.b[order].tolist(), self.n[order].tolist())
        ]

    def degree(self) -> dict[str, int]:
        """entity -> total weight of its pairs, for the entities in some pair."""
        w = np.bincount(
            np.concatenate([self.a, self.b]), weights=np.concatenate([self.n, self.n]), minlength=len(self.ids)
        ).astype(np.int64)
        seen = np.zeros(len(self.ids), dtype=bool)
        seen[self.a] = seen[self.b] = True
        return {self.ids[i]: int(w[i]) for i in np.flatnonzero(seen).tolist()} if len(self) else {}

    def among(self, chosen: list[str]) -> list[tuple[int, int, int]]:
        """The pairs with both entities in ``chosen``, as (index in chosen, index in chosen, n), sorted by ids."""
        pos = {e: i for i, e in enumerate(self.ids)}
        local = np.full(len(self.ids), -1, dtype=np.int64)
        for i, e in enumerate(chosen):
            if e in pos:
                local[pos[e]] = i
        keep = np.flatnonzero((local[self.a] >= 0) & (local[self.b] >= 0))
        keep = keep[np.lexsort((self.b[keep], self.a[keep]))]
        return list(zip(local[self.a[keep]].tolist(), local[self.b[keep]].tolist(), self.n[keep].tolist()))


def cooccurrence(mentions: pd.DataFrame) -> Counter:
    """(entity_a, entity_b) -> number of sentences mentioning both (a < b)."""
    return cooccurrence_pairs(mentions).counter()


def cooccurrence_pairs(mentions: pd.DataFrame) -> Pairs:
    """:func:`cooccurrence` as :class:`Pairs`. Vectorised: one numpy pass per distance between two entities
    of a sentence (in sorted order), instead of a pandas group per sentence."""
    empty = np.zeros(0, dtype=np.int64)
    m = mentions.loc[mentions["entity_id"] != "", ["review_id", "sent_id", "entity_id"]]
    if not len(m):
        return Pairs([], empty, empty, empty)
    sent = m.groupby(["review_id", "sent_id"], sort=True).ngroup().to_numpy(np.int64)
    codes, uniq = pd.factorize(m["entity_id"], sort=False)
    ids = sorted(uniq.tolist())  # Python's string order, as sorted(set(...)) per sentence
    pos = {x: i for i, x in enumerate(ids)}
    rank = np.fromiter((pos[x] for x in uniq.tolist()), dtype=np.int64, count=len(uniq))
    ok = (sent >= 0) & (codes >= 0)
    n_e = len(ids)
    key = np.sort(sent[ok] * n_e + rank[codes[ok]])
    key = key[np.r_[True, key[1:] != key[:-1]]]  # distinct (sentence, entity), sorted (np.unique hashes: slower)
    grp, ent = key // n_e, key % n_e
    first, second = [], []
    d = 1
    while d < len(key):
        i = np.flatnonzero(grp[d:] == grp[:-d])  # grp is sorted: i and i + d are in the same sentence
        if not len(i):
            break
        first.append(i)
        second.append(i + d)
        d += 1
    if not first:
        return Pairs(ids, empty, empty, empty)
    i, j = np.concatenate(first), np.concatenate(second)
    order = np.lexsort((j, i))  # sentence by sentence, combinations() order
    code = (ent[i] * n_e + ent[j])[order]
    uc, at, cnt = np.unique(code, return_index=True, return_counts=True)
    seen = np.argsort(at, kind="stable")
    uc = uc[seen]
    return Pairs(ids, uc // n_e, uc % n_e, cnt[seen].astype(np.int64))


def below_confidence(df: pd.DataFrame, threshold: float) -> tuple[pd.DataFrame, int]:
    """The rows at or above ``threshold`` (a row without a confidence is kept) and how many were left out."""
    if not threshold or "confidence" not in df.columns or not len(df):
        return df, 0
    conf = pd.to_numeric(df["confidence"], errors="coerce")
    keep = conf.isna() | (conf >= threshold)
    return df[keep].reset_index(drop=True), int((~keep).sum())


def load(
    *,
    reviews: str,
    rejected: str | None = None,
    mentions: str | None = None,
    entities: str | None = None,
    relations: str | None = None,
    layers: str | None = None,
    analogies: str | None = None,
    era_layer: str | None = None,
    links: str | None = None,
    edges: str | None = None,
    provenance: str | None = None,
    taxonomy: str | None = None,
    review_texts: list[str] | None = None,
    scores: str | None = None,
    max_texts: int | None = None,
    min_confidence: float = 0.0,
) -> ReportData:
    """Read the tables; with ``max_texts``, only the texts of the first ``max_texts`` reviews are loaded;
    relation and link rows below ``min_confidence`` are left out of the page (the tables keep them)."""
    paths = dict(
        reviews=reviews,
        rejected=rejected,
        mentions=mentions,
        entities=entities,
        relations=relations,
        layers=layers,
        analogies=analogies,
        era_layer=era_layer,
        links=links,
        edges=edges,
    )
    frames, present = {}, {}
    for name, path in paths.items():
        frames[name], present[name] = _read_table(name, path)
    warnings = []
    hidden = {}
    for name in ("relations", "links"):
        frames[name], hidden[name] = below_confidence(frames[name], min_confidence)
    if any(hidden.values()):
        warnings.append(
            f"{hidden['relations']} relation rows and {hidden['links']} link rows with a confidence below "
            f"{min_confidence:g} are not shown here (config report.min_confidence); the CSV tables keep them."
        )
    if not present["era_layer"]:
        frames["era_layer"] = compute_era_layer(frames["relations"], frames["entities"])
    prov = {}
    if provenance and Path(provenance).exists():
        prov = json.loads(Path(provenance).read_text(encoding="utf-8"))
    sc = None
    if scores and Path(scores).exists():
        try:
            sc = json.loads(Path(scores).read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            warnings.append(f"evaluation scores file is not valid JSON: {e}")
    text_ids = None if max_texts is None else frames["reviews"]["review_id"].iloc[:max_texts].tolist()
    texts = load_texts(review_texts or [], ids=text_ids)
    used = [p for p in [*paths.values(), provenance, taxonomy, scores, *(review_texts or [])] if p and Path(p).exists()]
    hashes = {str(p): sha256_file(p) for p in sorted(set(map(str, used)))}
    # entities only mentioned (no entities.csv yet) still get a row, so tables and the network work
    ents = frames["entities"]
    known = ents["entity_id"].tolist()
    extra = frames["mentions"][(frames["mentions"]["entity_id"] != "") & ~isin(frames["mentions"]["entity_id"], known)]
    if len(extra):
        add = (
            extra.groupby("entity_id")
            .agg(
                name=("text", "first"),
                label=("label", "first"),
                n_mentions=("text", "size"),
                n_reviews=("review_id", "nunique"),
            )
            .reset_index()
            .astype(str)
        )
        frames["entities"] = pd.concat([ents, add], ignore_index=True).fillna("")
    # n_mentions / n_reviews from the mentions when entities.csv lacks them
    e = frames["entities"]
    if ((e["n_mentions"] == "") | (e["n_reviews"] == "")).any():
        cnt = (
            frames["mentions"][frames["mentions"]["entity_id"] != ""]
            .groupby("entity_id")
            .agg(m=("text", "size"), r=("review_id", "nunique"))
        )
        cm, cr = cnt["m"].to_dict(), cnt["r"].to_dict()
        ids = e["entity_id"].tolist()
        e["n_mentions"] = [v if v != "" else str(cm.get(i, 0)) for i, v in zip(ids, e["n_mentions"].tolist())]
        e["n_reviews"] = [v if v != "" else str(cr.get(i, 0)) for i, v in zip(ids, e["n_reviews"].tolist())]
    return ReportData(
        reviews=frames["reviews"],
        rejected=frames["rejected"],
        mentions=frames["mentions"],
        entities=frames["entities"],
        relations=frames["relations"],
        layers=frames["layers"],
        analogies=frames["analogies"],
        era_layer=frames["era_layer"],
        taxonomy=load_taxonomy(taxonomy),
        texts=texts,
        provenance=prov,
        scores=sc,
        present=present,
        input_hashes=hashes,
        warnings=warnings,
        links=frames["links"],
        edges=frames["edges"] if present["edges"] else derived_edges(frames),
    )


def derived_edges(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The value-chain edges computed from links.csv when value_chain_edges.csv was not given (as strings)."""
    if not len(frames["links"]):
        return _empty("edges")
    rv = frames["reviews"]
    dups = set(rv.loc[rv["duplicate_of"] != "", "review_id"]) if len(rv) else set()
    e = edges_table(frames["links"], frames["entities"], dups)
    return e.astype(str).replace({"<NA>": ""}) if len(e) else _empty("edges")
