"""The scikit-learn type classifier for candidate name spans.

Labels: ORG, PERSON, LOC or NONE. Trained by ``python -m valuechain.ner.train`` (see there for the
data and its licence); the fitted pipeline is a DictVectorizer + logistic regression.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from scipy import sparse

from .candidates import Candidate, Eojeol, candidates_of, eojeols_of, features

PROTOTYPES = {"org": ("회사", "NNG"), "person": ("사람", "NNG"), "place": ("도시", "NNG"),
              "country": ("나라", "NNG"), "product": ("제품", "NNG"), "work": ("책", "NNG")}


class CongSims:
    """CoNg morpheme similarities of a candidate's head word to a few type prototypes (cached)."""

    def __init__(self, kiwi):
        self.kiwi = kiwi

    @functools.lru_cache(maxsize=200_000)
    def __call__(self, form: str, tag: str) -> dict[str, float]:
        if tag not in ("NNG", "NNP"):
            return {}
        out = {}
        for name, proto in PROTOTYPES.items():
            try:
                out[name] = round(float(self.kiwi.morpheme_similarity((form, tag), proto)), 3)
            except (ValueError, RuntimeError):
                return {}
        return out


@dataclass
class Scored:
    cand: Candidate
    label: str
    prob: float


class TypeModel:
    def __init__(self, pipeline, meta: dict):
        self.pipeline = pipeline
        self.meta = meta
        self.classes = list(pipeline.classes_)

    @classmethod
    def load(cls, path: str | Path) -> "TypeModel":
        path = Path(path)
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8")) if path.with_suffix(".json").exists() else {}
        return cls(joblib.load(path), meta)

    def predict_proba(self, feats: list[dict]):
        """DictVectorizer.transform without its per-value type checks (features are str -> number)."""
        vocab = self.pipeline[0].vocabulary_
        indptr, indices, data = [0], [], []
        for f in feats:
            for k, v in f.items():
                j = vocab.get(k)
                if j is not None and v:
                    indices.append(j)
                    data.append(float(v))
            indptr.append(len(indices))
        X = sparse.csr_matrix((np.array(data), np.array(indices, dtype=np.int64), np.array(indptr)),
                              shape=(len(feats), len(vocab)))
        X.sort_indices()
        return self.pipeline[-1].predict_proba(X)

    def score(self, cands: list[Candidate], eojs: list[Eojeol], text: str, sims: CongSims | None,
              gaz_labels: dict | None = None) -> list[Scored]:
        if not cands:
            return []
        feats = [features(c, eojs, text, sims(c.toks[-1].text, c.toks[-1].tag) if sims else None,
                          (gaz_labels or {}).get((c.start, c.end))) for c in cands]
        probs = self.predict_proba(feats)
        none = self.classes.index("NONE")
        out = []
        for c, p in zip(cands, probs):
            q = p.copy()
            q[none] = -1.0
            k = int(q.argmax())  # best real type; prob = 1 - P(NONE), the chance it is a name at all
            out.append(Scored(c, self.classes[k], float(1.0 - p[none])))
        return out


    def score_many(self, batches: list[tuple[list[Candidate], list[Eojeol]]], text: str,
                   sims: CongSims | None) -> list[list[Scored]]:
        """Score the candidates of many sentences with one predict_proba call."""
        feats, owners = [], []
        for b, (cands, eojs) in enumerate(batches):
            for c in cands:
                feats.append(features(c, eojs, text, sims(c.toks[-1].text, c.toks[-1].tag) if sims else None))
                owners.append((b, c))
        out: list[list[Scored]] = [[] for _ in batches]
        if not feats:
            return out
        probs = self.predict_proba(feats)
        none = self.classes.index("NONE")
        for (b, c), p in zip(owners, probs):
            q = p.copy()
            q[none] = -1.0
            out[b].append(Scored(c, self.classes[int(q.argmax())], float(1.0 - p[none])))
        return out


def decode(scored: list[Scored], min_prob: float = 0.5) -> list[Scored]:
    """Greedy non-overlapping selection of the most probable non-NONE candidates."""
    picked: list[Scored] = []
    taken: list[tuple[int, int]] = []
    for s in sorted((s for s in scored if s.label != "NONE" and s.prob >= min_prob),
                    key=lambda s: (-s.prob, s.cand.start, -(s.cand.end - s.cand.start))):
        if any(s.cand.start < e and b < s.cand.end for b, e in taken):
            continue
        picked.append(s)
        taken.append((s.cand.start, s.cand.end))
    return sorted(picked, key=lambda s: s.cand.start)


def sentence_candidates(span_tokens) -> tuple[list[Eojeol], list[Candidate]]:
    eojs = eojeols_of(span_tokens)
    return eojs, candidates_of(eojs)
