"""Stage: entity mentions for the Docs of one shard."""
from __future__ import annotations

import pandas as pd

from ..kiwi_backend import get_kiwi
from ..ner.recognizer import Mention, NerResources, Recognizer
from ..spacy_kiwi import make_nlp
from .tokens import read_docs, read_reviews

MENTION_COLUMNS = ["review_id", "sent_id", "start", "end", "text", "label", "key", "source", "confidence",
                   "value", "parent"]


def load_recognizer(gazetteer: str, model: str, stoplist: str, userdict: str, model_type: str = "cong",
                    threads: int = 1, min_prob: float = 0.35, common_nouns: bool = True) -> Recognizer:
    kiwi = get_kiwi(model_type, userdict or None, threads)
    return Recognizer(NerResources.load(gazetteer, model, stoplist, kiwi=kiwi, min_prob=min_prob,
                                        common_nouns=common_nouns))


def mention_rows(review_id: str, mentions: list[Mention]) -> list[dict]:
    return [{"review_id": review_id, "sent_id": m.sent_id, "start": m.start, "end": m.end, "text": m.text,
             "label": m.label, "key": m.key, "source": m.source, "confidence": round(float(m.confidence), 3),
             "value": m.value, "parent": m.parent} for m in mentions]


def mentions_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    for c in ("sent_id", "start", "end"):
        df[c] = df[c].astype("int64")
    return df.sort_values(["review_id", "start", "end"], kind="stable").reset_index(drop=True)


def run_shard(reviews_jsonl: str, docs_path: str, rec: Recognizer, model_type: str, userdict: str) -> pd.DataFrame:
    reviews = {rv.review_id: rv for rv in read_reviews(reviews_jsonl)}
    nlp = make_nlp(model_type, userdict)
    rows = []
    for doc in read_docs(docs_path, nlp.vocab):
        rid = doc.user_data["review_id"]
        rv = reviews.get(rid)
        hints = {"works": [rv.book_title] if rv and rv.book_title else [],
                 "persons": [rv.book_author] if rv and rv.book_author else []}
        rows.extend(mention_rows(rid, rec(doc, hints)))
    return mentions_frame(rows)
