"""What the layers stage needs from Kiwi, computed by the shard jobs (which hold Kiwi anyway).

The layers stage scores role phrases against the taxonomy; from Kiwi it needs only

* the nouns of each role phrase (morphemes tagged NNG/NNP of two or more characters, or SL), and
* the CoNg score vector of a role: per layer, the largest morpheme similarity between a noun of the
  role and a noun of the layer's cue and seed words;

and, for the actors' documents, the nouns of the evidence sentences (from the tokens). Each shard job
writes these for its own relations (``layer_features.parquet``: one row per distinct role text;
``sentence_nouns.parquet``: one row per sentence with a relation), so the layers job reads a few small
tables and never loads Kiwi. The same functions compute them here and, for anything missing, in the
layers stage (:class:`valuechain.layers.LayerScorer`), so a value read from a shard's table is the value
the layers stage would compute itself (tests/test_layer_features.py).

The layer words come from ``config/taxonomy.yaml`` and ``config/layers.yaml`` (:func:`layer_words`);
they are a parameter of the shard rule, and each features table records the words it was made with:
the layers stage uses a table only when they are the words of its own configuration.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

NOUN_TAGS = ("NNG", "NNP", "SL")
FEATURE_COLUMNS = ["text", "forms", "tags", "sims"]
SENTENCE_COLUMNS = ["review_id", "sent_id", "nouns"]
WORDS_KEY = b"valuechain.layer_words"


def keep_nouns(tokens) -> tuple[tuple[str, str], ...]:
    """(form, tag) of the nouns among Kiwi tokens: NNG/NNP of two or more characters, and SL."""
    return tuple((t.form, t.tag) for t in tokens if t.tag in NOUN_TAGS and len(t.form) > 1 or t.tag == "SL")


class Nouns:
    """Kiwi nouns of short phrases, and CoNg similarities between nouns (cached).

    ``kiwi`` is a Kiwi or a function returning one: then the model is loaded (~3 s with the build of
    its dictionaries) only when a phrase that is not in the cache has to be analysed.
    """

    def __init__(self, kiwi):
        self._kiwi = kiwi
        self._nouns: dict[str, tuple[tuple[str, str], ...]] = {}

    @property
    def kiwi(self):
        if not hasattr(self._kiwi, "tokenize"):
            self._kiwi = self._kiwi()
        return self._kiwi

    @property
    def loaded(self) -> bool:
        """Has a Kiwi been given or loaded?"""
        return hasattr(self._kiwi, "tokenize")

    _keep = staticmethod(keep_nouns)

    def prefetch(self, texts) -> None:
        """Analyse many phrases in one batched Kiwi call (one call per phrase costs ~4 ms)."""
        todo = sorted({t for t in texts if t and t not in self._nouns})
        if todo:
            for text, toks in zip(todo, self.kiwi.tokenize(todo)):
                self._nouns[text] = self._keep(toks)

    def known(self, text: str) -> bool:
        return text in self._nouns

    def set(self, text: str, nouns: tuple[tuple[str, str], ...]) -> None:
        self._nouns[text] = nouns

    def of(self, text: str) -> tuple[tuple[str, str], ...]:
        if text not in self._nouns:
            self._nouns[text] = self._keep(self.kiwi.tokenize(text))
        return self._nouns[text]

    def sim(self, a: tuple[str, str], b: tuple[str, str]) -> float:
        """Not cached: LayerVectors.noun_vector, its only caller, is (each pair is asked once)."""
        if a[0] == b[0]:
            return 1.0
        if a[1] == "SL" or b[1] == "SL":
            return 0.0
        try:
            return float(self.kiwi.morpheme_similarity(a, b))
        except (ValueError, RuntimeError):
            return 0.0


def layer_words(cfg) -> list[list]:
    """[[layer id, [cue and seed words]], ...] of a LayerConfig, in taxonomy order (JSON-able)."""
    return [[lay.id, list(lay.words)] for lay in cfg.layers]


def words_json(words) -> str:
    return json.dumps([[str(i), [str(w) for w in ws]] for i, ws in words], ensure_ascii=False)


class LayerVectors:
    """CoNg similarity vectors of nouns against the nouns of each layer's words (cached per noun)."""

    def __init__(self, words, nouns: Nouns):
        self.words = [(str(i), list(ws)) for i, ws in words]
        self.nouns = nouns
        self._layer_nouns: dict[str, tuple] | None = None
        self._vectors: dict[tuple[str, str], np.ndarray] = {}

    def _all_words(self) -> list[str]:
        return [w for _, ws in self.words for w in ws]

    @property
    def layer_nouns(self) -> dict[str, tuple]:
        if self._layer_nouns is None:
            self.nouns.prefetch(self._all_words())
            self._layer_nouns = {
                lid: tuple(dict.fromkeys(n for w in ws for n in self.nouns.of(w))) for lid, ws in self.words
            }
        return self._layer_nouns

    def noun_vector(self, noun: tuple[str, str]) -> np.ndarray:
        """Max CoNg similarity of one noun to the words of each layer (cached: nouns repeat a lot)."""
        v = self._vectors.get(noun)
        if v is None:
            ln = self.layer_nouns
            v = self._vectors[noun] = np.array(
                [max((self.nouns.sim(noun, m) for m in ln[lid]), default=0.0) for lid, _ in self.words]
            )
        return v

    def role_sims(self, role_nouns) -> np.ndarray:
        """The CoNg part of a role's score: per layer the largest similarity of any of its nouns."""
        if not role_nouns:
            return np.zeros(len(self.words))
        return np.max([self.noun_vector(n) for n in role_nouns], axis=0)


# ------------------------------------------------------------------ shard side


def role_texts(relations: pd.DataFrame) -> list[str]:
    """The distinct role texts the layers stage scores: role_norm where the vocabulary gave one, else the
    role as written (valuechain.stages.layers.canonical_roles), sorted."""
    if not len(relations):
        return []
    role = relations["role"].astype(str)
    if "role_norm" in relations.columns:
        norm = relations["role_norm"].astype(str)
        role = norm.where(norm != "", role)
    return sorted(set(role.tolist()))


def features_frame(texts: list[str], vectors: LayerVectors, known: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per text: its nouns (forms, tags) and its CoNg vector (``sims``; empty without nouns).

    Rows of ``known`` (an earlier table made with the same words) are reused; the other texts are
    analysed in one batched Kiwi call.
    """
    old = {}
    if known is not None and len(known):
        old = {t: i for i, t in enumerate(known["text"].tolist())}
    todo = [t for t in texts if t not in old]
    if todo:
        vectors.nouns.prefetch(todo)
    rows = []
    for t in texts:
        i = old.get(t)
        if i is not None:
            rows.append(known.iloc[i][FEATURE_COLUMNS].tolist())
            continue
        nouns = vectors.nouns.of(t)
        sims = vectors.role_sims(nouns).tolist() if nouns else []
        rows.append([t, [f for f, _ in nouns], [g for _, g in nouns], sims])
    return pd.DataFrame(rows, columns=FEATURE_COLUMNS)


def write_features(df: pd.DataFrame, words, path: str | Path) -> None:
    """The features table as Parquet, the layer words it was made with in the file's metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("text", pa.string()),
            ("forms", pa.list_(pa.string())),
            ("tags", pa.list_(pa.string())),
            ("sims", pa.list_(pa.float64())),
        ],
        metadata={WORDS_KEY: words_json(words).encode("utf-8")},
    )
    table = pa.Table.from_pydict({c: [list(x) if c != "text" else x for x in df[c]] for c in FEATURE_COLUMNS}, schema)
    pq.write_table(table, path)


def read_features(path: str | Path) -> tuple[pd.DataFrame, str | None]:
    """(table, the layer words' JSON it was made with)."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    meta = table.schema.metadata or {}
    words = meta.get(WORDS_KEY)
    return table.to_pandas(), (words.decode("utf-8") if words is not None else None)


def sentence_noun_rows(review_id: str, tokens: list[dict], sent_ids) -> list[dict]:
    """Nouns of the sentences ``sent_ids`` of one review, joined by spaces, from its token rows (in
    table order); sentences without a noun get no row (valuechain.layers.sentence_noun_texts)."""
    wanted = set(sent_ids)
    out: dict[int, list[str]] = {}
    for t in tokens:
        sid, tag, form = t["sent_id"], t["tag"], t["form"]
        if sid in wanted and tag in NOUN_TAGS and (tag == "SL" or len(form) > 1):
            out.setdefault(sid, []).append(form)
    return [{"review_id": review_id, "sent_id": s, "nouns": " ".join(out[s])} for s in sorted(out)]


SENTENCE_ORDER = ["review_id", "sent_id"]


def sentence_nouns_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    df["sent_id"] = df["sent_id"].astype("int64")
    return df.sort_values(SENTENCE_ORDER, kind="stable").reset_index(drop=True)
