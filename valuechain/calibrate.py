"""Calibrate construction confidences on gold annotations: how often each method's rows are right.

    python -m valuechain.calibrate --tables DEVRUN/results/tables --gold tests/fixtures/devset/gold \
        [--tables DEV2RUN/results/tables --gold tests/fixtures/devset2/gold ...] --out config/confidence.yaml

A relation row is right when the evaluation contract would count it (its entity matches a gold
actor whose gold role keywords appear in the role); a link row is right when it finds a gold link
(same two entities, same family). The confidence of a method is its smoothed precision
(right + 1) / (rows + 2), so a method seen a few times stays near 0.5. The extractor reads the file
(config relations.confidence) and gives every row its method's confidence. The matching helpers come
from the evaluation kit's scorer (``--scorer``, default ../shared/eval/score.py).
"""

from __future__ import annotations

import argparse
import importlib.util
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from .yaml_files import read_yaml


def load_scorer(path: str | Path):
    spec = importlib.util.spec_from_file_location("valuechain_eval_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def entity_links(sc, gold: dict, mentions: list[dict], ents: dict) -> dict[str, str]:
    """Predicted entity id -> gold id, as the scorer matches names."""
    rid = gold["review_id"]
    by_name = {}
    for e in gold.get("entities", []):
        for n in e["names"]:
            by_name.setdefault(sc.norm(n), e["id"])
    names: dict[str, set] = defaultdict(set)
    for m in mentions:
        if m.get("review_id") == rid:
            names[m.get("entity_id") or m.get("text", "")].add(sc.norm(m.get("text", "")))
    for eid in names:
        e = ents.get(eid)
        if e:
            names[eid].add(sc.norm(e.get("name", "")))
            names[eid].update(sc.norm(a) for a in sc.split_aliases(e.get("aliases", "")))
    out = {}
    for eid, ns in names.items():
        hits = [by_name[n] for n in ns if n in by_name]
        if hits:
            out[eid] = Counter(hits).most_common(1)[0][0]
    return out


def relation_hits(sc, gold: dict, link: dict, rows: list[dict]) -> list[tuple[str, bool]]:
    """(method, right?) of each relation row of the review."""
    roles = defaultdict(list)
    for r in gold.get("relations", []):
        roles[r["entity"]].append([sc.norm(k) for k in r["role"]])
    out = []
    for r in rows:
        gid, role = link.get(r["entity_id"]), sc.norm(r["role"])
        out.append((r["method"], any(any(k in role for k in kws) for kws in roles.get(gid, []))))
    return out


def link_hits(sc, gold: dict, link: dict, rows: list[dict]) -> list[tuple[str, bool]]:
    """(method, right?) of each link row of the review."""
    keys = set()
    for g in gold.get("links", []):
        fam = sc.FAMILY[g["type"]]
        for t in g["target"] if isinstance(g["target"], list) else [g["target"]]:
            keys.add((g["source"], fam, t))
            if g["type"] in sc.SYMMETRIC:
                keys.add((t, fam, g["source"]))
    return [
        (r["method"], (link.get(r["source"]), sc.FAMILY.get(r["type"]), link.get(r["target"])) in keys) for r in rows
    ]


def row_hits(tables: Path, gold_dir: Path, sc) -> list[tuple[str, float, bool]]:
    """(method, confidence, right?) of every relation and link row of the gold reviews."""
    ments = sc.read_csv(tables / "mentions.csv")
    ents = {e["entity_id"]: e for e in sc.read_csv(tables / "entities.csv")}
    rels, links = sc.read_csv(tables / "relations.csv"), sc.read_csv(tables / "links.csv")
    out = []
    for path in sorted(gold_dir.glob("*.yaml")):
        gold = read_yaml(path)
        rid = gold["review_id"]
        link = entity_links(sc, gold, ments, ents)
        for rows, judge in ((rels, relation_hits), (links, link_hits)):
            mine = [r for r in rows if r["review_id"] == rid]
            out += [(m, float(r["confidence"]), ok) for r, (m, ok) in zip(mine, judge(sc, gold, link, mine))]
    return out


def method_precision(hits: list[tuple[str, float, bool]]) -> dict[str, tuple[int, int]]:
    """method -> (right rows, rows)."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for method, _, ok in hits:
        tally[method][0] += int(ok)
        tally[method][1] += 1
    return {m: (good, n) for m, (good, n) in sorted(tally.items())}


def precision_above(hits: list[tuple[str, float, bool]], threshold: float) -> tuple[int, int]:
    """(right rows, rows) among the rows whose confidence is at least ``threshold``."""
    kept = [ok for _, c, ok in hits if c >= threshold]
    return sum(kept), len(kept)


def calibrated(stats: dict[str, tuple[int, int]]) -> dict[str, float]:
    return {m: round((good + 1) / (n + 2), 2) for m, (good, n) in stats.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tables", required=True, type=Path, action="append", help="results/tables of a run (repeatable)")
    ap.add_argument("--gold", required=True, type=Path, action="append", help="its gold folder (one per --tables)")
    ap.add_argument("--scorer", default="../shared/eval/score.py")
    ap.add_argument("--out", type=Path, help="write method -> confidence here (YAML)")
    args = ap.parse_args(argv)
    if len(args.tables) != len(args.gold):
        ap.error("give one --gold per --tables")
    sc = load_scorer(args.scorer)
    hits = [h for t, g in zip(args.tables, args.gold) for h in row_hits(t, g, sc)]
    stats = method_precision(hits)
    conf = calibrated(stats)
    for m, (good, n) in stats.items():
        print(f"{m:36s} {good:4d}/{n:<4d} precision {good / n:.2f}  confidence {conf[m]:.2f}")
    for t in (0.5, 0.7, 0.8):
        good, n = precision_above(hits, t)
        print(f"rows with confidence >= {t}: {good}/{n} right ({good / max(n, 1):.2f})")
    if args.out:
        header = (
            "# Confidence of each construction (method), calibrated by python -m valuechain.calibrate on the dev\n"
            f"# sets ({', '.join(map(str, args.gold))}): smoothed precision (right + 1) / (rows + 2). Read by the\n"
            "# extractor.\n"
        )
        body = {m: {"confidence": conf[m], "right": good, "rows": n} for m, (good, n) in stats.items()}
        args.out.write_text(header + yaml.safe_dump(body, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
