"""Load what the report shows, tolerating optional files and columns.

Every table is read as strings (``keep_default_na=False``) and missing columns are added empty, so
the report can be built at any stage of the pipeline: with only ``reviews.csv`` it shows the corpus,
and each later table (mentions, entities, relations, layers, analogies) adds its section.
"""
from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pandas as pd

from ..provenance import sha256_file

log = logging.getLogger(__name__)

COLUMNS = {
    "reviews": ["review_id", "title", "subtitle", "author", "book_title", "book_author", "n_chars", "n_sentences",
                "n_tokens", "sha256", "file", "layout", "encoding", "warnings", "duplicate_of", "url", "date", "notes"],
    "rejected": ["file", "review_id", "reason", "detail"],
    "mentions": ["review_id", "sent_id", "start", "end", "text", "label", "entity_id", "source", "confidence"],
    "entities": ["entity_id", "name", "label", "aliases", "layer", "layer_confidence", "cluster", "n_mentions",
                 "n_reviews", "gazetteer_id", "wikidata"],
    "relations": ["review_id", "entity_id", "role", "era", "era_year", "evidence", "sent_id", "evidence_start",
                  "evidence_end", "confidence", "method"],
    "layers": ["layer", "layer_name", "era", "cluster", "n_entities", "members", "top_terms"],
    "analogies": ["gold_rush", "ai_era", "similarity", "evidence"],
    "era_layer": ["era", "layer", "n_entities", "n_relations"],
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

    # ------------------------------------------------------------------ derived
    def layer(self, layer_id: str) -> Layer:
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
        ids = [lay.id for lay in self.taxonomy]
        extra = set(self.entities["layer"]) | set(self.layers["layer"]) | set(self.era_layer["layer"])
        return ids + sorted(x for x in extra if x and x not in ids)

    def era_order(self, eras) -> list[str]:
        """Eras in time order (median era_year of their relations), gold rush first when years are missing."""
        years: dict[str, list[float]] = defaultdict(list)
        for era, year in zip(self.relations["era"], self.relations["era_year"]):
            y = to_float(year)
            if y is not None:
                years[era].append(y)

        def key(e: str):
            ys = sorted(years.get(e, []))
            return (ys[len(ys) // 2] if ys else (1848.0 if era_side(e) == GOLD else 3000.0), e)
        return sorted(set(eras), key=key)

    def entity_names(self) -> dict[str, str]:
        names = dict(zip(self.entities["entity_id"], self.entities["name"]))
        for eid, txt in zip(self.mentions["entity_id"], self.mentions["text"]):
            if eid and not names.get(eid):
                names[eid] = txt
        return names

    def entity_side(self) -> dict[str, str]:
        """gold_rush or ai for each entity: majority era of its relations, else its layer's era."""
        votes: dict[str, Counter] = defaultdict(Counter)
        for eid, era, year in zip(self.relations["entity_id"], self.relations["era"], self.relations["era_year"]):
            votes[eid][era_side(era, year)] += 1
        out = {}
        for eid, layer in zip(self.entities["entity_id"], self.entities["layer"]):
            if votes.get(eid):
                out[eid] = votes[eid].most_common(1)[0][0]
            else:
                era = self.layer(layer).era if layer else AI
                out[eid] = GOLD if era == GOLD else AI
        return out


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


def _read_table(name: str, path: str | None) -> tuple[pd.DataFrame, bool]:
    cols = COLUMNS[name]
    if not path or not Path(path).exists():
        return pd.DataFrame({c: pd.Series(dtype=str) for c in cols}), False
    try:
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
    import yaml
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    layers = doc.get("layers", doc if isinstance(doc, list) else [])
    out = []
    for i, lay in enumerate(layers):
        if not isinstance(lay, dict) or not lay.get("id"):
            continue
        out.append(Layer(id=str(lay["id"]), ko=str(lay.get("ko", "")), en=str(lay.get("en", "")),
                         era=str(lay.get("era", AI)), definition=str(lay.get("definition", "")),
                         order=int(lay.get("order", i))))
    return sorted(out, key=lambda lay: lay.order)


def load_texts(paths: list[str]) -> dict[str, ReviewDoc]:
    out: dict[str, ReviewDoc] = {}
    for p in sorted(paths or []):
        if not Path(p).exists():
            continue
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    d = json.loads(line)
                    out[str(d["review_id"])] = ReviewDoc(str(d["review_id"]), str(d.get("text", "")),
                                                         list(d.get("spans", [])))
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


def cooccurrence(mentions: pd.DataFrame) -> Counter:
    """(entity_a, entity_b) -> number of sentences mentioning both (a < b)."""
    pairs: Counter = Counter()
    m = mentions[mentions["entity_id"] != ""]
    for _, grp in m.groupby(["review_id", "sent_id"], sort=True):
        ids = sorted(set(grp["entity_id"]))
        for a, b in combinations(ids, 2):
            pairs[(a, b)] += 1
    return pairs


def load(*, reviews: str, rejected: str | None = None, mentions: str | None = None, entities: str | None = None,
         relations: str | None = None, layers: str | None = None, analogies: str | None = None,
         era_layer: str | None = None, provenance: str | None = None, taxonomy: str | None = None,
         review_texts: list[str] | None = None, scores: str | None = None) -> ReportData:
    paths = dict(reviews=reviews, rejected=rejected, mentions=mentions, entities=entities, relations=relations,
                 layers=layers, analogies=analogies, era_layer=era_layer)
    frames, present = {}, {}
    for name, path in paths.items():
        frames[name], present[name] = _read_table(name, path)
    warnings = []
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
    texts = load_texts(review_texts or [])
    used = [p for p in [*paths.values(), provenance, taxonomy, scores, *(review_texts or [])] if p and Path(p).exists()]
    hashes = {str(p): sha256_file(p) for p in sorted(set(map(str, used)))}
    # entities only mentioned (no entities.csv yet) still get a row, so tables and the network work
    ents = frames["entities"]
    known = set(ents["entity_id"])
    extra = frames["mentions"][(frames["mentions"]["entity_id"] != "") & ~frames["mentions"]["entity_id"].isin(known)]
    if len(extra):
        add = (extra.groupby("entity_id").agg(name=("text", "first"), label=("label", "first"),
                                              n_mentions=("text", "size"), n_reviews=("review_id", "nunique"))
               .reset_index().astype(str))
        frames["entities"] = pd.concat([ents, add], ignore_index=True).fillna("")
    # n_mentions / n_reviews from the mentions when entities.csv lacks them
    cnt = frames["mentions"][frames["mentions"]["entity_id"] != ""].groupby("entity_id").agg(
        m=("text", "size"), r=("review_id", "nunique"))
    e = frames["entities"]
    e["n_mentions"] = [v if v != "" else str(cnt["m"].get(i, 0)) for i, v in zip(e["entity_id"], e["n_mentions"])]
    e["n_reviews"] = [v if v != "" else str(cnt["r"].get(i, 0)) for i, v in zip(e["entity_id"], e["n_reviews"])]
    return ReportData(reviews=frames["reviews"], rejected=frames["rejected"], mentions=frames["mentions"],
                      entities=frames["entities"], relations=frames["relations"], layers=frames["layers"],
                      analogies=frames["analogies"], era_layer=frames["era_layer"], taxonomy=load_taxonomy(taxonomy),
                      texts=texts, provenance=prov, scores=sc, present=present, input_hashes=hashes,
                      warnings=warnings)
