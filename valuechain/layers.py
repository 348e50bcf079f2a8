"""Value-chain layers: score each actor against the taxonomy, cluster with scikit-learn, name clusters.

Features per actor come from what the texts say about it: its role phrases and evidence sentences
(TF-IDF over Kiwi nouns), layer cue and seed words found in the roles, CoNg morpheme similarities of
the role nouns to each layer's words, products of a layer named in the role, and the gazetteer's
layer only as a prior. Actors with neither a role nor a gazetteer layer get no layer.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .gazetteer import Gazetteer, norm_key
from .layer_features import NOUN_TAGS, LayerVectors, Nouns, layer_words
from .yaml_files import read_yaml

ACTORS = {"ORG", "PERSON"}
GOLD_RUSH_ERAS = {"gold_rush", "gilded_age"}


@dataclass
class Layer:
    id: str
    ko: str
    en: str
    era: str
    words: list[str]  # cue + seed words


@dataclass
class LayerConfig:
    layers: list[Layer]
    cues: dict[str, list[str]]
    seeds: dict[str, list[str]]
    weights: dict[str, float]
    min_score: float
    prior_only_confidence: float
    clustering: dict
    functions: dict
    function_cues: dict[str, list[str]]
    chain_stage: dict[str, int] = field(default_factory=dict)
    link_margin: float = 0.5

    @classmethod
    def load(cls, taxonomy_yaml: str | Path, layers_yaml: str | Path) -> LayerConfig:
        tax = read_yaml(taxonomy_yaml)
        cfg = read_yaml(layers_yaml)
        cues = cfg.get("cues", {})
        layers, seeds = [], {}
        for lay in tax["layers"]:
            seeds[lay["id"]] = list(lay.get("seeds_ko", []))
            layers.append(
                Layer(
                    lay["id"],
                    lay.get("ko", lay["id"]),
                    lay.get("en", ""),
                    lay.get("era", "ai"),
                    list(dict.fromkeys(cues.get(lay["id"], []) + seeds[lay["id"]])),
                )
            )
        unknown = set(cues) - {lay.id for lay in layers}
        if unknown:
            raise ValueError(f"{layers_yaml}: cues for unknown layers {sorted(unknown)}")
        return cls(
            layers,
            cues,
            seeds,
            cfg["weights"],
            float(cfg["min_score"]),
            float(cfg["prior_only_confidence"]),
            cfg["clustering"],
            cfg.get("functions", {}),
            cfg.get("function_cues", {}),
            {str(k): int(v) for k, v in (cfg.get("chain_stage") or {}).items()},
            float(cfg.get("link_margin", 0.5)),
        )

    def allowed(self, eras: set[str]) -> list[str]:
        """Layers compatible with the eras an actor's relations are in."""
        if eras and eras <= GOLD_RUSH_ERAS:
            return [lay.id for lay in self.layers if lay.era in ("gold_rush", "both")]
        if eras and not (eras & GOLD_RUSH_ERAS):
            return [lay.id for lay in self.layers if lay.era in ("ai", "both")]
        return [lay.id for lay in self.layers]


def _contains(text_key: str, word: str) -> bool:
    k = norm_key(word)
    return bool(k) and k in text_key


def _position_weight(text_key: str, words: list[str]) -> float:
    """0 if no word occurs; else 0.6-1.0, higher the nearer the phrase's end (the Korean head)."""
    return _position_weight_keys(text_key, [k for k in map(norm_key, words) if k])


def _position_weight_keys(text_key: str, keys: list[str]) -> float:
    """_position_weight() with the words' non-empty keys computed beforehand."""
    best = 0.0
    for k in keys:
        i = text_key.rfind(k)
        if i >= 0:
            best = max(best, 0.6 + 0.4 * (i + len(k)) / len(text_key))
    return best


class LayerScorer:
    """Per-layer scores of role phrases. Kiwi is used only through ``nouns`` (phrase nouns, CoNg
    similarities), lazily; ``load_features()`` gives it what the shard jobs computed for their role
    phrases (:mod:`valuechain.layer_features`), so Kiwi is loaded only for phrases missing there."""

    def __init__(self, cfg: LayerConfig, gaz: Gazetteer, nouns: Nouns):
        self.cfg = cfg
        self.gaz = gaz
        self.nouns = nouns
        self.layer_index = {lay.id: j for j, lay in enumerate(cfg.layers)}
        self.product_keys = sorted(
            (
                (norm_key(a), e.layer)
                for e in gaz.entries.values()
                if e.layer
                for a in e.aliases
                if len(norm_key(a)) >= 3 and a not in e.ambiguous
            ),
            key=lambda kv: -len(kv[0]),
        )
        self._products: dict[str, set[str]] = {}
        for k, lay in self.product_keys:
            self._products.setdefault(k, set()).add(lay)
        self._product_len = max((len(k) for k in self._products), default=0)
        self._cue_keys = [[k for k in map(norm_key, cfg.cues.get(lay.id, [])) if k] for lay in cfg.layers]
        self._seed_keys = [[k for k in map(norm_key, cfg.seeds.get(lay.id, [])) if k] for lay in cfg.layers]
        self.vectors = LayerVectors(layer_words(cfg), nouns)
        self._role_sims: dict[str, np.ndarray] = {}
        self._roles: dict[str, np.ndarray] = {}
        self._contexts: dict[str, np.ndarray] = {}

    @property
    def layer_nouns(self) -> dict[str, tuple]:
        return self.vectors.layer_nouns

    def prepare(self, texts) -> None:
        """Nouns of ``texts`` in one batched Kiwi call (none if all are known)."""
        self.nouns.prefetch(texts)

    def load_features(self, table) -> int:
        """Nouns and CoNg vectors of role texts computed by the shard jobs (rows of
        :func:`valuechain.layer_features.features_frame`, made with this configuration's layer words);
        returns the number of texts taken."""
        n_layers = len(self.cfg.layers)
        texts, forms, tags, sims = (table[c].tolist() for c in ("text", "forms", "tags", "sims"))
        for t, f, g, v in zip(texts, forms, tags, sims):
            nouns = tuple(zip(map(str, f), map(str, g)))
            self.nouns.set(t, nouns)
            self._role_sims[t] = np.asarray(v, dtype=float) if nouns else np.zeros(n_layers)
        return len(texts)

    def noun_vector(self, noun: tuple[str, str]) -> np.ndarray:
        """Max CoNg similarity of one noun to the words of each layer (cached: nouns repeat a lot)."""
        return self.vectors.noun_vector(noun)

    def cong(self, nouns, layer_id: str) -> float:
        if not nouns:
            return 0.0
        k = self.layer_index[layer_id]
        return max(float(self.noun_vector(n)[k]) for n in nouns)

    def _products_in(self, key: str) -> set[str]:
        """Layers of the gazetteer products (keys of >= 3 characters) occurring in ``key``."""
        found: set[str] = set()
        n, m = len(key), self._product_len
        for i in range(n - 2):
            for j in range(i + 3, min(n, i + m) + 1):
                s = self._products.get(key[i:j])
                if s:
                    found |= s
        return found

    def _role_part(self, role: str) -> np.ndarray:
        """Cue, seed, product and CoNg scores of a role phrase, per layer (roles repeat: cached)."""
        out = self._roles.get(role)
        if out is not None:
            return out
        w = self.cfg.weights
        key = norm_key(role)
        rn = self.nouns.of(role)
        products = self._products_in(key)
        sims = self._role_sims.get(role)
        if sims is None:
            sims = self.vectors.role_sims(rn)
        out = np.zeros(len(self.cfg.layers))
        for j, lay in enumerate(self.cfg.layers):
            # a cue or (weaker) a seed word of the layer; the phrase's head counts more than a modifier
            out[j] = max(
                w["cue"] * _position_weight_keys(key, self._cue_keys[j]),
                w["seed"] * _position_weight_keys(key, self._seed_keys[j]),
            )
            if lay.id in products:
                out[j] += w["product"]
            out[j] += w["cong"] * max(0.0, float(sims[j]))
        self._roles[role] = out
        return out

    def _context_part(self, evidence: str) -> np.ndarray:
        out = self._contexts.get(evidence)
        if out is None:
            en = self.nouns.of(evidence)[:30]
            out = (
                np.maximum(np.mean([self.noun_vector(n) for n in en], axis=0), 0.0)
                if en
                else np.zeros(len(self.cfg.layers))
            )
            self._contexts[evidence] = out
        return out

    def role_vector(self, role: str, evidence: str = "") -> np.ndarray:
        """Scores of one relation per layer (the evidence counts only with a ``context`` weight)."""
        v = self._role_part(role)
        if evidence and self.cfg.weights["context"]:
            v = v + self.cfg.weights["context"] * self._context_part(evidence)
        return v

    def role_scores(self, role: str, evidence: str) -> dict[str, float]:
        return {lay.id: float(x) for lay, x in zip(self.cfg.layers, self.role_vector(role, evidence))}


@dataclass
class Assignment:
    layer: str
    confidence: float
    scores: dict[str, float]
    source: str  # role | prior | none


def _positions(rels: pd.DataFrame) -> dict[str, np.ndarray]:
    """entity_id -> positions of its relations, in table order."""
    return rels.groupby("entity_id", sort=False).indices if len(rels) else {}


def _strs(s: pd.Series) -> list[str]:
    return [str(x) for x in s.tolist()]


def assign_layers(ents: pd.DataFrame, rels: pd.DataFrame, scorer: LayerScorer) -> dict[str, Assignment]:
    """Layer per actor: the confidence-weighted mean of its relations' role scores, plus the prior.

    Vectorised over relations: one score vector per distinct role, then per-actor sums accumulated in
    table order with ``np.add.at`` (the same additions, in the same order, as a loop over relations).
    """
    cfg = scorer.cfg
    layer_ids = [lay.id for lay in cfg.layers]
    ctx = cfg.weights["context"]
    pos = _positions(rels)
    gindex = {eid: k for k, eid in enumerate(pos)}
    eras: list = []
    totals = np.zeros((len(pos), len(layer_ids)))
    if len(rels):
        roles = pd.Series(_strs(rels["role"]), dtype=object)
        if ctx:  # one score vector per distinct (role, evidence)
            evid = pd.Series(_strs(rels["evidence"]), dtype=object)
            scorer.prepare(set(roles) | set(evid))
            codes, uniq = pd.factorize(pd.Series(list(zip(roles, evid)), dtype=object))
        else:  # one per distinct role
            scorer.prepare(set(roles))
            codes, uniq = pd.factorize(roles)
            uniq = [(r, "") for r in uniq]
        vecs = np.array([scorer.role_vector(r, e) for r, e in uniq]).reshape(len(uniq), len(layer_ids))[codes]
        # a confident construction (parenthesis, copula) counts more than a loose one (zero subject)
        conf = rels["confidence"] if "confidence" in rels.columns else pd.Series(1.0, index=rels.index)
        if conf.dtype.kind == "f":
            w = conf.to_numpy(dtype=float, na_value=np.nan)
            w = np.where(w == 0, 1.0, w)  # float(c or 1.0): 0 -> 1, NaN stays
        else:
            w = np.array([float(c or 1.0) for c in conf.tolist()])
        ent = np.full(len(rels), -1, dtype=np.intp)
        for k, p in enumerate(pos.values()):
            ent[p] = k
        grouped = np.flatnonzero(ent >= 0)  # groupby leaves out missing ids
        ent, w, vecs = ent[grouped], w[grouped], vecs[grouped]
        wsum = np.zeros(len(pos))
        np.add.at(wsum, ent, w)
        np.add.at(totals, ent, vecs * w[:, None] / wsum[ent][:, None])
        eras = rels["era"].tolist()
    out = {}
    for eid, label, prior in zip(ents["entity_id"].tolist(), ents["label"].tolist(), ents["gazetteer_layer"].tolist()):
        if label not in ACTORS:
            continue
        g = gindex.get(eid)
        prior = prior if isinstance(prior, str) else ""
        if g is None:
            if prior:
                out[eid] = Assignment(prior, cfg.prior_only_confidence, {prior: cfg.weights["prior"]}, "prior")
            continue
        total = dict(zip(layer_ids, totals[g].tolist()))
        if prior:
            total[prior] = total.get(prior, 0.0) + cfg.weights["prior"]
        allowed = cfg.allowed({eras[p] for p in pos[eid]})
        ranked = sorted(((total[k], k) for k in allowed), reverse=True)
        best, lid = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        if best < cfg.min_score:
            out[eid] = Assignment("", 0.0, total, "none")
            continue
        conf = round(min(1.0, best / (best + second + 1e-9) * min(1.0, best / (2 * cfg.min_score))), 3)
        out[eid] = Assignment(lid, conf, total, "role")
    return out


SUPPLY_TYPES = ("supplies", "manufactures_for", "rents_to")


def order_by_links(assigned: dict[str, Assignment], links: pd.DataFrame, cfg: LayerConfig) -> dict[str, Assignment]:
    """A supplier sits at or upstream of its customer (``chain_stage``): one whose layer lies downstream
    of a customer's moves to its best layer at or upstream of it, when that layer scored at least
    ``link_margin`` of its best. Customers keep their layers; one pass in sorted order."""
    stage = cfg.chain_stage
    if not stage or links is None or not len(links):
        return assigned
    out = dict(assigned)
    pairs = sorted({(s, t) for s, ty, t in zip(links["source"], links["type"], links["target"]) if ty in SUPPLY_TYPES})
    for src, tgt in pairs:
        a, b = out.get(src), assigned.get(tgt)
        if a is None or b is None or a.source != "role" or a.layer not in stage or b.layer not in stage:
            continue
        if stage[a.layer] <= stage[b.layer]:
            continue
        best = a.scores.get(a.layer, 0.0)
        ok = [
            (v, k)
            for k, v in a.scores.items()
            if k in stage and stage[k] <= stage[b.layer] and v >= cfg.link_margin * best
        ]
        if ok:
            v, k = max(ok)
            out[src] = Assignment(k, round(a.confidence * v / (best + 1e-9), 3), a.scores, "role+links")
    return out


def sentence_nouns(tokens: pd.DataFrame) -> dict[tuple[str, int], list[str]]:
    """Nouns of every sentence, from the token table (no second Kiwi pass over the evidence)."""
    tag = tokens["tag"]
    t = tokens.loc[tag.isin(NOUN_TAGS) & ((tag == "SL") | (tokens["form"].str.len() > 1))]
    out: dict[tuple[str, int], list[str]] = {}
    for rid, sid, form in zip(t["review_id"].tolist(), t["sent_id"].tolist(), t["form"].tolist()):
        key = (rid, int(sid))
        lst = out.get(key)
        if lst is None:
            out[key] = [form]
        else:
            lst.append(form)
    return out


def sentence_noun_texts(
    tokens_parquet: str | Path, review_ids: list[str], sent_ids: list[int], batch_size: int = 1 << 20
) -> dict[tuple[str, int], str]:
    """The nouns of sentence_nouns() joined by spaces, from the token table file, only for the
    sentences (review_ids[i], sent_ids[i]) and only those with nouns.

    Read batch by batch with the string columns dictionary-encoded (the tag and length filters run on
    the dictionaries), keeping only the nouns of the wanted sentences and joining them in Arrow:
    memory grows with the sentences that have relations, not with the corpus.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not len(review_ids):
        return {}
    rcodes, rlist = pd.factorize(pd.Series(review_ids, dtype=object), sort=True)
    rlist = list(rlist)
    rcode = {r: i for i, r in enumerate(rlist)}
    sids = np.asarray(sent_ids, dtype=np.int64)
    lo, span = int(sids.min()), int(sids.max()) - int(sids.min()) + 1
    wanted_keys = np.unique(rcodes.astype(np.int64) * span + (sids - lo))
    table = None
    if len(rlist) * span <= 50_000_000:
        table = np.zeros(len(rlist) * span, dtype=bool)
        table[wanted_keys] = True

    def indices(arr):
        """Dictionary indices (int32, zero-copy) and the validity mask (None: no nulls)."""
        idx = arr.indices.to_numpy(zero_copy_only=False)
        if not arr.null_count:
            return idx, None
        valid = np.asarray(arr.is_valid())
        return np.where(valid, idx, 0), valid

    pf = pq.ParquetFile(tokens_parquet, read_dictionary=["review_id", "form", "tag"])
    keys_out, forms_out = [], []
    # one thread: no faster here, and the stage's Kiwi child process wants the other core
    for batch in pf.iter_batches(
        columns=["review_id", "sent_id", "form", "tag"], batch_size=batch_size, use_threads=False
    ):
        rid, sid_a, form, tag = (batch.column(c) for c in ("review_id", "sent_id", "form", "tag"))
        tags = tag.dictionary.to_pylist()
        ti, valid = indices(tag)
        noun = np.array([t in NOUN_TAGS for t in tags], dtype=bool)[ti]
        if valid is not None:
            noun &= valid
        sel = np.flatnonzero(noun)  # about a third of the tokens: the rest is done on these only
        ti = ti[sel]
        fi, valid = indices(form)
        fi = fi[sel]
        long_d = np.asarray(pc.fill_null(pc.greater(pc.utf8_length(form.dictionary), 1), False), dtype=bool)
        ok = np.array([t == "SL" for t in tags], dtype=bool)[ti] | long_d[fi]
        if valid is not None:
            ok &= valid[sel]
        ri, valid = indices(rid)
        rc = np.array([rcode.get(r, -1) for r in rid.dictionary.to_pylist()] or [-1], dtype=np.int64)[ri[sel]]
        if valid is not None:
            rc[~valid[sel]] = -1
        sid = sid_a.to_numpy(zero_copy_only=False)
        if sid_a.null_count:
            sid = np.where(np.asarray(sid_a.is_valid()), np.nan_to_num(sid, nan=lo - 1), lo - 1)
        sid = sid[sel].astype(np.int64)
        ok &= (rc >= 0) & (sid >= lo) & (sid < lo + span)
        keys = np.where(ok, rc * span + (sid - lo), 0)
        ok &= table[keys] if table is not None else np.isin(keys, wanted_keys)
        keep = np.flatnonzero(ok)
        if len(keep):
            keys_out.append(keys[keep])
            forms_out.append(form.dictionary.take(fi[keep]))
    if not keys_out:
        return {}
    keys = np.concatenate(keys_out)
    order = np.argsort(keys, kind="stable")  # by sentence, in table order within a sentence
    keys = keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    forms = pa.concat_arrays([f.cast(pa.large_string()) for f in forms_out]).take(order)
    offsets = pa.array(np.r_[starts, len(keys)].astype(np.int64))
    texts = pc.binary_join(pa.LargeListArray.from_arrays(offsets, forms), pa.scalar(" ", pa.large_string()))
    texts = texts.to_pylist()
    first = keys[starts]
    return dict(zip(zip([rlist[i] for i in (first // span).tolist()], (first % span + lo).tolist()), texts))


def actor_documents(
    ents: pd.DataFrame,
    rels: pd.DataFrame,
    assigned: dict[str, Assignment],
    nouns: Nouns,
    sent_nouns: dict | None = None,
) -> tuple[list[str], list[str]]:
    """One text per actor with a layer: its roles (twice: they matter most) and evidence nouns.

    ``sent_nouns``: (review_id, sent_id) -> nouns from the token table (a list, or already joined by
    spaces as sentence_noun_texts() gives them); without it the evidence sentences are analysed again
    with Kiwi. The words of each distinct role and sentence are joined once; a document joins its
    relations' non-empty pieces (the same text as joining all its words).
    """
    ids = sorted(a for a, v in assigned.items() if v.layer)
    pos = _positions(rels)
    pieces: list[str | None] = []
    codes = np.zeros((0, 2), dtype=np.intp)
    if len(rels) and any(eid in pos for eid in ids):
        rcode, role_u = pd.factorize(pd.Series(_strs(rels["role"]), dtype=object))
        if sent_nouns is not None:
            # sentence key: (review code, sent_id) as one integer
            rid_c, rid_u = pd.factorize(pd.Series(_strs(rels["review_id"]), dtype=object))
            sid = np.asarray(rels["sent_id"].tolist(), dtype=np.int64)
            lo, span = int(sid.min()), int(sid.max()) - int(sid.min()) + 1
            ecode, ekey = pd.factorize(rid_c.astype(np.int64) * span + (sid - lo))
            ev_u = list(zip([rid_u[i] for i in (ekey // span).tolist()], (ekey % span + lo).tolist()))
        else:
            ecode, ev_u = pd.factorize(pd.Series(_strs(rels["evidence"]), dtype=object))
            rows = np.concatenate([pos[eid] for eid in ids if eid in pos])
            nouns.prefetch(
                [role_u[i] for i in set(rcode[rows].tolist())] + [ev_u[i] for i in set(ecode[rows].tolist())]
            )
        codes = np.stack([rcode, ecode + len(role_u)], axis=1).astype(np.intp)
        needed = np.zeros(len(role_u) + len(ev_u), dtype=bool)
        for eid in ids:
            if eid in pos:
                needed[codes[pos[eid]].ravel()] = True
        for c, r in enumerate(role_u):
            forms = [f for f, _ in nouns.of(r)] if needed[c] else []
            pieces.append(" ".join(forms * 2) if forms else None)
        for c, k in enumerate(ev_u):
            if not needed[c + len(role_u)]:
                forms = []
            elif sent_nouns is not None:
                forms = sent_nouns.get(k, [])
            else:
                forms = [f for f, _ in nouns.of(k)]
            if isinstance(forms, str):
                pieces.append(forms or None)
            else:
                pieces.append(" ".join(forms) if forms else None)
    has_text = np.array([t is not None for t in pieces], dtype=bool)
    docs = []
    for eid in ids:
        parts = []
        if eid in pos:
            c = codes[pos[eid]].ravel()  # role, sentence, role, sentence, ... in table order
            parts = [pieces[j] for j in c[has_text[c]].tolist()]
        if assigned[eid].source == "prior":
            parts.append("LAYERPRIOR_" + assigned[eid].layer)
        docs.append(" ".join(parts) or "_")
    return ids, docs


def import_sklearn():
    """scikit-learn's estimators (imported on first use: the import takes ~1 s, scipy.stats included)."""
    import scipy.cluster.hierarchy  # noqa: F401 - else imported by the first fit
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.decomposition import TruncatedSVD
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import normalize

    _threadpools()
    return AgglomerativeClustering, TruncatedSVD, _tfidf_class(), silhouette_score, normalize


@functools.cache
def _threadpools():
    """threadpoolctl's view of the loaded BLAS/OpenMP libraries (finding them takes ~25 ms)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@functools.cache
def _tfidf_class():
    """TfidfVectorizer that counts documents of space-separated terms with str.split and Counter.

    With ``token_pattern=r"[^ ]+"``, no lowercasing and single words, the analyser's terms are
    exactly ``doc.split(" ")`` without empty strings, and Counter keeps their first-appearance
    order: the vocabulary indices and the count matrix are those of scikit-learn's per-term loop
    (``_count_vocab``, 5x slower), so the TF-IDF matrix is identical (tests/test_layers_speed.py).
    Any other setting, or a scikit-learn without the private helper, uses the original code.
    """
    import scipy.sparse as sp
    from sklearn.feature_extraction import text

    class SpaceTermsTfidf(text.TfidfVectorizer):
        def _count_vocab(self, raw_documents, fixed_vocab):
            align = getattr(text, "_align_api_if_sparse", None)
            if (
                fixed_vocab
                or align is None
                or self.token_pattern != r"[^ ]+"
                or self.lowercase
                or self.analyzer != "word"
                or self.tokenizer is not None
                or self.preprocessor is not None
                or self.strip_accents is not None
                or self.stop_words is not None
                or tuple(self.ngram_range) != (1, 1)
                or self.input != "content"
            ):
                return super()._count_vocab(raw_documents, fixed_vocab)
            vocabulary: dict[str, int] = {}
            j_indices: list[int] = []
            values: list[int] = []
            indptr = [0]
            for doc in raw_documents:
                if not isinstance(doc, str):
                    return super()._count_vocab(raw_documents, fixed_vocab)
                counts = Counter(doc.split(" "))
                counts.pop("", None)
                j_indices.extend([vocabulary.setdefault(t, len(vocabulary)) for t in counts])
                values.extend(counts.values())
                indptr.append(len(j_indices))
            if not vocabulary:
                raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
            idx = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
            X = sp.csr_array(
                (np.asarray(values, dtype=np.intc), np.asarray(j_indices, dtype=idx), np.asarray(indptr, dtype=idx)),
                shape=(len(indptr) - 1, len(vocabulary)),
                dtype=self.dtype,
            )
            X.sort_indices()
            return vocabulary, align(X)

    return SpaceTermsTfidf


def cluster(ids: list[str], docs: list[str], assigned: dict[str, Assignment], cfg: LayerConfig):
    """Agglomerative clustering of actors; k by the best cosine silhouette in [k_min, k_max].

    Average linkage keeps the n x n distance matrix: O(n^2) time and memory in the number of actors
    with a layer (~3,000 actors: ~36 MB, well under a second).
    """
    n = len(ids)
    if n == 0:
        return {}, {}, None, []
    estimators = import_sklearn()
    with _threadpools().limit(limits=1):  # a one-core job; threaded BLAS only spins on these small matrices
        return _cluster(ids, docs, assigned, cfg, *estimators)


def _cluster(
    ids, docs, assigned, cfg, AgglomerativeClustering, TruncatedSVD, TfidfVectorizer, silhouette_score, normalize
):
    n = len(ids)
    layer_ids = [lay.id for lay in cfg.layers]
    S = np.array([[assigned[i].scores.get(k, 0.0) for k in layer_ids] for i in ids])
    # keep what stands out of each actor's score profile (CoNg similarities give every layer a floor)
    S = normalize(np.maximum(S - np.median(S, axis=1, keepdims=True), 0.0) + 1e-9)
    tf = TfidfVectorizer(token_pattern=r"[^ ]+", lowercase=False, sublinear_tf=True)
    T = tf.fit_transform(docs)
    comps = min(int(cfg.clustering.get("svd_components", 16)), T.shape[1] - 1, n - 1)
    if comps >= 2:
        Tr = TruncatedSVD(n_components=comps, random_state=int(cfg.clustering.get("seed", 0))).fit_transform(T)
    else:
        Tr = T.toarray()
    X = np.hstack([normalize(Tr) * 0.5, S * 1.0])
    n_layers = len({assigned[i].layer for i in ids})
    k_mode = cfg.clustering.get("k", "layers")
    if n < 3:
        labels = np.zeros(n, dtype=int)
    elif k_mode == "layers":
        # k = the number of taxonomy layers the scorer found: clustering then shows whether the
        # text features group the actors the same way (agreement is the layer ARI of the evaluation)
        k = max(1, min(n_layers, n - 1))
        labels = (
            AgglomerativeClustering(
                n_clusters=k,
                metric=cfg.clustering.get("metric", "cosine"),
                linkage=cfg.clustering.get("linkage", "average"),
            ).fit_predict(X)
            if k > 1
            else np.zeros(n, dtype=int)
        )
    else:  # "silhouette": the k in [k_min, k_max] with the best cosine silhouette
        best = None
        for k in range(int(cfg.clustering.get("k_min", 2)), min(int(cfg.clustering.get("k_max", 12)), n - 1) + 1):
            model = AgglomerativeClustering(
                n_clusters=k,
                metric=cfg.clustering.get("metric", "cosine"),
                linkage=cfg.clustering.get("linkage", "average"),
            )
            lab = model.fit_predict(X)
            if len(set(lab)) < 2:
                continue
            sc = silhouette_score(X, lab, metric="cosine")
            if best is None or sc > best[0] + 1e-9:
                best = (sc, k, lab)
        labels = best[2] if best else np.zeros(n, dtype=int)
    # name each cluster by the layer most of its members were scored into
    members = defaultdict(list)
    for i, lab in zip(ids, labels):
        members[int(lab)].append(i)
    order = {lay.id: k for k, lay in enumerate(cfg.layers)}
    named = []
    for lab, mem in members.items():
        votes = Counter(assigned[m].layer for m in mem)
        layer = sorted(votes.items(), key=lambda kv: (-kv[1], order[kv[0]]))[0][0]
        named.append((order[layer], sorted(mem)[0], lab, layer))
    cid = {}
    cname = {}
    for k, (_, _, lab, layer) in enumerate(sorted(named)):
        cid[lab] = f"c{k + 1:02d}"
        cname[cid[lab]] = layer
    feature_names = [""] * len(tf.vocabulary_)  # get_feature_names_out() without sorting the vocabulary
    for term, j in tf.vocabulary_.items():
        feature_names[j] = term
    row_of = {m: j for j, m in enumerate(ids)}
    tops = {}
    for lab, mem in members.items():
        rows = [row_of[m] for m in mem]
        centroid = np.asarray(T[rows].mean(axis=0)).ravel()
        top = [
            feature_names[j]
            for j in centroid.argsort()[::-1][:6]
            if centroid[j] > 0 and not feature_names[j].startswith("LAYERPRIOR_")
        ]
        tops[cid[lab]] = top
    return {i: cid[int(lab)] for i, lab in zip(ids, labels)}, cname, tops, X


def _function_keys(cfg: LayerConfig) -> tuple[list[str], list[list[str]]]:
    """Function names (sorted) and the non-empty keys of each function's cue words."""
    names = sorted(cfg.function_cues)
    return names, [[k for k in map(norm_key, cfg.function_cues[f]) if k] for f in names]


def _function_counts(text: str, keys: list[list[str]]) -> np.ndarray:
    key = norm_key(text)
    return np.array([sum(1 for k in ks if k in key) for ks in keys], dtype=float)


def function_vector(texts: list[str], cfg: LayerConfig) -> np.ndarray:
    """Cue words of each function (sorted names) found in the texts, counted."""
    names, keys = _function_keys(cfg)
    v = np.zeros(len(names))
    for t in texts:
        v += _function_counts(t, keys)
    return v


def analogies(
    ents: pd.DataFrame, rels: pd.DataFrame, assigned: dict[str, Assignment], cfg: LayerConfig
) -> pd.DataFrame:
    """Which AI-era actors play the role of the gold rush's tools, goods, merchants, banks and miners.

    Function vectors are counted once per distinct role and actor; the gold-rush x AI-era cosine
    matrix is computed in blocks of rows (the counts are small integers, so the dot products and
    norms are exact whatever the summation order).
    """
    cols = ["gold_rush", "gold_rush_layer", "function", "ai_era", "ai_era_layer", "similarity", "evidence"]
    if not len(rels):
        return pd.DataFrame(columns=cols)
    names = dict(zip(ents["entity_id"].tolist(), ents["name"].tolist()))
    pos = _positions(rels)
    role_l, era_l = _strs(rels["role"]), rels["era"].tolist()
    roles = {e: sorted({role_l[p] for p in ps.tolist()}) for e, ps in pos.items()}
    eras = {e: {era_l[p] for p in ps.tolist()} for e, ps in pos.items()}
    fnames, fkeys = _function_keys(cfg)
    gold = [e for e in sorted(roles) if assigned.get(e) and assigned[e].layer and eras[e] <= GOLD_RUSH_ERAS]
    ai = [e for e in sorted(roles) if assigned.get(e) and assigned[e].layer and not (eras[e] & GOLD_RUSH_ERAS)]
    counts: dict[str, np.ndarray] = {}

    def fvec(texts):
        v = np.zeros(len(fnames))
        for t in texts:
            c = counts.get(t)
            if c is None:
                c = counts[t] = _function_counts(t, fkeys)
            v += c
        return v

    G = np.array([fvec(roles[g]) for g in gold]).reshape(len(gold), len(fnames))
    A = np.array([fvec(roles[a]) for a in ai]).reshape(len(ai), len(fnames))
    a_norm = np.linalg.norm(A, axis=1)
    a_has = A.any(axis=1)
    a_layer = [assigned[a].layer for a in ai]
    allowed_by_f = {
        f: np.array([lay in set(cfg.functions.get(f, {}).get("ai", [])) for lay in a_layer], dtype=bool) for f in fnames
    }
    joined: dict[str, str] = {}

    def evidence(e):
        if e not in joined:
            joined[e] = " / ".join(roles[e])
        return joined[e]

    rows = []
    keep = np.flatnonzero(G.any(axis=1)) if len(gold) else np.array([], dtype=int)
    for start in range(0, len(keep), 256):
        block = keep[start : start + 256]
        Gb = G[block]
        num = Gb @ A.T
        den = np.linalg.norm(Gb, axis=1)[:, None] * a_norm[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            sims = np.where(a_has[None, :], num / den, 0.0)
        for gi, sim in zip(block.tolist(), sims):
            g = gold[gi]
            gf = fnames[int(G[gi].argmax())]
            sim = np.where(allowed_by_f[gf], 0.5 + 0.5 * sim, sim)  # the taxonomy's analogy map agrees
            cand = np.flatnonzero(sim > 0)
            if len(cand) > 3:
                # only those whose 3-decimal rounding can reach the third best are rounded and sorted
                third = np.partition(sim[cand], len(cand) - 3)[len(cand) - 3]
                cand = cand[sim[cand] >= third - 0.002]
            best = [(round(float(sim[j]), 3), j) for j in cand.tolist()]
            for s, j in sorted(best, key=lambda x: (-x[0], x[1]))[:3]:
                a = ai[j]
                rows.append(
                    {
                        "gold_rush": names.get(g, g),
                        "gold_rush_layer": assigned[g].layer,
                        "function": gf,
                        "ai_era": names.get(a, a),
                        "ai_era_layer": assigned[a].layer,
                        "similarity": s,
                        "evidence": f"{evidence(g)} ~ {evidence(a)}",
                    }
                )
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["gold_rush", "similarity", "ai_era"], ascending=[True, False, True], kind="stable")


def layers_table(
    ents: pd.DataFrame, rels: pd.DataFrame, clusters: dict, cname: dict, tops: dict, assigned: dict, cfg: LayerConfig
) -> pd.DataFrame:
    cols = ["layer", "layer_name", "era", "cluster", "n_entities", "members", "top_terms"]
    lay = {x.id: x for x in cfg.layers}
    names = dict(zip(ents["entity_id"], ents["name"]))
    by_cluster = defaultdict(list)
    for eid, c in clusters.items():
        by_cluster[c].append(eid)
    rows = []
    for c in sorted(by_cluster):
        layer = cname[c]
        mem = sorted(by_cluster[c], key=lambda e: names.get(e, e))
        rows.append(
            {
                "layer": layer,
                "layer_name": lay[layer].ko,
                "era": lay[layer].era,
                "cluster": c,
                "n_entities": len(mem),
                "members": "|".join(names.get(e, e) for e in mem),
                "top_terms": "|".join(tops.get(c, [])),
            }
        )
    order = {x.id: k for k, x in enumerate(cfg.layers)}
    return pd.DataFrame(rows, columns=cols).sort_values(
        ["layer", "cluster"], key=lambda s: s.map(order) if s.name == "layer" else s, kind="stable"
    )


def era_layer_table(rels: pd.DataFrame, ents: pd.DataFrame) -> pd.DataFrame:
    cols = ["era", "layer", "n_entities", "n_relations"]
    if not len(rels):
        return pd.DataFrame(columns=cols)
    layer = dict(zip(ents["entity_id"], ents["layer"].fillna("")))
    r = rels.assign(layer=rels["entity_id"].map(layer).fillna(""))
    r = r[r["layer"] != ""]
    g = r.groupby(["era", "layer"]).agg(n_entities=("entity_id", "nunique"), n_relations=("role", "size")).reset_index()
    return g.sort_values(["era", "layer"], kind="stable")[cols]
