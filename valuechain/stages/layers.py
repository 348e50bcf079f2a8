"""Stage: layers and clusters for the corpus' actors; entities.csv, layers.csv, analogies.csv, era_layer.csv.

Kiwi (model load and dictionary build, ~2 s, holding the GIL) is needed only for the nouns of the
distinct role phrases and the layer words, and their CoNg similarities. By default that runs in a
forked child process while this one reads the tables and imports scikit-learn; the child sends back
its results (a few thousand nouns and vectors) and exits. Without ``fork`` (or if the child fails)
the same is computed here.
"""

from __future__ import annotations

import functools
import gc
import logging
import multiprocessing
import sys
import time
import traceback

import pandas as pd

from ..gazetteer import Gazetteer, load_gazetteer
from ..kiwi_backend import get_kiwi
from ..layers import (
    LayerConfig,
    LayerScorer,
    Nouns,
    actor_documents,
    analogies,
    assign_layers,
    cluster,
    era_layer_table,
    import_sklearn,
    layers_table,
    order_by_links,
    sentence_noun_texts,
)

log = logging.getLogger(__name__)

REL_COLUMNS = {"review_id", "entity_id", "role", "role_norm", "era", "sent_id", "confidence"}
ENTITY_OUT = [
    "entity_id",
    "name",
    "label",
    "aliases",
    "layer",
    "layer_confidence",
    "cluster",
    "layer_source",
    "n_mentions",
    "n_reviews",
    "gazetteer_id",
    "wikidata",
    "parent",
]


def canonical_roles(rels: pd.DataFrame) -> pd.DataFrame:
    """Layers read the canonical role (role_norm) where the vocabulary gave one, else the role as
    written: the same activity said ten ways counts once."""
    if "role_norm" in rels.columns:
        norm = rels["role_norm"].astype(str)
        rels = rels.assign(role=norm.where(norm != "", rels["role"].astype(str))).drop(columns="role_norm")
    return rels


def _kiwi_child(conn, parent_end, cfg: LayerConfig, load_kiwi) -> None:
    parent_end.close()  # so that recv() ends with EOFError once the parent closes its end
    try:
        scorer = LayerScorer(cfg, Gazetteer({}), Nouns(load_kiwi()))
        _ = scorer.layer_nouns  # loads the model and builds Kiwi while the parent reads the tables
        texts = conn.recv()
        reply = ("ok", scorer.kiwi_state(texts))
    except EOFError:  # the parent needs nothing (no relations) or has gone
        return
    except Exception:  # noqa: BLE001 - reported to the parent, which then uses a Kiwi of its own
        reply = ("error", traceback.format_exc())
    try:
        conn.send(reply)
    except OSError:
        pass
    finally:
        conn.close()


TIMEOUT = 600  # s to wait for the child (it needs ~3 s); then the parent analyses the phrases itself


class KiwiProcess:
    """The scorer's Kiwi work (nouns of the phrases and layer words, their noun vectors) in a child.

    Kiwi holds the GIL while it loads, so a thread would not overlap with reading the tables.
    """

    def __init__(self, cfg: LayerConfig, load_kiwi):
        self.proc = None
        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:  # no fork on this platform
            return
        sys.stdout.flush()
        sys.stderr.flush()
        # objects so far (the imports, mostly) leave the collected generations: the child does not copy
        # their pages by touching them, and neither process scans them again (nor at exit, ~0.1 s)
        gc.freeze()
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_kiwi_child, args=(child, self.conn, cfg, load_kiwi), daemon=True, name="layers-kiwi"
        )
        self.proc.start()
        child.close()

    def send(self, texts: list[str]) -> None:
        """The phrases to analyse (the child has loaded Kiwi meanwhile, or is loading it)."""
        if self.proc is not None:
            try:
                self.conn.send(texts)
            except OSError as exc:
                # a child that failed early has sent its error and closed the pipe: report that error
                detail = ""
                try:
                    if self.conn.poll(1):
                        detail = ":\n" + str(self.conn.recv()[1])
                except (EOFError, OSError, TypeError, IndexError):
                    pass
                log.warning("Kiwi child process gone (%r), analysing in this process instead%s", exc, detail)
                self.stop()

    def result(self) -> dict | None:
        """The child's LayerScorer.kiwi_state(texts); None if there is no child or it failed."""
        if self.proc is None:
            return None
        try:
            if self.conn.poll(TIMEOUT):
                status, payload = self.conn.recv()
            else:
                status, payload = "error", f"no reply from the child process in {TIMEOUT} s"
        except (EOFError, OSError) as exc:
            status, payload = "error", f"no reply from the child process ({exc!r}, exit code {self.proc.exitcode})"
        if status != "ok":
            self.stop()
            log.warning("Kiwi child process failed, analysing in this process instead:\n%s", payload)
            return None
        return payload  # the child exits by itself (freeing ~0.5 GB takes a moment): stop() reaps it later

    def stop(self) -> None:
        if self.proc is not None:
            self.conn.close()
            self.proc.join(timeout=1)
            if self.proc.is_alive():
                self.proc.terminate()
                self.proc.join()
            self.proc = None


def run(
    entities_csv: str,
    relations_csv: str,
    gazetteer: str,
    taxonomy: str,
    layers_yaml: str,
    userdict: str,
    model_type: str = "cong",
    tokens_parquet: str | None = None,
    kiwi_process: bool = True,
    links_csv: str | None = None,
):
    t0 = time.perf_counter()
    marks: list[tuple[str, float]] = []

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    cfg = LayerConfig.load(taxonomy, layers_yaml)
    load_kiwi = functools.partial(get_kiwi, model_type, userdict or None, 1)
    # a Kiwi already loaded here is ready (and its worker threads would not survive a fork)
    child = KiwiProcess(cfg, load_kiwi) if kiwi_process and not get_kiwi.cache_info().currsize else None
    try:
        ents = pd.read_csv(entities_csv, dtype=str, keep_default_na=False)
        # only the columns the layers use; the evidence text (most of the file) only to score the
        # context or without a token table
        need_evidence = bool(cfg.weights["context"]) or not tokens_parquet
        cols = REL_COLUMNS | ({"evidence"} if need_evidence else set())
        rels = pd.read_csv(relations_csv, keep_default_na=False, usecols=lambda c: c in cols)
        rels = canonical_roles(rels)
        # duplicate reviews' relations were already dropped upstream; sort for determinism
        rels = rels.sort_values(["entity_id", "review_id", "sent_id", "role"], kind="stable", ignore_index=True)
        mark("read tables")
        scorer = LayerScorer(cfg, load_gazetteer(gazetteer), Nouns(load_kiwi))
        texts = sorted(
            set(map(str, rels["role"].tolist()))
            | (set(map(str, rels["evidence"].tolist())) if need_evidence else set())
        )
        if child is not None and len(rels):
            child.send(texts)  # the child analyses them while the token table is read
        sent_nouns = None
        if tokens_parquet:
            sent_nouns = sentence_noun_texts(
                tokens_parquet, list(map(str, rels["review_id"].tolist())), rels["sent_id"].tolist()
            )
        mark("token table")
        import_sklearn()  # ~1 s, also while the child works
        mark("import scikit-learn")
        state = child.result() if child is not None and len(rels) else None
        mark("wait for Kiwi")
        if state is not None:
            scorer.load_kiwi_state(state)  # else the scorer loads Kiwi here when it needs it
        assigned = assign_layers(ents.sort_values("entity_id"), rels, scorer)
        if links_csv:
            links = pd.read_csv(links_csv, keep_default_na=False, usecols=["source", "type", "target"], dtype=str)
            assigned = order_by_links(assigned, links, cfg)
        mark("assign layers")
        ids, docs = actor_documents(ents, rels, assigned, scorer.nouns, sent_nouns)
        mark("actor documents")
        clusters, cname, tops, _ = cluster(ids, docs, assigned, cfg)
        mark("cluster")
    finally:
        if child is not None:
            child.stop()
    ents = ents.copy()
    eid = ents["entity_id"].tolist()
    ents["layer"] = [assigned[e].layer if e in assigned else "" for e in eid]
    ents["layer_confidence"] = [
        f"{assigned[e].confidence:.3f}" if e in assigned and assigned[e].layer else "" for e in eid
    ]
    ents["layer_source"] = [assigned[e].source if e in assigned else "" for e in eid]
    ents["cluster"] = [clusters.get(e, "") for e in eid]
    ents = ents.sort_values("entity_id", kind="stable")[ENTITY_OUT]
    layers = layers_table(ents, rels, clusters, cname, tops or {}, assigned, cfg)
    analog = analogies(ents, rels, assigned, cfg)
    mark("analogies")
    era_layer = era_layer_table(rels, ents)
    mark("tables")
    steps, prev = [], t0
    for name, t in marks:
        steps.append(f"{name} {t - prev:.2f}")
        prev = t
    log.info(
        "%d relations, %d actors with a layer, %.2f s (%s; Kiwi in a child process: %s)",
        len(rels),
        len(ids),
        prev - t0,
        ", ".join(steps),
        state is not None,
    )
    return ents, layers, analog, era_layer
