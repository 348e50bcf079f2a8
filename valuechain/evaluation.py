"""Run the evaluation kit's scorer (if present) and keep its figures with the results."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def parse_summary(line: str) -> dict[str, float]:
    """``actor_f1=0.9 relation_f1=...`` -> {"actor_f1": 0.9, ...}."""
    out = {}
    for part in line.split():
        k, _, v = part.partition("=")
        try:
            out[k] = float(v)
        except ValueError:
            continue
    return out


def run_scorer(scorer: str, gold: str, tables: str) -> dict:
    if not Path(scorer).is_file() or not Path(gold).is_dir():
        return {"status": "skipped", "reason": f"no scorer at {scorer} or no gold folder at {gold}"}
    reviews = sorted(p.stem for p in Path(gold).glob("*.yaml"))
    proc = subprocess.run(
        [sys.executable, scorer, "--tables", tables, "--gold", gold, "--json"], capture_output=True, text=True
    )
    if proc.returncode != 0:
        log.warning("scorer failed: %s", proc.stderr[-2000:])
        return {"status": "failed", "reason": proc.stderr[-2000:]}
    lines = proc.stdout.rstrip("\n").split("\n")
    detail = json.loads("\n".join(lines[:-1]))
    return {
        "status": "ok",
        "gold_reviews": reviews,
        "summary": parse_summary(lines[-1]),
        "totals": detail.get("totals", {}),
        "reviews": detail.get("reviews", []),
    }
