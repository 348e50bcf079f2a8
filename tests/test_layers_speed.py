"""The vectorised layers code gives exactly what the plain loops it replaced gave.

The reference functions below are the loops of the earlier valuechain/layers.py (per-relation
itertuples, a regex TF-IDF count, a function vector per gold-rush x AI-era pair); the tables the
stage writes must stay byte-identical, so the comparisons are exact (floats included).
"""

import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT
from sklearn.feature_extraction.text import TfidfVectorizer

from valuechain.gazetteer import load_gazetteer, norm_key
from valuechain.kiwi_backend import get_kiwi
from valuechain.layers import (
    ACTORS,
    GOLD_RUSH_ERAS,
    NOUN_TAGS,
    Assignment,
    LayerConfig,
    LayerScorer,
    Nouns,
    _tfidf_class,
    actor_documents,
    analogies,
    assign_layers,
    sentence_noun_texts,
    sentence_nouns,
)

ROLES = [
    "AI 반도체 설계",
    "HBM 제조",
    "GPU 대여 서비스",
    "AI서버 조립",
    "3나노 파운드리 위탁생산",
    "청바지",
    "현금 보관→은행",
    "금광 채굴",
    "삽·곡괭이 도매",
    "GPU 공급",
    "기자",
    "클라우드 임대",
    "투자",
    "LLM 개발",
    "챗봇 앱",
    "",
    "데이터센터 전력",
]
ERAS = ["ai_boom", "gold_rush", "deep_learning", "gilded_age", "computing"]


@pytest.fixture(scope="module")
def scorer():
    cfg = LayerConfig.load(ROOT / "config/taxonomy.yaml", ROOT / "config/layers.yaml")
    nouns = Nouns(get_kiwi("cong", str(ROOT / "resources/kiwi_userdict.tsv"), 1))
    return LayerScorer(cfg, load_gazetteer(ROOT / "resources/gazetteer.tsv"), nouns)


# ---------------------------------------------------------------- the earlier implementations


def ref_assign_layers(ents, rels, scorer):
    from collections import defaultdict

    cfg = scorer.cfg
    out = {}
    by_ent = {eid: g for eid, g in rels.groupby("entity_id")} if len(rels) else {}
    for e in ents.itertuples():
        if e.label not in ACTORS:
            continue
        g = by_ent.get(e.entity_id)
        prior = e.gazetteer_layer if isinstance(e.gazetteer_layer, str) else ""
        if g is None or not len(g):
            if prior:
                out[e.entity_id] = Assignment(prior, cfg.prior_only_confidence, {prior: cfg.weights["prior"]}, "prior")
            continue
        total = defaultdict(float)
        weights = [float(getattr(r, "confidence", 1.0) or 1.0) for r in g.itertuples()]
        wsum = 0.0
        for w in weights:  # left to right like the code (the builtin sum() compensates since Python 3.12)
            wsum += w
        for r, w in zip(g.itertuples(), weights):
            for k, v in scorer.role_scores(str(r.role), str(r.evidence)).items():
                total[k] += v * w / wsum
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


def ref_actor_documents(rels, assigned, nouns, sent_nouns):
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
        if assigned[eid].source == "prior":
            words.append("LAYERPRIOR_" + assigned[eid].layer)
        ids.append(eid)
        docs.append(" ".join(words) or "_")
    return ids, docs


def ref_function_vector(texts, cfg):
    names = sorted(cfg.function_cues)
    v = np.zeros(len(names))
    for t in texts:
        key = norm_key(t)
        for j, f in enumerate(names):
            v[j] += sum(1 for c in cfg.function_cues[f] if norm_key(c) and norm_key(c) in key)
    return v


def ref_analogies(ents, rels, assigned, cfg):
    cols = ["gold_rush", "gold_rush_layer", "function", "ai_era", "ai_era_layer", "similarity", "evidence"]
    names = dict(zip(ents["entity_id"], ents["name"]))
    roles = rels.groupby("entity_id")["role"].apply(lambda s: sorted(set(map(str, s)))).to_dict()
    eras = rels.groupby("entity_id")["era"].apply(set).to_dict()
    fnames = sorted(cfg.function_cues)
    rows = []
    gold = [e for e in sorted(roles) if assigned.get(e) and assigned[e].layer and eras[e] <= GOLD_RUSH_ERAS]
    ai = [e for e in sorted(roles) if assigned.get(e) and assigned[e].layer and not (eras[e] & GOLD_RUSH_ERAS)]
    for g in gold:
        gv = ref_function_vector(roles[g], cfg)
        if not gv.any():
            continue
        gf = fnames[int(gv.argmax())]
        allowed_ai = set(cfg.functions.get(gf, {}).get("ai", []))
        best = []
        for a in ai:
            av = ref_function_vector(roles[a], cfg)
            sim = float(gv @ av / (np.linalg.norm(gv) * np.linalg.norm(av))) if av.any() else 0.0
            if assigned[a].layer in allowed_ai:
                sim = 0.5 + 0.5 * sim
            if sim > 0:
                best.append((round(sim, 3), a))
        for sim, a in sorted(best, key=lambda x: (-x[0], x[1]))[:3]:
            rows.append(
                {
                    "gold_rush": names.get(g, g),
                    "gold_rush_layer": assigned[g].layer,
                    "function": gf,
                    "ai_era": names.get(a, a),
                    "ai_era_layer": assigned[a].layer,
                    "similarity": sim,
                    "evidence": f"{' / '.join(roles[g])} ~ {' / '.join(roles[a])}",
                }
            )
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["gold_rush", "similarity", "ai_era"], ascending=[True, False, True], kind="stable")


def ref_sentence_nouns(tokens):
    t = tokens[tokens["tag"].isin(NOUN_TAGS)]
    t = t[(t["tag"] == "SL") | (t["form"].str.len() > 1)]
    return {(rid, int(sid)): list(g) for (rid, sid), g in t.groupby(["review_id", "sent_id"], sort=False)["form"]}


# ---------------------------------------------------------------- random corpora


def corpus(seed: int, n_ents: int = 60, n_rels: int = 400):
    rng = random.Random(seed)
    layers = ["", "", "chip_design", "memory", "supplies_trade", "finance_transport", "gold_prospecting"]
    ents = pd.DataFrame(
        [
            (f"e{i:03d}", f"이름{i % 17}", rng.choice(["ORG", "ORG", "PERSON", "LOC"]), rng.choice(layers))
            for i in range(n_ents)
        ],
        columns=["entity_id", "name", "label", "gazetteer_layer"],
    )
    eras = {f"e{i:03d}": rng.sample(ERAS, rng.choice([1, 1, 2])) for i in range(n_ents)}
    rows = []
    for _ in range(n_rels):
        eid = f"e{rng.randrange(n_ents - 5):03d}"  # the last five have no relation
        rows.append(
            (
                f"r{rng.randrange(30):02d}",
                eid,
                rng.choice(ROLES),
                rng.choice(eras[eid]),
                rng.randrange(6),
                rng.choice([0.85, 0.8, 0.6, 0.0, 1.0, 0.55, 0.7]),
                rng.choice(["", "엔비디아는 GPU를 공급한다", "청바지를 팔았다"]),
            )
        )
    rels = pd.DataFrame(rows, columns=["review_id", "entity_id", "role", "era", "sent_id", "confidence", "evidence"])
    rels = rels.sort_values(["entity_id", "review_id", "sent_id", "role"], kind="stable", ignore_index=True)
    return ents, rels


def tokens(seed: int, n: int = 3000):
    rng = random.Random(seed)
    forms = ["반도체", "칩", "GPU", "A", "금", "광산", "엔비디아", "삽", "은행", "데이터센터", "x"]
    tags = ["NNG", "NNP", "SL", "JKS", "VV", "NNB", "NNG"]
    rows = [(f"r{rng.randrange(32):02d}", rng.randrange(8), i, rng.choice(forms), rng.choice(tags)) for i in range(n)]
    return pd.DataFrame(rows, columns=["review_id", "sent_id", "token_id", "form", "tag"])


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_assign_layers_matches_the_relation_loop_exactly(scorer, seed):
    ents, rels = corpus(seed)
    got = assign_layers(ents.sort_values("entity_id"), rels, scorer)
    want = ref_assign_layers(ents.sort_values("entity_id"), rels, scorer)
    assert got == want  # same layers, confidences and every score float


def test_assign_layers_with_context_weight_matches(scorer):
    ents, rels = corpus(3, n_rels=120)
    old = scorer.cfg.weights["context"]
    scorer.cfg.weights["context"] = 0.5
    try:
        assert assign_layers(ents, rels, scorer) == ref_assign_layers(ents, rels, scorer)
    finally:
        scorer.cfg.weights["context"] = old


@pytest.mark.parametrize("seed", [0, 1])
def test_actor_documents_match(scorer, seed):
    ents, rels = corpus(seed)
    tok = tokens(seed)
    sent = ref_sentence_nouns(tok)
    assigned = assign_layers(ents, rels, scorer)
    want = ref_actor_documents(rels, assigned, scorer.nouns, sent)
    assert actor_documents(ents, rels, assigned, scorer.nouns, sent) == want
    joined = {k: " ".join(v) for k, v in sent.items()}
    assert actor_documents(ents, rels, assigned, scorer.nouns, joined) == want
    assert actor_documents(ents, rels, assigned, scorer.nouns) == ref_actor_documents(
        rels, assigned, scorer.nouns, None
    )


def test_sentence_nouns_match(tmp_path):
    tok = tokens(5)
    assert sentence_nouns(tok) == ref_sentence_nouns(tok)
    path = tmp_path / "tokens.parquet"
    pq.write_table(pa.Table.from_pandas(tok, preserve_index=False), path, row_group_size=700)
    wanted = [("r03", 1), ("r03", 2), ("r07", 0), ("r31", 7), ("r99", 1), ("r03", 1)]
    want = {k: " ".join(v) for k, v in ref_sentence_nouns(tok).items() if k in set(wanted)}
    for batch_size in (97, 1 << 20):
        got = sentence_noun_texts(path, [r for r, _ in wanted], [s for _, s in wanted], batch_size=batch_size)
        assert got == want


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_tfidf_counts_match_scikit_learn(seed):
    rng = random.Random(seed)
    words = ["반도체", "칩", "GPU", "금", "A", "B_c", "LAYERPRIOR_memory", "x", "삽", "은행", "Ä", "tab\tx"]
    docs = []
    for _ in range(40):
        docs.append(" ".join(rng.choice(words + [""]) for _ in range(rng.randrange(0, 30))) or "_")
    docs.append("  leading and  double  spaces ")
    kw = {"token_pattern": r"[^ ]+", "lowercase": False, "sublinear_tf": True}
    a = _tfidf_class()(**kw)
    b = TfidfVectorizer(**kw)
    A, B = a.fit_transform(docs), b.fit_transform(docs)
    assert a.vocabulary_ == b.vocabulary_
    for attr in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(A, attr), getattr(B, attr))
    assert A.data.dtype == B.data.dtype and A.indices.dtype == B.indices.dtype


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_analogies_match(scorer, seed):
    ents, rels = corpus(seed, n_ents=80, n_rels=600)
    assigned = assign_layers(ents, rels, scorer)
    got = analogies(ents, rels, assigned, scorer.cfg)
    want = ref_analogies(ents, rels, assigned, scorer.cfg)
    assert len(want)
    assert got.to_csv(index=False) == want.to_csv(index=False)
