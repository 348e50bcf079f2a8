"""One Kiwi per process, loaded with the project's user dictionary, used through the batch API."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from kiwipiepy import Kiwi


@functools.lru_cache(maxsize=4)
def get_kiwi(model_type: str = "cong", user_dictionary: str | None = None, num_workers: int = 1) -> Kiwi:
    """Build (once per process and settings) a Kiwi; the batch API needs ``num_workers`` >= 1."""
    kiwi = Kiwi(num_workers=max(1, num_workers), model_type=model_type)
    if user_dictionary:
        path = Path(user_dictionary)
        if not path.exists():
            raise FileNotFoundError(f"Kiwi user dictionary not found: {path}")
        kiwi.load_user_dictionary(str(path))
    return kiwi


class Morph(NamedTuple):
    """One Kiwi morpheme (a tuple: half the cost of a frozen dataclass to build, ~2k per review)."""

    form: str
    tag: str
    start: int  # absolute character offsets into the review text
    end: int


@dataclass
class Sentence:
    start: int
    end: int
    para_id: int
    section: str  # title | subtitle | body | text
    morphs: list[Morph]


def paragraphs(text: str, spans) -> list[tuple[int, int, int, str]]:
    """(start, end, para_id, section) for each non-blank line inside the analysed spans."""
    out = []
    pid = 0
    for sp in spans:
        pos = sp.start
        for line in text[sp.start : sp.end].split("\n"):
            s, e = pos, pos + len(line)
            pos = e + 1
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                out.append((s, e, pid, sp.label))
                pid += 1
    return out


HEADING_SECTIONS = ("title", "subtitle")


def analyse_texts(kiwi: Kiwi, items: list[tuple[str, list]]) -> list[list[Sentence]]:
    """Sentences with morphemes for each (text, spans) item, in one batched Kiwi call."""
    jobs = []  # (item index, para start, para_id, section)
    chunks = []
    for idx, (text, spans) in enumerate(items):
        for s, e, pid, sec in paragraphs(text, spans):
            jobs.append((idx, s, pid, sec))
            chunks.append(text[s:e])
    out: list[list[Sentence]] = [[] for _ in items]
    results = kiwi.tokenize(chunks, split_sents=True) if chunks else []
    for (idx, base, pid, sec), sents in zip(jobs, results):
        if sec in HEADING_SECTIONS and len(sents) > 1:  # a title line is one unit, whatever Kiwi splits
            sents = [[t for s in sents for t in s]]
        for sent in sents:
            morphs = [Morph(t.form, t.tag, base + t.start, base + t.start + t.len) for t in sent]
            if not morphs:
                continue
            out[idx].append(Sentence(morphs[0].start, max(m.end for m in morphs), pid, sec, morphs))
    return out
