import pandas as pd
from snakemake.utils import min_version, validate

from valuechain.corpus import code_fingerprint, files_by_shard, list_input_files, list_other_entries
from valuechain.layer_features import layer_words
from valuechain.layers import LayerConfig

# 9.27: a priority function (analyze_shard) is the newest feature used; pyproject pins 9.27.1
min_version("9.27")


validate(config, schema="../schemas/config.schema.yaml")


def load_sheet(path):
    """The optional review sheet, each row validated; None when there is none."""
    if not path or not os.path.exists(path):
        return None
    sheet = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    validate(sheet, schema="../schemas/reviews.schema.yaml")
    dup = sheet["review_id"][sheet["review_id"].duplicated()].tolist()
    if dup:
        raise ValueError(f"{path}: review_id listed twice: {dup}")
    return sheet


SHEET = load_sheet(config["sheet"])
INPUT_FILES = list_input_files(config["reviews_dir"])
OTHER_ENTRIES = list_other_entries(config["reviews_dir"])
SHARDS = files_by_shard(INPUT_FILES + OTHER_ENTRIES, config["n_shards"], config["max_shard_reviews"])
REGULAR = set(INPUT_FILES)
LAYER_WORDS = layer_words(LayerConfig.load(config["taxonomy"], config["layers"]))
# the code behind each stage: a change reruns the stage (and what depends on its outputs)
CODE = {
    "shard": code_fingerprint("ingest.py", "html_extract.py", "kiwi_backend.py", "spacy_kiwi.py", "corpus.py",
                              "stages/tokens.py", "ner/*.py", "gazetteer.py", "stages/mentions.py", "relations/*.py",
                              "relations/constructions/*.py",                               "stages/relations.py", "stages/shard.py", "shard_cache.py", "docs.py",
                              "layer_features.py"),
    "corpus": code_fingerprint("entities.py", "gazetteer.py", "stages/tables.py", "stages/relations.py"),
    "layers": code_fingerprint("layers.py", "stages/layers.py", "layer_features.py"),
    "graph": code_fingerprint("graph.py", "stages/graph.py"),
}
RESULTS = "results"
INTERIM = f"{RESULTS}/interim"


wildcard_constraints:
    shard=r"shard-(?:\d\d\d+|h[01]*)",


def shard_files(wildcards):
    """The review files whose id hashes to this shard."""
    return [str(p) for p in SHARDS[wildcards.shard] if p in REGULAR]


def shard_priority(wildcards):
    """KiB of the shard's review files: bigger shards start first (longest job first)."""
    total = 0
    for f in shard_files(wildcards):
        try:
            total += os.path.getsize(f)
        except OSError:  # gone since the listing: the job itself reports it
            pass
    return total // 1024


def shard_others(wildcards):
    """Entries of the inputs folder that are not regular visible files: rejected with a reason."""
    return sorted(str(p) for p in SHARDS[wildcards.shard] if p not in REGULAR)


def per_shard(pattern):
    return expand(pattern, shard=sorted(SHARDS))


def all_outputs():
    strict = [f"{RESULTS}/logs/strict.ok"] if config["strict"] else []
    return strict + [
        f"{RESULTS}/tables/reviews.csv",
        f"{RESULTS}/tables/rejected.csv",
        f"{RESULTS}/tables/tokens.parquet",
        f"{RESULTS}/tables/mentions.csv",
        f"{RESULTS}/tables/relations.csv",
        f"{RESULTS}/tables/entities.csv",
        f"{RESULTS}/tables/layers.csv",
        f"{RESULTS}/tables/analogies.csv",
        f"{RESULTS}/tables/value_chain_edges.csv",
        f"{RESULTS}/value_chain.graphml",
        f"{RESULTS}/eval/scores.json",
        f"{RESULTS}/report.html",
        f"{RESULTS}/report.md",
        f"{RESULTS}/provenance.json",
    ]
