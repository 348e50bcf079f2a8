"""Benchmark: entity extraction time against tokenising time on the same texts (not a test).

    python -m valuechain.bench_ner [--copies 5] [--files resources/reviews/*.txt tests/fixtures/devset/reviews/*.txt]

Prints CPU seconds (process time, robust to other load on the machine) and wall seconds for
Kiwi + spaCy Doc building and for the mention recogniser, and their ratio.
"""

from __future__ import annotations

import argparse
import glob
import time

from .ingest import ingest_bytes
from .spacy_kiwi import make_nlp
from .stages.mentions import load_recognizer


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--files",
        nargs="*",
        default=sorted(glob.glob("resources/reviews/*.txt")) + sorted(glob.glob("tests/fixtures/devset/reviews/*.txt")),
    )
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--userdict", default="resources/kiwi_userdict.tsv")
    ap.add_argument("--common-nouns", action="store_true", help="also classify common-noun runs (config default: no)")
    args = ap.parse_args(argv)
    items = []
    for k in range(args.copies):
        for f in args.files:
            rv = ingest_bytes(f"{k}-{f}", open(f, "rb").read())
            items.append((rv.text, rv.spans))
    nlp = make_nlp(user_dictionary=args.userdict, num_workers=1)
    rec = load_recognizer(
        "resources/gazetteer.tsv",
        "resources/models/ner_types.npz",
        "resources/stoplist.txt",
        args.userdict,
        common_nouns=args.common_nouns,
    )
    rec(nlp.tokenizer.docs(items[:1])[0], {})  # warm up both (lazy model loading)
    c0, w0 = time.process_time(), time.perf_counter()
    docs = nlp.tokenizer.docs(items)
    c1, w1 = time.process_time(), time.perf_counter()
    n = sum(len(rec(d, {})) for d in docs)
    c2, w2 = time.process_time(), time.perf_counter()
    chars = sum(len(t) for t, _ in items)
    print(f"texts={len(items)} chars={chars} mentions={n}")
    print(f"tokenise: cpu={c1 - c0:.2f}s wall={w1 - w0:.2f}s  ({chars / max(w1 - w0, 1e-9):,.0f} chars/s)")
    print(f"entities: cpu={c2 - c1:.2f}s wall={w2 - w1:.2f}s  ({chars / max(w2 - w1, 1e-9):,.0f} chars/s)")
    print(f"entity extraction / tokenising (cpu) = {(c2 - c1) / max(c1 - c0, 1e-9):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
