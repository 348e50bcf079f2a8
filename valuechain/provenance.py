"""Provenance written next to the results: versions, config hash, input and resource hashes.

No timestamps or host names: the same inputs and config give a byte-identical file.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

PACKAGES = [
    "valuechain",
    "kiwipiepy",
    "kiwipiepy_model",
    "spacy",
    "pandas",
    "pyarrow",
    "numpy",
    "scikit-learn",
    "snakemake",
    "charset-normalizer",
    "beautifulsoup4",
    "PyYAML",
    "jsonschema",
]


def canonical_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def versions() -> dict:
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = None
    return out


def kiwi_model_info(model_type: str) -> dict:
    import kiwipiepy_model

    return {"model_type": model_type, "kiwipiepy_model": getattr(kiwipiepy_model, "__version__", None)}


def build(config: dict, reviews: list[dict], resources: list[str]) -> dict:
    cfg = canonical_json(config)
    return {
        "versions": versions(),
        "kiwi": kiwi_model_info(config.get("kiwi", {}).get("model_type", "cong")),
        "config": config,
        "config_sha256": hashlib.sha256(cfg.encode("utf-8")).hexdigest(),
        "inputs": sorted(reviews, key=lambda r: r["file"]),
        "resources": {str(p): sha256_file(p) for p in sorted(resources) if Path(p).exists()},
    }
