"""``valuechain extract IN.txt -o OUT.jsonl``: mentions of each line of a text file (one document a line).

One JSON object per mention: {"doc", "start", "end", "text", "label", "entity_id"}, offsets within
the line. This is the interface ../shared/eval/klue_ner.py scores.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .entities import merge_new_keys
from .gazetteer import load_gazetteer
from .ingest import Span
from .spacy_kiwi import make_nlp
from .stages.mentions import load_recognizer
from .yaml_files import read_yaml

BATCH = 256


def extract_lines(inp: str, out: str, config_path: str = "config/config.yaml") -> int:
    cfg = read_yaml(config_path) if Path(config_path).exists() else {}
    kiwi = cfg.get("kiwi", {})
    ner = cfg.get("ner", {})
    userdict = kiwi.get("user_dictionary", "resources/kiwi_userdict.tsv")
    gazetteer = cfg.get("gazetteer", "resources/gazetteer.tsv")
    model_type = kiwi.get("model_type", "cong")
    rec = load_recognizer(
        gazetteer,
        ner.get("model", "resources/models/ner_types.npz"),
        ner.get("stoplist", "resources/stoplist.txt"),
        userdict,
        model_type,
        2,
        float(ner.get("min_prob", 0.35)),
        bool(ner.get("common_noun_candidates", False)),
        ner.get("rules"),
    )
    gaz = load_gazetteer(gazetteer)
    nlp = make_nlp(model_type, userdict, 2)
    lines = Path(inp).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    fh = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")
    n = 0
    try:
        for b in range(0, len(lines), BATCH):
            chunk = lines[b : b + BATCH]
            docs = nlp.tokenizer.docs([(t, [Span("text", 0, len(t))]) for t in chunk])
            for i, (_line, doc) in enumerate(zip(chunk, docs)):
                ms = rec(doc, {})
                keymap = merge_new_keys(sorted({m.key for m in ms}), gaz)
                for m in ms:
                    fh.write(
                        json.dumps(
                            {
                                "doc": b + i,
                                "start": m.start,
                                "end": m.end,
                                "text": m.text,
                                "label": m.label,
                                "entity_id": keymap.get(m.key, m.key),
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
                    n += 1
    finally:
        if fh is not sys.stdout:
            fh.close()
    print(f"{n} mentions from {len(lines)} lines", file=sys.stderr)
    return 0
