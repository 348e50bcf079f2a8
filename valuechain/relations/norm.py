"""Canonical roles: the same activity said ten ways counts once (``HBM3E 납품``, ``고대역폭메모리 공급``
-> ``HBM 공급``).

A role is read as an object (the product or service, canonical names in config/roles.yaml
``objects``) and an activity (``activities``: canonical verb with the words that say it). Person
titles map to ``경영``/``창업``/... through ``title_activities``. What the vocabulary cannot read gets
an empty ``role_norm`` (the raw role stays in ``role``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _key(s: str) -> str:
    return re.sub(r"[\s·\-]", "", s).upper()


@dataclass
class RoleVocabulary:
    """activities: canonical -> words; objects: canonical -> (aliases, default activity);
    titles: title word -> canonical activity."""

    activities: dict[str, list[str]] = field(default_factory=dict)
    objects: dict[str, tuple[list[str], str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    standalone: set[str] = field(default_factory=set)  # activities that take no object (은행업, 창업)
    generic: set[str] = field(default_factory=set)  # activities that yield to a more specific one (서비스)

    def __post_init__(self) -> None:
        # longest words first, so that 위탁생산 wins over 생산 and 고대역폭메모리 over 메모리
        self._act = sorted(
            ((_key(w), a) for a, ws in self.activities.items() for w in [a, *ws]), key=lambda x: -len(x[0])
        )
        self._obj = sorted(
            ((_key(w), o) for o, (ws, _) in self.objects.items() for w in [o, *ws]), key=lambda x: -len(x[0])
        )
        self._normal: dict[tuple[str, str], tuple[str, str]] = {}  # (role, method) -> normalize()

    @classmethod
    def from_config(cls, d: dict) -> RoleVocabulary:
        objects = {}
        for name, spec in (d.get("objects") or {}).items():
            spec = spec or {}
            objects[str(name)] = (list(spec.get("aliases", [])), str(spec.get("default", "")))
        return cls(
            {str(k): list(v or []) for k, v in (d.get("activities") or {}).items()},
            objects,
            {str(k): str(v) for k, v in (d.get("title_activities") or {}).items()},
            set(d.get("standalone_activities") or []),
            set(d.get("generic_activities") or []),
        )

    def activity(self, role: str) -> str:
        """The canonical activity named last in the role (``HBM 제조`` -> 생산), a generic one
        (서비스, 운영) only when nothing more specific is named (``GPU 대여 서비스`` -> 임대)."""
        found = []
        for w in reversed(role.split()):
            k = _key(w)
            act = next((a for key, a in self._act if k.endswith(key)), "")
            if act:
                found.append(act)
        specific = [a for a in found if a not in self.generic]
        return (specific or found or [""])[0]

    def object(self, role: str) -> str:
        """The first canonical object named in the role."""
        k = _key(role)
        best = None
        for key, obj in self._obj:
            pos = k.find(key)
            if pos >= 0 and (best is None or pos < best[0]):
                best = (pos, obj)
        return best[1] if best else ""

    def title(self, role: str) -> str:
        last = role.split()[-1] if role.split() else ""
        return self.titles.get(last, "")

    def normalize(self, role: str, method: str = "") -> tuple[str, str]:
        """(role_norm, object) of a role phrase; kept per (role, method): roles recur across reviews and
        each reading scans every object and activity word."""
        got = self._normal.get((role, method))
        if got is None:
            if len(self._normal) >= 100_000:
                self._normal.clear()
            got = self._normal[(role, method)] = self._normalize(role, method)
        return got

    def _normalize(self, role: str, method: str) -> tuple[str, str]:
        if method.endswith("person_title"):
            return self.title(role), ""
        obj, act = self.object(role), self.activity(role)
        if act in self.standalone:
            return act, obj
        if obj and act:
            return f"{obj} {act}", obj
        if obj:
            return f"{obj} {self.objects[obj][1]}".strip(), obj
        return act, ""
