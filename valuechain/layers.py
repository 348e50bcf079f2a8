"""Value-chain layers: score each actor against the taxonomy, cluster with scikit-learn, name clusters.

Features per actor come from what the texts say about it: its role phrases and evidence sentences
(TF-IDF over Kiwi nouns), layer cue and seed words found in the roles, CoNg morpheme similarities of
the role nouns to each layer's words, products of a layer named in the role, and the gazetteer's
layer only as a prior. Actors with neither a role nor a gazetteer layer get no layer.
"""
from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from .gazetteer import Gazetteer, norm_key

ACTORS = {"ORG", "PERSON"}
GOLD_RUSH_ERAS = {"gold_rush", "gilded_age"}
NOUN_TAGS = ("NNG", "NNP", "SL")


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

    @classmethod
    def load(cls, taxonomy_yaml: str | Path, layers_yaml: str | Path) -> "LayerConfig":
        tax = yaml.safe_load(Path(taxonomy_yaml).read_text(encoding="utf-8"))
        cfg = yaml.safe_load(Path(layers_yaml).read_text(encoding="utf-8"))
        cues = cfg.get("cues", {})
        layers, seeds = [], {}
        for lay in tax["layers"]:
            seeds[lay["id"]] = list(lay.get("seeds_ko", []))
            layers.append(Layer(lay["id"], lay.get("ko", lay["id"]), lay.get("en", ""), lay.get("era", "ai"),
                                list(dict.fromkeys(cues.get(lay["id"], []) + seeds[lay["id"]]))))
        unknown = set(cues) - {lay.id for lay in layers}
        if unknown:
            raise ValueError(f"{layers_yaml}: cues for unknown layers {sorted(unknown)}")
        return cls(layers, cues, seeds, cfg["weights"], float(cfg["min_score"]),
                   float(cfg["prior_only_confidence"]), cfg["clustering"], cfg.get("functions", {}),
                   cfg.get("function_cues", {}))

    def allowed(self, eras: set[str]) -> list[str]:
        """Layers compatible with the eras an actor's relations are in."""
        if eras and eras <= GOLD_RUSH_ERAS:
            return [lay.id for lay in self.layers if lay.era in ("gold_rush", "both")]
        if eras and not (eras & GOLD_RUSH_ERAS):
            return [lay.id for lay in self.layers if lay.era in ("ai", "both")]
        return [lay.id for lay in self.layers]


class Nouns:
    """Kiwi nouns of short phrases, and CoNg similarities between nouns (cached)."""

    def __init__(self, kiwi):
        self.kiwi = kiwi
        self._nouns: dict[str, tuple[tuple[str, str], ...]] = {}

    @staticmethod
    def _keep(tokens) -> tuple[tuple[str, str], ...]:
        return tuple((t.form, t.tag) for t in tokens if t.tag in NOUN_TAGS and len(t.form) > 1 or t.tag == "SL")

    def prefetch(self, texts) -> None:
        """Analyse many phrases in one batched Kiwi call (one call per phrase costs ~4 ms)."""
        todo = sorted({t for t in texts if t and t not in self._nouns})
        if todo:
            for text, toks in zip(todo, self.kiwi.tokenize(todo)):
                self._nouns[text] = self._keep(toks)

    def of(self, text: str) -> tuple[tuple[str, str], ...]:
        if text not in self._nouns:
            self._nouns[text] = self._keep(self.kiwi.tokenize(text))
        return self._nouns[text]

    @functools.lru_cache(maxsize=500_000)
    def sim(self, a: tuple[str, str], b: tuple[str, str]) -> float:
        if a[0] == b[0]:
            return 1.0
        if a[1] == "SL" or b[1] == "SL":
            return 0.0
        try:
            return float(self.kiwi.morpheme_similarity(a, b))
        except (ValueError, RuntimeError):
            return 0.0


def _contains(text_key: str, word: str) -> bool:
    k = norm_key(word)
    return bool(k) and k in text_key


def _position_weight(text_key: str, words: list[str]) -> float:
    """0 if no word occurs; else 0.6-1.0, higher the nearer the phrase's end (the Korean head)."""
    best = 0.0
    for w in words:
        k = norm_key(w)
        if not k:
            continue
        i = text_key.rfind(k)
        if i >= 0:
            best = max(best, 0.6 + 0.4 * (i + len(k)) / len(text_key))
    return best


class LayerScorer:
    def __init__(self, cfg: LayerConfig, gaz: Gazetteer, nouns: Nouns):
        self.cfg = cfg
        self.gaz = gaz
        self.nouns = nouns
        nouns.prefetch(w for lay in cfg.layers for w in lay.words)
        self.layer_nouns = {lay.id: tuple(dict.fromkeys(n for w in lay.words for n in nouns.of(w)))
                            for lay in cfg.layers}
        self.layer_index = {lay.id: j for j, lay in enumerate(cfg.layers)}
        self.product_keys = sorted(((norm_key(a), e.layer) for e in gaz.entries.values() if e.layer
                                    for a in e.aliases if len(norm_key(a)) >= 3 and a not in e.ambiguous),
                                   key=lambda kv: -len(kv[0]))

    @functools.lru_cache(maxsize=200_000)
    def noun_vector(self, noun: tuple[str, str]) -> np.ndarray:
        """Max CoNg similarity of one noun to the words of each layer (cached: nouns repeat a lot)."""
        return np.array([max((self.nouns.sim(noun, m) for m in self.layer_nouns[lay.id]), default=0.0)
                         for lay in self.cfg.layers])

    def cong(self, nouns, layer_id: str) -> float:
        if not nouns:
            return 0.0
        k = self.layer_index[layer_id]
        return max(float(self.noun_vector(n)[k]) for n in nouns)

    @functools.lru_cache(maxsize=100_000)
    def _role_part(self, role: str) -> np.ndarray:
        """Cue, seed, product and CoNg scores of a role phrase, per layer (roles repeat: cached)."""
        w = self.cfg.weights
        key = norm_key(role)
        rn = self.nouns.of(role)
        products = {lay for k, lay in self.product_keys if k in key}
        sims = np.max([self.noun_vector(n) for n in rn], axis=0) if rn else np.zeros(len(self.cfg.layers))
        out = np.zeros(len(self.cfg.layers))
        for j, lay in enumerate(self.cfg.layers):
            # a cue or (weaker) a seed word of the layer; the phrase's head counts more than a modifier
            out[j] = max(w["cue"] * _position_weight(key, self.cfg.cues.get(lay.id, [])),
                         w["seed"] * _position_weight(key, self.cfg.seeds.get(lay.id, [])))
            if lay.id in products:
                out[j] += w["product"]
            out[j] += w["cong"] * max(0.0, float(sims[j]))
        return out

    @functools.lru_cache(maxsize=100_000)
    def _context_part(self, evidence: str) -> np.ndarray:
        en = self.nouns.of(evidence)[:30]
        if not en:
            return np.zeros(len(self.cfg.layers))
        return np.maximum(np.mean([self.noun_vector(n) for n in en], axis=0), 0.0)

    def role_scores(self, role: str, evidence: str) -> dict[str, float]:
        v = self._role_part(role)
        if evidence and self.cfg.weights["context"]:
            v = v + self.cfg.weights["context"] * self._context_part(evidence)
        return {lay.id: float(x) for lay, x in zip(self.cfg.layers, v)}


@dataclass
class Assignment:
    layer: str
    confidence: float
    scores: dict[str, float]
    source: str  # role | prior | none


def assign_layers(ents: pd.DataFrame, rels: pd.DataFrame, scorer: LayerScorer) -> dict[str, Assignment]:
    cfg = scorer.cfg
    out = {}
    by_ent = {eid: g for eid, g in rels.groupby("entity_id")} if len(rels) else {}
    if len(rels):
        scorer.nouns.prefetch(list(map(str, rels["role"])) + (list(map(str, rels["evidence"]))
                                                              if scorer.cfg.weights["context"] else []))
    for e in ents.itertuples():
        if e.label not in ACTORS:
            continue
        g = by_ent.get(e.entity_id)
        prior = e.gazetteer_layer if isinstance(e.gazetteer_layer, str) else ""
        if g is None or not len(g):
            if prior:
                out[e.entity_id] = Assignment(prior, cfg.prior_only_confidence, {prior: cfg.weights["prior"]}, "prior")
            continue
        total: dict[str, float] = defaultdict(float)
        # a confident construction (parenthesis, copula) counts more than a loose one (zero subject)
        weights = [float(getattr(r, "confidence", 1.0) or 1.0) for r in g.itertuples()]
        for r, w in zip(g.itertuples(), weights):
            for k, v in scorer.role_scores(str(r.role), str(r.evidence)).items():
                total[k] += v * w / sum(weights)
        if prior:
            total[prior] += cfg.weights["prior"]
        allowed = cfg.allowed(set(g["era"]))
        ranked = sorted(((total[k], k) for k in allowed), reverse=True)
        best, lid = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        if best < cfg.min_score:
            out[e.entity_id] = Assignment("", 0.0, dict(total), "none")
            continue
        conf = round(min(1.0, best / (best + second + 1e-9) * min(1.0, best / (2 * cfg.min_score))), 3)
        out[e.entity_id] = Assignment(lid, conf, dict(total), "role")
    return out


def sentence_nouns(tokens: pd.DataFrame) -> dict[tuple[str, int], list[str]]:
    """Nouns of every sentence, from the token table (no second Kiwi pass over the evidence)."""
    t = tokens[tokens["tag"].isin(NOUN_TAGS)]
    t = t[(t["tag"] == "SL") | (t["form"].str.len() > 1)]
    return {(rid, int(sid)): list(g) for (rid, sid), g in t.groupby(["review_id", "sent_id"], sort=False)["form"]}


def actor_documents(ents: pd.DataFrame, rels: pd.DataFrame, assigned: dict[str, Assignment],
                    nouns: Nouns, sent_nouns: dict | None = None) -> tuple[list[str], list[str]]:
    """One text per actor with a layer: its roles (twice: they matter most) and evidence nouns.

    ``sent_nouns``: (review_id, sent_id) -> nouns from the token table; without it the evidence
    sentences are analysed again with Kiwi.
    """
    by_ent = {eid: g for eid, g in rels.groupby("entity_id")} if len(rels) else {}
    ids, docs = [], []
    for eid in sorted(a for a, v in assigned.items() if v.layer):
        g = by_ent.get(eid)
        words = []
        if g is not None:
            for r in g.itertuples():
                role_n = [f for f, _ in nouns.of(str(r.role))]
                if sent_nouns is not None:
                    ev = sent_nouns.get((str(r.review_id), int(r.sent_id)), [])
                else:
                    ev = [f for f, _ in nouns.of(str(r.evidence))]
                words += role_n * 2 + ev
        words.append("LAYERPRIOR_" + assigned[eid].layer) if assigned[eid].source == "prior" else None
        ids.append(eid)
        docs.append(" ".join(words) or "_")
    return ids, docs


def cluster(ids: list[str], docs: list[str], assigned: dict[str, Assignment], cfg: LayerConfig):
    """Agglomerative clustering of actors; k by the best cosine silhouette in [k_min, k_max]."""
    n = len(ids)
    if n == 0:
        return {}, {}, None, []
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
        labels = AgglomerativeClustering(n_clusters=k, metric=cfg.clustering.get("metric", "cosine"),
                                         linkage=cfg.clustering.get("linkage", "average")).fit_predict(X) \
            if k > 1 else np.zeros(n, dtype=int)
    else:  # "silhouette": the k in [k_min, k_max] with the best cosine silhouette
        best = None
        for k in range(int(cfg.clustering.get("k_min", 2)), min(int(cfg.clustering.get("k_max", 12)), n - 1) + 1):
            model = AgglomerativeClustering(n_clusters=k, metric=cfg.clustering.get("metric", "cosine"),
                                            linkage=cfg.clustering.get("linkage", "average"))
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
    feature_names = np.array(tf.get_feature_names_out())
    tops = {}
    for lab, mem in members.items():
        rows = [ids.index(m) for m in mem]
        centroid = np.asarray(T[rows].mean(axis=0)).ravel()
        top = [feature_names[j] for j in centroid.argsort()[::-1][:6] if centroid[j] > 0 and
               not feature_names[j].startswith("LAYERPRIOR_")]
        tops[cid[lab]] = top
    return {i: cid[int(lab)] for i, lab in zip(ids, labels)}, cname, tops, X


def function_vector(texts: list[str], cfg: LayerConfig) -> np.ndarray:
    names = sorted(cfg.function_cues)
    v = np.zeros(len(names))
    for t in texts:
        key = norm_key(t)
        for j, f in enumerate(names):
            v[j] += sum(1 for c in cfg.function_cues[f] if _contains(key, c))
    return v


def analogies(ents: pd.DataFrame, rels: pd.DataFrame, assigned: dict[str, Assignment], cfg: LayerConfig) -> pd.DataFrame:
    """Which AI-era actors play the role of the gold rush's tools, goods, merchants, banks and miners."""
    cols = ["gold_rush", "gold_rush_layer", "function", "ai_era", "ai_era_layer", "similarity", "evidence"]
    if not len(rels):
        return pd.DataFrame(columns=cols)
    names = dict(zip(ents["entity_id"], ents["name"]))
    roles = rels.groupby("entity_id")["role"].apply(lambda s: sorted(set(map(str, s)))).to_dict()
    eras = rels.groupby("entity_id")["era"].apply(set).to_dict()
    fnames = sorted(cfg.function_cues)
    rows = []
    gold = [e for e in sorted(roles) if assigned.get(e) and assigned[e].layer and eras[e] <= GOLD_RUSH_ERAS]
    ai = [e for e in sorted(roles) if assigned.get(e) and assigned[e].layer and not (eras[e] & GOLD_RUSH_ERAS)]
    for g in gold:
        gv = function_vector(roles[g], cfg)
        if not gv.any():
            continue
        gf = fnames[int(gv.argmax())]
        allowed_ai = set(cfg.functions.get(gf, {}).get("ai", []))
        best = []
        for a in ai:
            av = function_vector(roles[a], cfg)
            sim = float(gv @ av / (np.linalg.norm(gv) * np.linalg.norm(av))) if av.any() else 0.0
            if assigned[a].layer in allowed_ai:
                sim = 0.5 + 0.5 * sim  # the taxonomy's analogy map agrees
            if sim > 0:
                best.append((round(sim, 3), a))
        for sim, a in sorted(best, key=lambda x: (-x[0], x[1]))[:3]:
            rows.append({"gold_rush": names.get(g, g), "gold_rush_layer": assigned[g].layer, "function": gf,
                         "ai_era": names.get(a, a), "ai_era_layer": assigned[a].layer, "similarity": sim,
                         "evidence": f"{' / '.join(roles[g])} ~ {' / '.join(roles[a])}"})
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["gold_rush", "similarity", "ai_era"], ascending=[True, False, True], kind="stable")


def layers_table(ents: pd.DataFrame, rels: pd.DataFrame, clusters: dict, cname: dict, tops: dict,
                 assigned: dict, cfg: LayerConfig) -> pd.DataFrame:
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
        rows.append({"layer": layer, "layer_name": lay[layer].ko, "era": lay[layer].era, "cluster": c,
                     "n_entities": len(mem), "members": "|".join(names.get(e, e) for e in mem),
                     "top_terms": "|".join(tops.get(c, []))})
    order = {x.id: k for k, x in enumerate(cfg.layers)}
    return pd.DataFrame(rows, columns=cols).sort_values(["layer", "cluster"], key=lambda s: s.map(order) if s.name == "layer" else s, kind="stable")


def era_layer_table(rels: pd.DataFrame, ents: pd.DataFrame) -> pd.DataFrame:
    cols = ["era", "layer", "n_entities", "n_relations"]
    if not len(rels):
        return pd.DataFrame(columns=cols)
    layer = dict(zip(ents["entity_id"], ents["layer"].fillna("")))
    r = rels.assign(layer=rels["entity_id"].map(layer).fillna(""))
    r = r[r["layer"] != ""]
    g = r.groupby(["era", "layer"]).agg(n_entities=("entity_id", "nunique"), n_relations=("role", "size")).reset_index()
    return g.sort_values(["era", "layer"], kind="stable")[cols]
