"""Conventions of the project's spaCy Docs, usable without importing spaCy (0.8 s) in table-only jobs."""

from __future__ import annotations

import bisect
import weakref
from typing import NamedTuple

SKIP_TAG = "SKIP"  # text outside the analysed spans (platform line, byline, keyword block, ...)
SPACE_TAG = "_SP"


def analysed_sentences(doc):
    """(sent_id, Span, para_id, section) for the analysed sentences, in text order."""
    for i, (s, e, pid, sec) in enumerate(doc.user_data.get("sentences", [])):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            yield i, span, pid, sec


class DocTokens(NamedTuple):
    """A Doc's text, analysed tokens and analysed sentences as plain tuples.

    ``toks``: (doc index, form, tag, lemma, start, end) of each token that is neither space nor
    skipped text. ``sents``: (sent_id, first, past, start_char, end_char, para_id, section) of each
    sentence of :func:`analysed_sentences`, whose analysed tokens are ``toks[first:past]``.
    """

    text: str
    toks: list[tuple[int, str, str, str, int, int]]
    sents: list[tuple[int, int, int, int, int, int, str]]
    n: int  # len(doc) when read


# one reading per Doc object (dropped with the Doc); a Doc is not hashable by content, only by identity
_READ: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def doc_tokens(doc) -> DocTokens:
    """The Doc read once through its arrays, for the token table, the recogniser and the relation
    extractor alike: each of them iterated the spaCy tokens (a Token object per access), rebuilt
    ``Doc.text`` and cut sentence spans again, ~1/4 of the CPU outside Kiwi and the models."""
    got = _READ.get(doc)
    if got is not None and got.n == len(doc):
        return got
    got = _read(doc)
    _READ[doc] = got
    return got


def remember_tokens(doc, text: str, words: list[str], spaces: list[bool], tags: list[str], lemmas: list[str]) -> None:
    """Fill :func:`doc_tokens` from the lists a Doc was just built from (valuechain.spacy_kiwi.build_doc):
    the same tuples as reading the Doc's arrays, without a second pass through spaCy."""
    toks, index, pos = [], [], 0
    for i, (w, tag, lemma) in enumerate(zip(words, tags, lemmas)):
        end = pos + len(w)
        if tag != SPACE_TAG and tag != SKIP_TAG:
            toks.append((i, w, tag, lemma, pos, end))
            index.append(i)
        pos = end + 1 if spaces[i] else end
    if pos != len(text) or "".join([w + " " if sp else w for w, sp in zip(words, spaces)]) != text:
        return  # not the Doc's text: read the Doc itself when asked
    _READ[doc] = DocTokens(text, toks, _sentences(doc, index), len(doc))


def _read(doc) -> DocTokens:
    from spacy.attrs import IDX, LEMMA, LENGTH, TAG

    text, strings = doc.text, doc.vocab.strings
    names: dict[int, str] = {}
    toks, index = [], []
    for i, (idx, n, tag, lemma) in enumerate(doc.to_array([IDX, LENGTH, TAG, LEMMA]).tolist()):
        t = names.get(tag)
        if t is None:
            t = names[tag] = strings[tag]
        if t == SPACE_TAG or t == SKIP_TAG:
            continue
        lem = names.get(lemma)
        if lem is None:
            lem = names[lemma] = strings[lemma]
        toks.append((i, text[idx : idx + n], t, lem, idx, idx + n))
        index.append(i)
    return DocTokens(text, toks, _sentences(doc, index), len(doc))


def _sentences(doc, index: list[int]) -> list[tuple[int, int, int, int, int, int, str]]:
    """The analysed sentences' bounds; ``index``: the Doc index of each analysed token, ascending."""
    return [
        (
            sid,
            bisect.bisect_left(index, span.start),
            bisect.bisect_left(index, span.end),
            span.start_char,
            span.end_char,
            pid,
            sec,
        )
        for sid, span, pid, sec in analysed_sentences(doc)
    ]
