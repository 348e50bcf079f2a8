from valuechain.smk import run_logged
from valuechain.stages.tokens import read_reviews, token_rows, tokenize_reviews, tokens_frame, write_docs


def main(sm):
    reviews = read_reviews(sm.input.reviews)
    cfg = dict(sm.params.kiwi, user_dictionary=sm.input.userdict)
    _, docs = tokenize_reviews(reviews, cfg, sm.threads)
    write_docs(docs, sm.output.docs)
    rows = [r for rv, d in zip(reviews, docs) for r in token_rows(rv.review_id, d)]
    tokens_frame(rows).to_parquet(sm.output.tokens, index=False)


run_logged(snakemake, main)  # noqa: F821
