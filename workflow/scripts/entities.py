import pandas as pd

from valuechain.entities import link
from valuechain.gazetteer import load_gazetteer
from valuechain.smk import run_logged
from valuechain.stages.tables import write_csv

MENTION_OUT = ["review_id", "sent_id", "start", "end", "text", "label", "entity_id", "source", "confidence", "value"]


def main(sm):
    frames = [pd.read_parquet(p) for p in sm.input.mentions]
    mentions = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    reviews = pd.read_csv(sm.input.reviews, dtype=str, keep_default_na=False)
    dups = set(reviews.loc[reviews["duplicate_of"] != "", "review_id"])
    linked, ents = link(mentions, load_gazetteer(sm.input.gazetteer), dups)
    linked = linked.sort_values(["review_id", "start", "end"], kind="stable")
    write_csv(linked[MENTION_OUT], sm.output.mentions)
    write_csv(ents, sm.output.entities)
    keymap = linked[["key", "entity_id"]].drop_duplicates().sort_values(["key"], kind="stable")
    write_csv(keymap, sm.output.keymap)


run_logged(snakemake, main)  # noqa: F821
