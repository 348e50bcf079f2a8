"""Reading the project's YAML files: safe, and with libyaml's parser when PyYAML was built with it.

Every job reads several config files (roles, links, taxonomy, eras, ...); the pure-Python parser
spends ~0.4 s on them per process, libyaml ~0.08 s. Both use the same safe constructors and
resolvers, so the loaded values are the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Safely parse YAML text (libyaml when available)."""
    return yaml.load(text, Loader=SafeLoader)


def read_yaml(path: str | Path) -> Any:
    """Safely parse a UTF-8 YAML file (libyaml when available)."""
    return parse_yaml(Path(path).read_text(encoding="utf-8"))
