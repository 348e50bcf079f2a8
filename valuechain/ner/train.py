"""Train the candidate type classifier on KLUE-NER (CC BY-SA 4.0) and report held-out scores.

    python -m valuechain.ner.train --klue ../shared/external/klue/klue-ner-v1.1_dev.tsv

The KLUE-NER dev split is the only labelled Korean NER data available offline here. Sentences with
index >= ``--split`` (default 2500) train the model; sentences before it are held out, so that
``klue_ner.py score --limit 2500`` measures data the model never saw. The written model
(resources/models/ner_types.npz) is derived from KLUE and therefore licensed CC BY-SA 4.0
(resources/models/LICENSE). Deterministic: fixed seed, sorted features, liblinear-free solver.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from ..kiwi_backend import get_kiwi
from ..spacy_kiwi import analysed_sentences, make_nlp
from .candidates import features
from .model import CongSims, TypeModel, decode, export_npz, sentence_candidates

KLUE_MAP = {"OG": "ORG", "PS": "PERSON", "LC": "LOC"}


def load_klue(path: str | Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """(sentence, [(start, end, KLUE type)]) from the character-BIO file."""
    sents, chars, tags = [], [], []

    def flush():
        text = "".join(chars)
        spans, start, typ = [], None, None
        for i, t in enumerate(tags + ["O"]):
            if t.startswith("B-") or t == "O" or (t.startswith("I-") and t[2:] != typ):
                if start is not None:
                    spans.append((start, i, typ))
                    start, typ = None, None
                if t[:2] in ("B-", "I-"):
                    start, typ = i, t[2:]
        sents.append((text, spans))

    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if line.startswith("##"):
            continue
        if not line.strip("\n"):
            if chars:
                flush()
                chars, tags = [], []
            continue
        ch, _, tag = line.rpartition("\t")
        chars.append(ch if ch else " ")
        tags.append(tag)
    if chars:
        flush()
    return sents


def examples(nlp, sims, sents):
    """Features and labels of every candidate of every sentence; also the per-sentence candidates."""
    docs = nlp.tokenizer.docs([(t.replace("\n", " "), None) for t, _ in sents])
    X, y, per_sent = [], [], []
    for doc, (_, gold) in zip(docs, sents):
        gold_map = {(s, e): KLUE_MAP.get(t, "NONE") for s, e, t in gold}
        sent_cands = []
        for _, span, _, _ in analysed_sentences(doc):
            eojs, cands = sentence_candidates(span)
            for c in cands:
                X.append(features(c, eojs, doc.text, sims(c.toks[-1].text, c.toks[-1].tag), known=sims.known))
                y.append(gold_map.get((c.start, c.end), "NONE"))
            sent_cands.append((eojs, cands))
        per_sent.append((doc, sent_cands))
    return X, y, per_sent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--klue", required=True)
    ap.add_argument("--split", type=int, default=2500)
    ap.add_argument("--out", default="resources/models/ner_types.npz")
    ap.add_argument("--userdict", default="resources/kiwi_userdict.tsv")
    ap.add_argument("--C", type=float, default=0.5)
    ap.add_argument("--threshold", type=float, default=0.5, help="min P(name) reported as the held-out score")
    args = ap.parse_args(argv)
    t0 = time.time()
    sents = load_klue(args.klue)
    nlp = make_nlp(user_dictionary=args.userdict, num_workers=2)
    sims = CongSims(get_kiwi("cong", args.userdict or None, 2))
    held, train = sents[: args.split], sents[args.split :]
    Xtr, ytr, _ = examples(nlp, sims, train)
    Xte, yte, te_sents = examples(nlp, sims, held)
    pipe = make_pipeline(DictVectorizer(sort=True), LogisticRegression(C=args.C, max_iter=2000, random_state=0))
    pipe.fit(Xtr, ytr)
    model = TypeModel(dict(pipe[0].vocabulary_), pipe[-1].coef_, pipe[-1].intercept_, list(pipe[-1].classes_), {})
    cand_acc = float((pipe.predict(Xte) == __import__("numpy").array(yte)).mean())
    # span-level evaluation on the held-out sentences (exact span + type, ORG/PERSON)
    ngold = sum(1 for _, g in held for _, _, t in g if t in ("OG", "PS"))
    scored = [[model.score(cands, eojs, doc.text, sims) for eojs, cands in sc] for doc, sc in te_sents]
    curve = {}
    for thr in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        tp = npred = 0
        for per_sent, (_, gold) in zip(scored, held):
            gold_set = {(s, e, KLUE_MAP[t]) for s, e, t in gold if t in ("OG", "PS")}
            for sc in per_sent:
                for s in decode(sc, thr):
                    if s.label in ("ORG", "PERSON"):
                        npred += 1
                        tp += (s.cand.start, s.cand.end, s.label) in gold_set
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        curve[thr] = (round(p, 4), round(r, 4), round(2 * p * r / (p + r) if p + r else 0.0, 4))
    print("threshold -> (P, R, F1):", curve)
    p, r, f1 = curve[args.threshold]
    recall_bound = sum(1 for yy in yte if yy in ("ORG", "PERSON")) / ngold if ngold else 0.0
    meta = {
        "trained_on": f"KLUE-NER v1.1 dev sentences {args.split}..{len(sents) - 1} ({len(train)} sentences)",
        "held_out": f"sentences 0..{args.split - 1} ({len(held)} sentences)",
        "licence": "CC BY-SA 4.0 (derived from KLUE-NER, Park et al. 2021, arXiv:2105.09680)",
        "n_train_candidates": len(ytr),
        "n_features": len(pipe[0].vocabulary_),
        "heldout_candidate_accuracy": round(cand_acc, 4),
        "heldout_actor_p": round(p, 4),
        "heldout_actor_r": round(r, 4),
        "heldout_actor_f1": round(f1, 4),
        "heldout_candidate_recall_bound": round(recall_bound, 4),
        "threshold": args.threshold,
        "C": args.C,
        "seconds": round(time.time() - t0, 1),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    export_npz(pipe, out)
    out.with_suffix(".json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(json.dumps(meta, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
