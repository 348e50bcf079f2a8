"""The scikit-learn type classifier for candidate name spans.

Labels: ORG, PERSON, LOC or NONE. Trained by ``python -m valuechain.ner.train`` (see there for the
data and its licence): a DictVectorizer + multinomial logistic regression, stored as plain arrays
(``.npz``: feature names, coefficients, intercepts, classes), so that using it needs neither
scikit-learn (0.7 s of imports per process) nor unpickling (0.5 s); a ``.joblib`` pipeline also loads.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from .candidates import Candidate, Eojeol, candidates_of, eojeols_of, features

PROTOTYPES = {
    "org": ("회사", "NNG"),
    "person": ("사람", "NNG"),
    "place": ("도시", "NNG"),
    "country": ("나라", "NNG"),
    "product": ("제품", "NNG"),
    "work": ("책", "NNG"),
}


class CongSims:
    """CoNg morpheme similarities of a candidate's head word to a few type prototypes (cached)."""

    def __init__(self, kiwi):
        self.kiwi = kiwi

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 (one instance per process, lives as long as it)
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

    @functools.lru_cache(maxsize=200_000)  # noqa: B019
    def known(self, form: str) -> bool:
        """Kiwi's vocabulary has ``form`` as a common noun (NNG): a word, not an unknown name."""
        try:
            self.kiwi.morpheme_similarity((form, "NNG"), PROTOTYPES["org"])
        except (ValueError, RuntimeError):
            return False
        return True


@dataclass
class Scored:
    cand: Candidate
    label: str
    prob: float


def export_npz(pipeline, path: str | Path) -> None:
    """Arrays of a fitted DictVectorizer + LogisticRegression pipeline (no pickle)."""
    vec, lr = pipeline[0], pipeline[-1]
    np.savez_compressed(
        path,
        features=np.array(vec.feature_names_, dtype=str),
        coef=lr.coef_,
        intercept=lr.intercept_,
        classes=np.array(lr.classes_, dtype=str),
    )


def _softmax(z: np.ndarray) -> np.ndarray:
    """As sklearn.utils.extmath.softmax (same operations, same floats)."""
    z = z - np.max(z, axis=1).reshape((-1, 1))
    np.exp(z, z)
    z /= np.sum(z, axis=1).reshape((-1, 1))
    return z


class TypeModel:
    def __init__(
        self, vocabulary: dict[str, int], coef: np.ndarray, intercept: np.ndarray, classes: list[str], meta: dict
    ):
        self.vocabulary = vocabulary
        self.coef_t = np.ascontiguousarray(coef.T)
        self.intercept = intercept
        self.meta = meta
        self.classes = list(classes)

    @classmethod
    def load(cls, path: str | Path) -> TypeModel:
        path = Path(path)
        meta = (
            json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            if path.with_suffix(".json").exists()
            else {}
        )
        if path.suffix == ".joblib":
            import joblib

            pipe = joblib.load(path)
            return cls(dict(pipe[0].vocabulary_), pipe[-1].coef_, pipe[-1].intercept_, list(pipe[-1].classes_), meta)
        with np.load(path, allow_pickle=False) as z:
            names = z["features"].tolist()
            return cls({n: i for i, n in enumerate(names)}, z["coef"], z["intercept"], z["classes"].tolist(), meta)

    def predict_proba(self, feats: list[dict]):
        """DictVectorizer.transform without its per-value type checks (features are str -> number), then
        the multinomial logistic regression's softmax."""
        vocab = self.vocabulary
        indptr, indices, data = [0], [], []
        for f in feats:
            for k, v in f.items():
                j = vocab.get(k)
                if j is not None and v:
                    indices.append(j)
                    data.append(float(v))
            indptr.append(len(indices))
        X = sparse.csr_matrix(
            (np.array(data), np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(feats), len(vocab))
        )
        X.sort_indices()
        return _softmax(X @ self.coef_t + self.intercept)

    def score(
        self,
        cands: list[Candidate],
        eojs: list[Eojeol],
        text: str,
        sims: CongSims | None,
        gaz_labels: dict | None = None,
    ) -> list[Scored]:
        if not cands:
            return []
        feats = [
            features(
                c,
                eojs,
                text,
                sims(c.toks[-1].text, c.toks[-1].tag) if sims else None,
                (gaz_labels or {}).get((c.start, c.end)),
                sims.known if sims else None,
            )
            for c in cands
        ]
        probs = self.predict_proba(feats)
        none = self.classes.index("NONE")
        out = []
        for c, p in zip(cands, probs):
            q = p.copy()
            q[none] = -1.0
            k = int(q.argmax())  # best real type; prob = 1 - P(NONE), the chance it is a name at all
            out.append(Scored(c, self.classes[k], float(1.0 - p[none])))
        return out

    def score_many(
        self, batches: list[tuple[list[Candidate], list[Eojeol]]], text: str, sims: CongSims | None
    ) -> list[list[Scored]]:
        """Score the candidates of many sentences with one predict_proba call."""
        feats, owners = [], []
        for b, (cands, eojs) in enumerate(batches):
            for c in cands:
                feats.append(
                    features(
                        c,
                        eojs,
                        text,
                        sims(c.toks[-1].text, c.toks[-1].tag) if sims else None,
                        known=sims.known if sims else None,
                    )
                )
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
    for s in sorted(
        (s for s in scored if s.label != "NONE" and s.prob >= min_prob),
        key=lambda s: (-s.prob, s.cand.start, -(s.cand.end - s.cand.start)),
    ):
        if any(s.cand.start < e and b < s.cand.end for b, e in taken):
            continue
        picked.append(s)
        taken.append((s.cand.start, s.cand.end))
    return sorted(picked, key=lambda s: s.cand.start)


def sentence_candidates(span_tokens) -> tuple[list[Eojeol], list[Candidate]]:
    eojs = eojeols_of(span_tokens)
    return eojs, candidates_of(eojs)
