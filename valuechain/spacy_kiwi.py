"""A Kiwi-backed tokenizer registered in spaCy's registry.

spaCy's own Korean tokenizer needs MeCab; this one makes one spaCy token per Kiwi morpheme
(morphemes that share characters, such as 됐 = 되+었, are merged into one token tagged
``VV+EP``), so that token offsets map exactly back to the review text.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from .docs import SKIP_TAG, SPACE_TAG, analysed_sentences, remember_tokens  # noqa: F401 - part of this module's API
from .kiwi_backend import Sentence, analyse_texts, get_kiwi

_VERBAL = {"VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA"}


def _lemma(forms: list[str], tags: list[str]) -> str:
    if len(forms) == 1 and tags[0] in _VERBAL:
        return forms[0] + "다"
    return "+".join(forms)


def _sentence_tokens(sent: Sentence) -> list[tuple[int, int, str, str]]:
    """Merge overlapping or zero-width morphemes into non-overlapping (start, end, tag, lemma)."""
    groups: list[list] = []
    for m in sent.morphs:
        if groups and (m.start < groups[-1][1] or m.end <= m.start):
            g = groups[-1]
            if m.end > m.start:  # a zero-width morpheme (ᆫ, 이/VCP) must not swallow a space
                g[1] = max(g[1], m.end)
            g[2].append(m.tag)
            g[3].append(m.form)
        else:
            groups.append([m.start, m.end, [m.tag], [m.form]])
    return [(s, e, "+".join(tags), _lemma(forms, tags)) for s, e, tags, forms in groups if e > s]


def build_doc(vocab, text: str, sentences: list[Sentence], user_data: dict | None = None) -> Doc:
    """A Doc whose text equals ``text`` exactly; un-analysed stretches become SKIP tokens."""
    pieces: list[tuple[int, int, str, str, bool]] = []  # start, end, tag, lemma, sent_start
    for sent in sentences:
        for i, (s, e, tag, lemma) in enumerate(_sentence_tokens(sent)):
            pieces.append((s, e, tag, lemma, i == 0))
    words, spaces, tags, lemmas, starts = [], [], [], [], []

    def add_gap(a: int, b: int) -> None:
        pos = a
        while pos < b:
            if text[pos] == " " and words and not spaces[-1] and tags[-1] != SPACE_TAG:
                spaces[-1] = True
                pos += 1
                continue
            j = pos
            if text[pos].isspace():
                while j < b and text[j].isspace():
                    j += 1
                words.append(text[pos:j])
                tags.append(SPACE_TAG)
                lemmas.append(text[pos:j])
                starts.append(not words[:-1])
            else:
                while j < b and not text[j].isspace():
                    j += 1
                first_skip = not tags or tags[-1] not in (SKIP_TAG,)
                words.append(text[pos:j])
                tags.append(SKIP_TAG)
                lemmas.append(text[pos:j])
                starts.append(first_skip)
            spaces.append(False)
            pos = j

    cur = 0
    for s, e, tag, lemma, sstart in pieces:
        if s < cur:  # Kiwi never overlaps sentences; guard against it anyway
            s = cur
            if e <= s:
                continue
        add_gap(cur, s)
        words.append(text[s:e])
        spaces.append(False)
        tags.append(tag)
        lemmas.append(lemma)
        starts.append(sstart)
        cur = e
    add_gap(cur, len(text))
    if starts:
        starts[0] = True
    doc = Doc(vocab, words=words, spaces=spaces, tags=tags, lemmas=lemmas, sent_starts=[bool(x) for x in starts])
    doc.user_data["sentences"] = [(s.start, s.end, s.para_id, s.section) for s in sentences]
    if user_data:
        doc.user_data.update(user_data)
    remember_tokens(doc, text, words, spaces, tags, lemmas)  # what the token table and the analysers read
    return doc


class KiwiTokenizer:
    """Callable spaCy tokenizer: the whole text is analysed (no brunch spans)."""

    def __init__(self, vocab, model_type: str = "cong", user_dictionary: str | None = None, num_workers: int = 1):
        self.vocab = vocab
        self.kiwi = get_kiwi(model_type, user_dictionary or None, num_workers)

    def __call__(self, text: str) -> Doc:
        return self.docs([(text, None)])[0]

    def docs(self, items: list[tuple[str, list | None]], user_data: list[dict] | None = None) -> list[Doc]:
        """Batch: (text, spans) pairs -> Docs; ``spans`` None means analyse the whole text."""
        from .ingest import Span

        prepared = [(t, spans if spans is not None else [Span("text", 0, len(t))]) for t, spans in items]
        sents = analyse_texts(self.kiwi, prepared)
        return [
            build_doc(self.vocab, t, s, (user_data[i] if user_data else None))
            for i, ((t, _), s) in enumerate(zip(prepared, sents))
        ]

    # spaCy serialisation hooks: nothing to save, the Kiwi model comes from kiwipiepy_model
    def to_disk(self, path, **kwargs):
        return None

    def from_disk(self, path, **kwargs):
        return self

    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self


@registry.tokenizers("valuechain.KiwiTokenizer.v1")
def create_kiwi_tokenizer(model_type: str = "cong", user_dictionary: str = "", num_workers: int = 1):
    def make(nlp: Language) -> KiwiTokenizer:
        return KiwiTokenizer(nlp.vocab, model_type, user_dictionary or None, num_workers)

    return make


def make_nlp(model_type: str = "cong", user_dictionary: str = "", num_workers: int = 1) -> Language:
    """A blank Korean pipeline with the Kiwi tokenizer (no MeCab, no downloaded model)."""
    cfg = {
        "nlp": {
            "tokenizer": {
                "@tokenizers": "valuechain.KiwiTokenizer.v1",
                "model_type": model_type,
                "user_dictionary": user_dictionary,
                "num_workers": num_workers,
            }
        }
    }
    return spacy.blank("ko", config=cfg)
