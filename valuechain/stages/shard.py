"""Stage: one shard end to end in one process: ingest -> tokens -> mentions -> relations and links, and
what the layers stage needs from Kiwi for them (valuechain.layer_features).

One process per shard because the fixed costs dominate small inputs: importing spaCy, loading Kiwi
and its lazy set-up, the gazetteer matcher and the type model cost ~5 s, one review ~40 ms. Reviews
whose file is unchanged since the last run come from the shard's cache (``valuechain.shard_cache``);
the models are loaded only when some review needs them. New reviews are processed in batches so
that memory holds one batch of spaCy Docs, not the whole shard.
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import faults
from ..shard_cache import ShardCache
from .tokens import ingest_files, tokens_frame, write_ingest

log = logging.getLogger(__name__)

TABLES = ("tokens", "mentions", "relations", "links", "sentence_nouns")  # per review, cached per review
FEATURES = "layer_features"  # per distinct role text of the shard (valuechain.layer_features)


@dataclass(frozen=True)
class ShardSettings:
    """What the analysis of a review depends on besides its own text (all part of the cache key)."""

    userdict: str
    gazetteer: str
    model: str
    stoplist: str
    roles: str
    eras: str
    taxonomy: str
    model_type: str = "cong"
    min_prob: float = 0.35
    common_nouns: bool = False
    ner_rules: tuple[str, ...] | None = None  # unknown-name rules in order (None: valuechain.ner.rules default)
    batch_size: int = 64
    threads: int = 1  # Kiwi workers (results do not depend on it)
    constructions: tuple[str, ...] | None = None  # relation constructions in order (None: the default list)
    links: str = ""  # link lexicons (config/links.yaml)
    confidence: str = ""  # calibrated confidence per construction (config/confidence.yaml)
    # [[layer id, [cue and seed words]], ...]: the role features for the layers stage are scored
    # against these (valuechain.layer_features.layer_words); not part of the per-review cache key
    layer_words: tuple = ()

    def resource_files(self) -> list[str]:
        files = [self.userdict, self.gazetteer, self.model, self.stoplist, self.roles, self.eras, self.taxonomy]
        return files + [f for f in (self.links, self.confidence) if f]


class Analyzer:
    """Tokeniser, recogniser and relation extractor, loaded once per process on first use."""

    def __init__(self, s: ShardSettings):
        from ..relations import EraConfig, Lexicon, RelationExtractor, load_confidence
        from ..spacy_kiwi import make_nlp
        from .mentions import load_recognizer
        from .relations import key_families, product_makers

        # one Kiwi per process: the tokenizer and the recogniser's similarities share it
        self.nlp = make_nlp(s.model_type, s.userdict, s.threads)
        self.recognizer = load_recognizer(
            s.gazetteer,
            s.model,
            s.stoplist,
            s.userdict,
            s.model_type,
            s.threads,
            s.min_prob,
            s.common_nouns,
            s.ner_rules,
        )
        self.extractor = RelationExtractor(
            Lexicon.load(s.roles, s.taxonomy, s.links or None),
            EraConfig.load(s.eras),
            key_families(s.gazetteer, s.taxonomy),
            list(s.constructions) if s.constructions is not None else None,
            product_makers(s.gazetteer),
            load_confidence(s.confidence or None),
        )
        _freeze_loaded()

    def __call__(self, reviews: list) -> tuple[pd.DataFrame, ...]:
        """Token, mention, relation, link and sentence-noun tables of ``reviews`` (each review on its own)."""
        from ..layer_features import sentence_noun_rows, sentence_nouns_frame
        from .mentions import mention_rows, mentions_frame
        from .relations import links_frame, relations_frame
        from .tokens import token_rows

        docs = self.nlp.tokenizer.docs(
            [(rv.text, rv.spans) for rv in reviews], user_data=[{"review_id": rv.review_id} for rv in reviews]
        )
        tok_rows, men_rows, rel_rows, link_rows, noun_rows = [], [], [], [], []
        for rv, doc in zip(reviews, docs):
            toks = token_rows(rv.review_id, doc)
            tok_rows.extend(toks)
            hints = {
                "works": [rv.book_title] if rv.book_title else [],
                "persons": [rv.book_author] if rv.book_author else [],
            }
            found = mention_rows(rv.review_id, self.recognizer(doc, hints))
            men_rows.extend(found)
            # in table order (stable sort on start, end), as the extractor read them from mentions.parquet
            ordered = sorted(found, key=lambda r: (r["start"], r["end"]))
            rels, links = self.extractor.extract_all(doc, ordered, rv.date)
            rel_rows += [{"review_id": rv.review_id, **r} for r in rels]
            link_rows += [{"review_id": rv.review_id, **x} for x in links]
            # the nouns of the sentences the layers stage reads for its actors' documents
            noun_rows += sentence_noun_rows(rv.review_id, toks, {r["sent_id"] for r in rels})
        return (
            tokens_frame(tok_rows),
            mentions_frame(men_rows),
            relations_frame(rel_rows),
            links_frame(link_rows),
            sentence_nouns_frame(noun_rows),
        )


def _freeze_loaded() -> None:
    """Move the loaded models (the gazetteer matcher, lexicons, spaCy vocab: ~250k objects) out of the
    cyclic collector's reach: they live as long as the process, yet every full collection walked them
    again (~20 CPU-ms per review of 4k characters). Garbage of the loading is collected first."""
    gc.collect()
    gc.freeze()


def _concat(frames: list[pd.DataFrame | None], empty: pd.DataFrame, sort: list[str]) -> pd.DataFrame:
    frames = [f[list(empty.columns)] for f in frames if f is not None and len(f)]
    if not frames:
        return empty
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return df.sort_values(sort, kind="stable").reset_index(drop=True)


def run_shard(
    files: list[str],
    others: list[str],
    max_bytes: int,
    settings: ShardSettings,
    cache: ShardCache | None,
    out: dict[str, str],
    analyzer: Analyzer | None = None,
    related: list[ShardCache] | None = None,
) -> dict[str, int]:
    """Write reviews/rejected/tokens/mentions/relations/links/sentence_nouns (and, when ``out`` names it,
    layer_features) of one shard to ``out`` (name -> path).

    Reviews come from ``cache`` when it holds them, else from the ``related`` caches (read only: the
    buckets this one split from or merged with), else they are analysed. Returns counts (reviews,
    rejected, cached, computed) for the log.
    """
    t0 = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    reviews, rejected = ingest_files(list(files) + list(others), max_bytes)
    write_ingest(reviews, rejected, out["reviews"], out["rejected"])
    faults.point("shard:ingested")
    mark("ingest")
    shas = {rv.review_id: rv.sha256 for rv in reviews}
    caches = ([cache] if cache else []) + list(related or [])
    parts, hit = _from_caches(caches, shas)
    todo = sorted((rv for rv in reviews if rv.review_id not in hit), key=lambda r: r.review_id)
    mark("cache read")
    if todo:
        analyzer = analyzer or Analyzer(settings)
        mark("models")
        for i in range(0, len(todo), settings.batch_size):
            batch = todo[i : i + settings.batch_size]
            for name, frame in zip(TABLES, analyzer(batch)):
                parts[name].append(frame)
            log.info("analysed %d/%d new or changed reviews", min(i + len(batch), len(todo)), len(todo))
        mark("analysis")
    empty, order = _empty_frames(), _orders()
    done = {}
    for name in TABLES:
        done[name] = _concat(parts[name], empty[name], order[name])
        with faults.atomic_path(out[name]) as tmp:  # never half-written: the cache hard-links these files
            done[name].to_parquet(tmp, index=False)
    mark("write tables")
    if FEATURES in out:
        n_new = write_layer_features(done["relations"], settings, caches, out[FEATURES])
        log.info("layer features: %d role texts analysed with Kiwi", n_new)
        mark("layer features")
    faults.point("shard:outputs")
    if cache:
        saved = TABLES + ((FEATURES,) if FEATURES in out else ())
        cache.save({name: out[name] for name in saved}, shas)
        mark("cache save")
    counts = {"reviews": len(reviews), "rejected": len(rejected), "cached": len(hit), "computed": len(todo)}
    steps, prev = [], t0
    for name, t in marks:
        steps.append(f"{name} {t - prev:.2f}")
        prev = t
    log.info("shard done: %s in %.2f s (%s)", counts, prev - t0, ", ".join(steps))
    return counts


def _from_caches(caches: list[ShardCache], shas: dict[str, str]) -> tuple[dict[str, list], set[str]]:
    """Cached tables (name -> frames) of the reviews ``review_id -> sha256`` that some cache holds, and
    their ids: the shard's own cache first, then those of the buckets it split from or merged with."""
    parts: dict[str, list] = {name: [] for name in TABLES}
    hit: set[str] = set()
    for k, c in enumerate(caches):
        want = {rid: sha for rid, sha in shas.items() if rid not in hit}
        found = c.hits(want) if want else set()
        if not found:
            continue
        frames = {name: c.table(name, found) for name in TABLES}
        if any(v is None for v in frames.values()):
            continue
        for name in TABLES:
            parts[name].append(frames[name])
        hit |= found
        if k:
            log.info("%d reviews from the cache of %s", len(found), c.folder.parent.name)
    return parts, hit


def write_layer_features(relations: pd.DataFrame, settings: ShardSettings, caches: list, out: str) -> int:
    """The shard's layer features (valuechain.layer_features) for its relations' role texts: rows of
    the caches' tables made with the same layer words are reused, the other texts are analysed with
    this process's Kiwi (loaded if no review needed it). Returns the number of texts analysed."""
    from ..kiwi_backend import get_kiwi
    from ..layer_features import (
        FEATURE_COLUMNS,
        LayerVectors,
        Nouns,
        features_frame,
        read_features,
        role_texts,
        words_json,
        write_features,
    )

    words = [list(x) for x in settings.layer_words]
    want = words_json(words)
    texts = role_texts(relations)
    known = []
    for c in caches:
        path = c.path(FEATURES)
        if path is None:
            continue
        try:
            df, w = read_features(path)
        except Exception as e:  # noqa: BLE001 - a broken cache only costs time
            log.warning("cache %s: cannot read %s (%s); recomputing", c.folder, path.name, e)
            continue
        if w == want:
            known.append(df)
    known_df = pd.concat(known, ignore_index=True).drop_duplicates("text") if known else None
    n_known = len(set(texts) & set(known_df["text"])) if known_df is not None else 0
    vectors = LayerVectors(
        words, Nouns(lambda: get_kiwi(settings.model_type, settings.userdict or None, settings.threads))
    )
    df = features_frame(texts, vectors, known_df)
    with faults.atomic_path(out) as tmp:
        write_features(df[FEATURE_COLUMNS], words, tmp)
    return len(texts) - n_known


def _empty_frames() -> dict[str, pd.DataFrame]:
    """Typed empty tables (a shard of rejected files still writes readable Parquet)."""
    from ..layer_features import sentence_nouns_frame
    from .mentions import mentions_frame
    from .relations import links_frame, relations_frame

    return {
        "tokens": tokens_frame([]),
        "mentions": mentions_frame([]),
        "relations": relations_frame([]),
        "links": links_frame([]),
        "sentence_nouns": sentence_nouns_frame([]),
    }


def _orders() -> dict[str, list[str]]:
    """The row order of each table, as its frame builder sorts it."""
    from ..layer_features import SENTENCE_ORDER
    from .mentions import MENTION_ORDER
    from .relations import LINK_ORDER, RELATION_ORDER
    from .tokens import TOKEN_ORDER

    return {
        "tokens": TOKEN_ORDER,
        "mentions": MENTION_ORDER,
        "relations": RELATION_ORDER,
        "links": LINK_ORDER,
        "sentence_nouns": SENTENCE_ORDER,
    }


def cache_folder(out_reviews: str | Path) -> Path:
    """The cache of a shard sits beside its outputs: ``interim/<shard>/cache``."""
    return Path(out_reviews).parent / "cache"
