"""The registered constructions, one module per family (importing registers them)."""

from . import (  # noqa: F401
    coordination,
    descriptor,
    founder,
    from_links,
    genitive,
    links_capital,
    links_make,
    links_market,
    links_people,
    links_supply,
    parenthetical,
    predicate,
    relative,
    titles,
    topics,
)
