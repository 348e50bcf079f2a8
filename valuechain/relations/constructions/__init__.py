"""The registered constructions, one module per family (importing registers them)."""

from . import (  # noqa: F401
    coordination,
    founder,
    genitive,
    parenthetical,
    predicate,
    relative,
    titles,
    topics,
)
