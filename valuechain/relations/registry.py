"""Constructions as small registered functions, run in the order configuration lists them.

A construction reads one Korean shape and proposes roles (or links). Registering it names it,
gives its confidence and says what it reads (``scope``):

- ``group``: a group of coordinated actors in a sentence (``Ctx`` with ``group``); returns a list
  of ``Found`` proposals for the group's members.
- ``slot``: like ``group``, but competes for the group's clause role (the clause before the group,
  the one after it, or one that overrides the latter); ``roles.assign_slots`` picks per group.
- ``fallback``: a slot construction run only when no ``slot`` construction found a role.
- ``sentence``: a whole sentence with the discourse so far (pronouns, zero subjects).
- ``link``: a sentence; returns ``FoundLink`` proposals between two entities.
- ``derived``: the review's links (and sentences by id); returns ``(sent_id, Found)`` roles.

Like a spaCy pipeline, which constructions run is configuration (``relations.constructions`` in
config/config.yaml); unknown names are an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

SCOPES = ("group", "slot", "fallback", "sentence", "link", "derived")


@dataclass(frozen=True)
class Construction:
    name: str
    scope: str
    confidence: float
    func: Callable
    doc: str = ""


@dataclass
class Found:
    """A proposed role: for these entity keys, this role.

    ``method`` and ``confidence`` default to the construction's name and registered confidence (a
    construction reading several variants names them). ``slot`` (slot constructions only): before |
    after | override.
    """

    keys: list[str]
    role: str
    method: str = ""
    confidence: float | None = None
    slot: str = ""


@dataclass
class FoundLink:
    """A proposed link ``source -type-> target`` carrying ``object``."""

    source: str
    type: str
    target: str
    object: str = ""
    method: str = ""
    confidence: float | None = None
    extra: dict = field(default_factory=dict)


REGISTRY: dict[str, Construction] = {}


def construction(name: str, scope: str, confidence: float) -> Callable[[Callable], Callable]:
    """Register ``func`` as construction ``name`` (its docstring shows the Korean shape it reads)."""
    if scope not in SCOPES:
        raise ValueError(f"construction {name}: scope {scope!r} is not one of {SCOPES}")

    def deco(func: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"construction {name!r} is registered twice")
        REGISTRY[name] = Construction(name, scope, confidence, func, (func.__doc__ or "").strip())
        return func

    return deco


def resolve(names: list[str]) -> list[Construction]:
    """The constructions of ``names`` in that order (an unknown name is an error naming the known ones)."""
    from . import constructions  # noqa: F401  (registers them)

    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown relation construction(s) {unknown}; known: {sorted(REGISTRY)}")
    return [REGISTRY[n] for n in names]
