"""Stage: entity mentions of a Doc as table rows (run per shard by :mod:`valuechain.stages.shard`)."""

from __future__ import annotations

import pandas as pd

from ..kiwi_backend import get_kiwi
from ..ner.recognizer import Mention, NerResources, Recognizer

MENTION_COLUMNS = [
    "review_id",
    "sent_id",
    "start",
    "end",
    "text",
    "label",
    "key",
    "source",
    "confidence",
    "value",
    "parent",
]
MENTION_ORDER = ["review_id", "start", "end"]  # row order of the shard mention tables


def load_recognizer(
    gazetteer: str,
    model: str,
    stoplist: str,
    userdict: str,
    model_type: str = "cong",
    threads: int = 1,
    min_prob: float = 0.35,
    common_nouns: bool = True,
    rules: tuple[str, ...] | list[str] | None = None,
) -> Recognizer:
    kiwi = get_kiwi(model_type, userdict or None, threads)
    return Recognizer(
        NerResources.load(
            gazetteer, model, stoplist, kiwi=kiwi, min_prob=min_prob, common_nouns=common_nouns, rules=rules
        )
    )


def mention_rows(review_id: str, mentions: list[Mention]) -> list[dict]:
    return [
        {
            "review_id": review_id,
            "sent_id": m.sent_id,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "label": m.label,
            "key": m.key,
            "source": m.source,
            "confidence": round(float(m.confidence), 3),
            "value": m.value,
            "parent": m.parent,
        }
        for m in mentions
    ]


def mentions_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    for c in ("sent_id", "start", "end"):
        df[c] = df[c].astype("int64")
    return df.sort_values(MENTION_ORDER, kind="stable").reset_index(drop=True)
