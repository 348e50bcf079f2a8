"""What a construction is given: the lexicon, the sentence view, the group and the discourse so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .lexicon import Lexicon
from .view import ACTORS, Sentence, T


@dataclass
class Discourse:
    """What earlier sentences leave for later ones (topics, the last person named)."""

    prev_actors: list[dict] = field(default_factory=list)
    prev_pid: int | None = None
    last_person: tuple[dict, int] | None = None  # the latest person named, and in which sentence

    def update(self, sent: Sentence, topics: list[dict]) -> None:
        persons = [m for m in sent.actors if m["label"] == "PERSON"]
        if persons:
            self.last_person = (persons[-1], sent.sid)
        self.prev_actors = topics or sent.actors
        self.prev_pid = sent.pid


@dataclass
class Ctx:
    lex: Lexicon
    sent: Sentence
    group: list[dict] = field(default_factory=list)
    discourse: Discourse | None = None

    @property
    def text(self) -> str:
        return self.sent.text

    @property
    def keys(self) -> list[str]:
        """The group's entity keys, once each, in order."""
        return list(dict.fromkeys(m["key"] for m in self.group))

    @cached_property
    def after(self) -> list[T]:
        """Tokens after the group's last member."""
        return self.sent.after(self.group[-1]["end"])

    @cached_property
    def before(self) -> list[T]:
        """Tokens before the group, seen through ``Y의`` of a non-actor name and a cleft ``...한 곳이``."""
        s = self.sent
        before = s.before(self.group[0]["start"])
        other = [(m["start"], m["end"]) for m in s.mentions if m["label"] not in ACTORS]
        while len(before) >= 2 and before[-1].text == "의" and any(a <= before[-2].start < b for a, b in other):
            before = [t for t in before[:-1] if not any(a <= t.start < b for a, b in other) or t.end < before[-2].start]
        if (
            len(before) >= 3
            and before[-1].tag in ("JKS", "JX")
            and before[-2].text in self.lex.company_nouns
            and "ETM" in before[-3].tags
        ):
            before = before[:-2]
        return before
