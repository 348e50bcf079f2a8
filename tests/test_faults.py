"""Faults (#15): an empty corpus, killed runs, two runs at once, a crowded or odd inputs folder, text that is
not what it seems, a read-only or full results folder. Each ends in tables or a one-line message naming
the file or folder, never a traceback, and nothing the user gave is lost or half-written.

The kill tests compare bytes with the shared clean run (``sample_run`` in conftest).
"""

from __future__ import annotations

import filecmp
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, copy_project, copy_run

from valuechain import faults
from valuechain.corpus import files_by_shard, list_input_files, list_other_entries, no_reviews_message
from valuechain.ingest import sha256_bytes
from valuechain.shard_cache import INDEX, ShardCache
from valuechain.stages.shard import ShardSettings, run_shard
from valuechain.stages.tokens import ingest_files, tokens_frame

SNAKEMAKE = [sys.executable, "-m", "snakemake"]
TABLES = [
    "reviews.csv",
    "rejected.csv",
    "tokens.parquet",
    "mentions.csv",
    "entities.csv",
    "relations.csv",
    "layers.csv",
    "analogies.csv",
    "era_layer.csv",
]
KO = "엔비디아는 GPU를 설계하고 TSMC는 칩을 만든다.\n"
R = str(ROOT) + "/"
SETTINGS = ShardSettings(
    userdict=R + "resources/kiwi_userdict.tsv",
    gazetteer=R + "resources/gazetteer.tsv",
    model=R + "resources/models/ner_types.npz",
    stoplist=R + "resources/stoplist.txt",
    roles=R + "config/roles.yaml",
    eras=R + "config/eras.yaml",
    taxonomy=R + "config/taxonomy.yaml",
)


def smk(cwd: Path, *args: str, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    p = subprocess.run(
        SNAKEMAKE + list(args), cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout, check=False
    )
    p.out = p.stdout + p.stderr
    return p


def no_traceback(out: str) -> None:
    assert "Traceback" not in out, out[-4000:]


# ------------------------------------------------------------------ empty corpus: the message


def test_no_reviews_message_names_the_folder_and_why(tmp_path):
    assert "does not exist" in no_reviews_message(tmp_path / "nope", 0)
    (tmp_path / "file.txt").write_text("x")
    assert "is not a folder" in no_reviews_message(tmp_path / "file.txt", 0)
    (tmp_path / "empty").mkdir()
    msg = no_reviews_message(tmp_path / "empty", 0)
    assert "holds no files" in msg and str(tmp_path / "empty") in msg and "\n" not in msg
    assert "all 3 file(s) in it were rejected" in no_reviews_message(tmp_path / "empty", 3)


@pytest.mark.parametrize("shards", [0, 2])
def test_corpus_tables_of_no_shard_or_only_rejected_files_are_headers(tmp_path, shards):
    """No shard at all (empty or absent folder), or shards whose files were all rejected."""
    from valuechain.gazetteer import load_gazetteer
    from valuechain.stages.relations import RELATION_OUT
    from valuechain.stages.tables import MENTION_OUT, linked_tables, rejected_table, reviews_table

    outs = []
    for i in range(shards):
        bad = tmp_path / f"in{i}" / "empty.txt"
        bad.parent.mkdir()
        bad.write_bytes(b"")
        outs.append(shard_io(tmp_path, f"shard-{i}"))
        run_shard([str(bad)], [], 10**6, SETTINGS, None, outs[-1], stub_analyzer([]))
    paths = {k: [o[k] for o in outs] for k in ("reviews", "rejected", "tokens", "mentions", "relations")}
    reviews = reviews_table(paths["reviews"], paths["tokens"], None)
    assert len(reviews) == 0 and "review_id" in reviews.columns
    assert len(rejected_table(paths["rejected"])) == shards
    mentions, entities, keymap, relations = linked_tables(
        paths["mentions"], paths["relations"], reviews, load_gazetteer(SETTINGS.gazetteer)
    )[:4]
    assert list(mentions.columns) == MENTION_OUT and list(relations.columns) == RELATION_OUT
    assert len(mentions) == len(entities) == len(keymap) == len(relations) == 0


# ------------------------------------------------------------------ the shard cache under faults


class Killed(BaseException):
    """Stands for os._exit at a fault point (in-process, so pytest survives)."""


def stub_analyzer(calls: list):
    """Tokens = the characters of each review (enough to tell cached rows from computed ones); the
    shard's other tables empty."""
    from valuechain.stages import shard

    def analyse(batch):
        calls.extend(rv.review_id for rv in batch)
        rows = [
            {"review_id": rv.review_id, "sent_id": 0, "token_id": i, "form": ch, "tag": "NNG", "lemma": ch}
            | {"start": i, "end": i + 1}
            for rv in batch
            for i, ch in enumerate(rv.text[:50])
        ]
        empty = shard._empty_frames()
        return tuple(tokens_frame(rows) if name == "tokens" else empty[name] for name in shard.TABLES)

    return analyse


def shard_io(tmp_path: Path, name: str) -> dict[str, str]:
    folder = tmp_path / name
    folder.mkdir(parents=True, exist_ok=True)
    from valuechain.stages.shard import TABLES as SHARD_TABLES

    exts = {"reviews": "jsonl", "rejected": "csv"} | {name: "parquet" for name in SHARD_TABLES}
    return {k: str(folder / f"{k}.{e}") for k, e in exts.items()}


def three_reviews(tmp_path: Path) -> list[str]:
    d = tmp_path / "in"
    d.mkdir(exist_ok=True)
    for i, n in enumerate(["a", "b", "c"]):
        (d / f"{n}.txt").write_text(KO * (i + 1), encoding="utf-8")
    return [str(p) for p in sorted(d.iterdir())]


def index_is_trusted(cache: Path) -> bool:
    """Every table the index names exists with the recorded size and SHA-256."""
    meta = json.loads((cache / INDEX).read_text(encoding="utf-8"))
    return bool(meta["tables"]) and all(
        sha256_bytes((cache / f"{n}.parquet").read_bytes()) == d["sha256"] for n, d in meta["tables"].items()
    )


@pytest.mark.parametrize("point", ["cache:staged", "cache:swapped"])
def test_cache_killed_while_saving_leaves_a_whole_cache_or_none(tmp_path, monkeypatch, point):
    files, key, calls = three_reviews(tmp_path), "k1", []
    out = shard_io(tmp_path, "shard")
    cache_dir = Path(out["reviews"]).parent / "cache"
    run_shard(files, [], 10**6, SETTINGS, ShardCache(cache_dir, key), out, stub_analyzer(calls))
    reference = {k: Path(v).read_bytes() for k, v in out.items()}

    def die(name):
        if name == point:
            raise Killed(name)

    monkeypatch.setattr(faults, "point", die)
    with pytest.raises(Killed):
        run_shard(files, [], 10**6, SETTINGS, ShardCache(cache_dir, key), out, stub_analyzer(calls))
    monkeypatch.undo()
    leftovers = sorted(p.name for p in cache_dir.parent.iterdir() if p.name.startswith("cache."))
    assert leftovers, "the kill left its temporary folder (as a real kill would)"
    if point == "cache:staged":
        assert index_is_trusted(cache_dir)  # the old cache is still whole
    else:
        assert not cache_dir.exists()  # set aside: none, never a mixture
    calls.clear()
    counts = run_shard(files, [], 10**6, SETTINGS, ShardCache(cache_dir, key), out, stub_analyzer(calls))
    assert counts["cached"] == (3 if point == "cache:staged" else 0)
    assert {k: Path(v).read_bytes() for k, v in out.items()} == reference
    assert not [p for p in cache_dir.parent.iterdir() if p.name.startswith("cache.")]  # leftovers removed
    assert index_is_trusted(cache_dir)


def test_cache_that_does_not_match_its_index_is_dropped_with_a_warning(tmp_path, caplog):
    files, key, calls = three_reviews(tmp_path), "k1", []
    out = shard_io(tmp_path, "shard")
    cache_dir = Path(out["reviews"]).parent / "cache"
    run_shard(files, [], 10**6, SETTINGS, ShardCache(cache_dir, key), out, stub_analyzer(calls))
    reference = Path(out["tokens"]).read_bytes()
    # near miss first: an intact cache is used, silently
    calls.clear()
    counts = run_shard(files, [], 10**6, SETTINGS, ShardCache(cache_dir, key), out, stub_analyzer(calls))
    assert counts["cached"] == 3 and not calls and "not used" not in caplog.text
    # a valid Parquet file with other rows under the name the index points at (a torn or stale copy)
    wrong = tokens_frame([]).iloc[:0]
    os.unlink(cache_dir / "tokens.parquet")
    wrong.to_parquet(cache_dir / "tokens.parquet", index=False)
    calls.clear()
    counts = run_shard(files, [], 10**6, SETTINGS, ShardCache(cache_dir, key), out, stub_analyzer(calls))
    assert counts["cached"] == 0 and sorted(calls) == ["a", "b", "c"]
    assert "tokens.parquet does not match its index entry" in caplog.text and "not used" in caplog.text
    assert Path(out["tokens"]).read_bytes() == reference
    # an index that is not JSON, and a cache folder without an index
    (cache_dir / INDEX).write_text('{"format": 2, "finger', encoding="utf-8")
    caplog.clear()
    assert not ShardCache(cache_dir, key).hits({"a": "x"}) and "index unreadable" in caplog.text
    (cache_dir / INDEX).unlink()
    caplog.clear()
    assert not ShardCache(cache_dir, key).index and "has no index" in caplog.text


def test_outputs_are_never_half_written(tmp_path, monkeypatch):
    """Killed between the temporary file and the rename: the output name is absent, not partial."""
    target = tmp_path / "t.parquet"

    def die(name):
        if name == "write:temp":
            raise Killed(name)

    monkeypatch.setattr(faults, "point", die)
    with pytest.raises(Killed), faults.atomic_path(target) as tmp:
        tokens_frame([]).to_parquet(tmp, index=False)
    assert not target.exists() and not list(tmp_path.iterdir())
    monkeypatch.undo()
    with faults.atomic_path(target) as tmp:
        tokens_frame([]).to_parquet(tmp, index=False)
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


# ------------------------------------------------------------------ a full or read-only place: one line


FULL_SCRIPT = """
import errno, sys
from types import SimpleNamespace as NS
from valuechain.smk import run_logged
from valuechain.stages.tables import write_csv
import pandas as pd
import pandas.core.generic as g

real = g.NDFrame.to_csv
def full(self, path, **kw):
    raise OSError(errno.ENOSPC, "No space left on device")  # like a failed write: no file name
g.NDFrame.to_csv = full
sm = NS(log=[sys.argv[1]], output=[sys.argv[2]])
run_logged(sm, lambda sm: write_csv(pd.DataFrame({"a": [1]}), sys.argv[2]))
"""


def test_disk_full_in_a_job_is_one_line_naming_the_file(tmp_path):
    p = subprocess.run(
        [sys.executable, "-c", FULL_SCRIPT, str(tmp_path / "job.log"), "results/tables/x.csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert p.returncode == 1
    no_traceback(p.stderr)
    assert "cannot write results/tables/x.csv: no space left on the device (disk full) [ENOSPC]" in p.stderr
    # near miss: a bug is still reported with its traceback
    bug = FULL_SCRIPT.replace('raise OSError(errno.ENOSPC, "No space left on device")', "raise KeyError('bug')")
    p = subprocess.run(
        [sys.executable, "-c", bug, str(tmp_path / "job.log"), "x.csv"], capture_output=True, text=True, cwd=ROOT
    )
    assert p.returncode == 1 and "Traceback" in p.stderr and "KeyError: 'bug'" in p.stderr


# ------------------------------------------------------------------ the folder scan


ODD_NAMES = [
    "my review.txt",
    "quote\"s and 'single'.txt",
    "-rf.txt",
    "line\nbreak.txt",
    "🚀 emoji 🤖.txt",
    unicodedata.normalize("NFD", "골드러시 서평.txt"),
    "a..b.txt",
    "가" * 80 + ".txt",  # 244 bytes, near the 255-byte limit of a name
    "$(touch pwned).txt",
    "a*b?[c].txt",
    "{} and {a b}.txt",
    "%s %d.txt",
]


def odd_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for n in ODD_NAMES + ["..dots.txt", "{shard}.txt"]:
        (folder / n).write_text(KO, encoding="utf-8")
    (folder / "loop.txt").symlink_to("loop.txt")  # a symbolic link loop
    (folder / "here").symlink_to(".")  # a link to the folder itself: never followed
    try:
        (folder / os.fsdecode(b"bad-\xff.txt")).write_text(KO, encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pass
    return folder


EXPECTED_REJECTED = {
    "..dots.txt": "hidden",
    "{shard}.txt": "bad_name",  # Snakemake would read {shard} as a wildcard
    "loop.txt": "unreadable",
    "here": "unsupported_type",
    "bad-\\xff.txt": "bad_name",
}


def test_odd_names_each_end_in_reviews_or_rejected_with_a_reason(tmp_path):
    folder = odd_folder(tmp_path / "reviews")
    inputs, others = list_input_files(folder), list_other_entries(folder)
    assert {p.name for p in inputs} == set(ODD_NAMES)  # what Snakemake may take as inputs
    reviews, rejected = ingest_files(inputs + others, 10**6)
    got = {r["file"]: r["reason"] for r in rejected}
    assert got == {k: v for k, v in EXPECTED_REJECTED.items() if k != "bad-\\xff.txt" or len(got) == 5}
    assert "Too many levels of symbolic links" in next(r["detail"] for r in rejected if r["file"] == "loop.txt")
    assert sorted(rv.source for rv in reviews) == sorted(ODD_NAMES)
    assert len(reviews) + len(rejected) == len(list(folder.iterdir()))  # every entry, once
    assert "골드러시 서평" in {rv.review_id for rv in reviews}  # the NFD name gives an NFC id
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_file_that_disappears_or_changes_after_the_scan(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in ("gone.txt", "changed.txt", "kept.txt"):
        (folder / n).write_text(KO, encoding="utf-8")
    listed = list_input_files(folder)  # the scan (Snakefile), then the shard job reads later
    (folder / "gone.txt").unlink()
    (folder / "changed.txt").write_text(KO + "삼성전자는 HBM을 만든다.\n", encoding="utf-8")
    reviews, rejected = ingest_files(listed, 10**6)
    assert rejected == [
        {
            "file": "gone.txt",
            "review_id": "gone",
            "reason": "unreadable",
            "detail": "file disappeared before it could be read",
        }
    ]
    changed = next(rv for rv in reviews if rv.review_id == "changed")
    assert "삼성전자" in changed.text and changed.sha256 == sha256_bytes((folder / "changed.txt").read_bytes())


def _scan_seconds(folder: Path) -> float:
    t = time.perf_counter()
    files = list_input_files(folder) + list_other_entries(folder)
    files_by_shard(files, 8)
    return time.perf_counter() - t


def many_files(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"r{i:05d}.txt").write_bytes(KO.encode())
    return folder


@pytest.fixture(scope="module")
def folder_20k(tmp_path_factory):
    return many_files(tmp_path_factory.mktemp("many") / "reviews", 20_000)


def test_scan_of_20000_files_is_linear(tmp_path, folder_20k):
    small = many_files(tmp_path / "small", 2_000)
    t_small, t_big = _scan_seconds(small), _scan_seconds(folder_20k)
    print(f"scan: 2,000 files {t_small:.3f} s, 20,000 files {t_big:.3f} s")
    assert t_big < 25 * t_small + 0.5  # 10x the files: ~10x the time (quadratic would be ~100x)
    assert t_big < 30


# ------------------------------------------------------------------ text that is not what it seems


ANALYSE_SCRIPT = """
import json, sys, time
from valuechain.ingest import ingest_bytes
from valuechain.stages.shard import Analyzer, ShardSettings
settings, texts = json.load(sys.stdin)
analyzer, out = Analyzer(ShardSettings(**settings)), {}
for case, text in texts.items():
    rv = ingest_bytes(case, text.encode("utf-8"), source=case + ".txt")
    t = time.perf_counter()
    tok, men, rel = analyzer([rv])[:3]
    out[case] = {"text": rv.text, "warnings": rv.warnings, "seconds": time.perf_counter() - t,
                 "tokens": tok[["start", "end", "form"]].values.tolist(),
                 "mentions": men[["start", "end", "text", "key"]].values.tolist(),
                 "relations": rel[["evidence_start", "evidence_end", "evidence"]].values.tolist()}
json.dump(out, sys.stdout, ensure_ascii=False, default=int)
"""


@pytest.fixture(scope="module")
def analysed():
    """Every case of TEXTS ingested and analysed in a separate process (the models stay out of this one:
    a later test measures the memory of processes forked from it)."""
    from dataclasses import asdict

    p = subprocess.run(
        [sys.executable, "-c", ANALYSE_SCRIPT],
        input=json.dumps([asdict(SETTINGS), TEXTS]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout)


TEXTS = {
    "zero-width": "엔비\u200b디아는 GPU를 설계하고 TSMC는 칩을 만든다. 삼성\u2060전자는 HBM을 만든다.",
    "nfd": unicodedata.normalize("NFD", "엔비디아는 GPU를 설계하고 삼성전자는 HBM을 만든다."),
    "japanese": "エヌビディアはGPUを設計し、TSMCは半導体を製造する。ソフトバンクはARMを買収した。",
    "chinese": "英伟达设计GPU，台积电制造芯片。三星电子生产HBM内存，英特尔也在追赶。",
    "emoji": "🚀🚀 엔비디아 🤖💰💰 는 GPU를 👨\u200d👩\u200d👧 설계하고 🔥 TSMC는 칩을 만든다 😂😂\n" * 20,
    "hanja": "三星電子(삼성전자)는 메모리를 만들고 現代自動車는 차를 만든다. 삼성(三星)은 HBM을 만든다.",
    "one-line": ("엔비디아는 GPU를 설계하고 TSMC는 칩을 만든다 그리고 " * 1700)[:50_000],
    "table": "| 회사 | 역할 | 제품 |\n|---|---|---|\n" + "| 엔비디아 | 설계 | GPU |\n| TSMC | 파운드리 | 칩 |\n" * 600,
}


@pytest.mark.parametrize("case", list(TEXTS))
def test_offsets_map_back_exactly_on_odd_text(analysed, case):
    got = analysed[case]
    text, warnings = got["text"], got["warnings"]
    print(f"{case}: {len(text):,} chars, {got['seconds']:.2f} s, {len(got['mentions'])} mentions")
    assert all(text[s:e] == f for s, e, f in got["tokens"])
    assert all(text[s:e] == x for s, e, x, _ in got["mentions"])  # the table contract
    assert all(text[s:e] == x for s, e, x in got["relations"])
    men = pd.DataFrame(got["mentions"], columns=["start", "end", "text", "key"])
    keys = set(men.key)
    if case in ("zero-width", "nfd", "emoji", "one-line", "table"):
        assert "nvidia" in keys or "samsung_electronics" in keys
    if case == "zero-width":
        assert {"nvidia", "samsung_electronics"} <= keys and "엔비디아" in set(men.text)
        assert "\u200b" not in text and "\u2060" not in text
        assert any("2 zero-width character(s) inside words removed" in w for w in warnings)
    if case == "nfd":
        assert text == unicodedata.normalize("NFC", TEXTS[case]) and "samsung_electronics" in keys
    if case == "emoji":  # near miss: a joiner between emoji is not inside a word and stays
        assert "👨\u200d👩\u200d👧" in text and not any("zero-width" in w for w in warnings)
    if case in ("japanese", "chinese"):
        assert any("little Korean" in w for w in warnings)
        assert not [k for k in keys if k.startswith("new:")], keys  # no clause typed as a name
    if case == "japanese":
        assert {"tsmc", "arm"} <= keys
    if case == "hanja":  # a Hanja name with its Hangul reading is the same entity ...
        assert set(men.key[men.text.isin(["三星電子", "三星", "삼성전자"])]) == {"samsung_electronics"}
        assert "現代自動車" in set(men.text)  # ... and in a Korean sentence a bare one is still a name (near miss)


# ------------------------------------------------------------------ integration: the workflow


def table_headers(results: Path) -> dict[str, object]:
    import pyarrow.parquet as pq

    out = {}
    for t in TABLES:
        p = results / "tables" / t
        out[t] = pq.read_schema(p) if t.endswith(".parquet") else p.read_text(encoding="utf-8").split("\n")[0]
    return out


def same_bytes(a: Path, b: Path) -> list[str]:
    """Relative paths of the outputs (tables, shard outputs, report, provenance) that differ."""
    rels = [f"tables/{t}" for t in TABLES] + ["provenance.json", "report.md", "report.html"]
    rels += sorted(str(p.relative_to(a)) for p in (a / "interim").glob("shard-*/*") if p.is_file())
    return [r for r in rels if not (b / r).exists() or not filecmp.cmp(a / r, b / r, shallow=False)]


@pytest.fixture(scope="module")
def empty_run(tmp_path_factory):
    """An absent inputs folder; a second snakemake started in the same folder while the first runs.

    The first run takes one core, so that its ~9 short jobs run one after another and it still holds
    the lock when the two later runs (started together as soon as the lock exists) look at it.
    """
    proj = copy_project(tmp_path_factory.mktemp("empty") / "proj")
    args = ["--cores", "1", "--config", "reviews_dir=resources/no-such-folder"]
    first = subprocess.Popen(SNAKEMAKE + args, cwd=proj, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    locks = proj / ".snakemake" / "locks"
    deadline = time.time() + 120
    while not (locks.is_dir() and any(locks.iterdir())) and first.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    with ThreadPoolExecutor(2) as pool:  # the second one would redo the first run's jobs, were it not locked
        second, second_ri = pool.map(lambda extra: smk(proj, *args, *extra), [[], ["--rerun-incomplete"]])
    first_running = first.poll() is None
    out, _ = first.communicate(timeout=600)
    noop = smk(proj, "-n", *args[2:])  # the first run is complete: nothing left to do
    return {"proj": proj, "rc": first.returncode, "out": out, "second": second, "second_ri": second_ri} | {
        "first_running": first_running,
        "noop": noop.out,
    }


@pytest.mark.integration
def test_empty_inputs_folder_gives_empty_tables_and_says_why(empty_run, sample_run):
    proj, out = empty_run["proj"], empty_run["out"]
    assert empty_run["rc"] == 0, out[-3000:]
    no_traceback(out)
    assert table_headers(proj / "results") == table_headers(sample_run / "results")  # every table, same columns
    for t in TABLES:
        if t.endswith(".csv"):
            assert len((proj / "results/tables" / t).read_text(encoding="utf-8").splitlines()) == 1, t
    msg = "no reviews to analyse: the inputs folder 'resources/no-such-folder' (config reviews_dir): it does not exist"
    assert out.count(msg) == 1, out[-3000:]  # one log line naming the folder
    html = (proj / "results/report.html").read_text(encoding="utf-8")
    assert "Nothing to show: no reviews to analyse" in html and "no-such-folder" in html
    assert "**Nothing to show**" in (proj / "results/report.md").read_text(encoding="utf-8")
    # near miss: a run with reviews says nothing of the kind
    assert "Nothing to show" not in (sample_run / "results/report.html").read_text(encoding="utf-8")
    assert "no reviews to analyse" not in (sample_run / "results/logs/corpus_tables.log").read_text(encoding="utf-8")


@pytest.mark.integration
def test_strict_makes_the_empty_folder_an_error_with_the_same_line(empty_run):
    p = smk(empty_run["proj"], "--cores", "2", "--config", "reviews_dir=resources/no-such-folder", "strict=True")
    assert p.returncode != 0
    no_traceback(p.out)
    line = next(x for x in p.out.splitlines() if "ERROR" in x and "strict:" in x)
    assert line.endswith(
        "strict: no reviews to analyse: the inputs folder 'resources/no-such-folder' (config reviews_dir): "
        "it does not exist; the tables are empty (headers only)"
    )


@pytest.mark.integration
def test_second_run_in_the_same_folder_stops_and_leaves_the_first_alone(empty_run):
    assert empty_run["first_running"], "the first run ended before the second one looked: nothing was tested"
    second, second_ri = empty_run["second"], empty_run["second_ri"]
    assert second.returncode != 0 and second_ri.returncode != 0
    no_traceback(second.out + second_ri.out)
    # plain: the lock message, or (when it looks while the first is writing a file) the incomplete-files one
    assert "LockException" in second.out or "IncompleteFilesException" in second.out, second.out[-2000:]
    assert "Directory cannot be locked" in second_ri.out and "--unlock" in second_ri.out
    assert empty_run["rc"] == 0  # the first finished ...
    assert "Nothing to be done" in empty_run["noop"], empty_run["noop"][-2000:]  # ... and completely


@pytest.mark.integration
def test_odd_names_through_the_workflow(tmp_path):
    proj = copy_project(tmp_path / "proj")
    shutil.rmtree(proj / "resources/reviews")
    odd_folder(proj / "resources/reviews")
    p = smk(proj, "--cores", "2", "--config", "n_shards=1", "--", "results/tables/reviews.csv")
    assert p.returncode == 0, p.out[-3000:]
    no_traceback(p.out)
    rv = pd.read_csv(proj / "results/tables/reviews.csv", dtype=str, keep_default_na=False)
    rj = pd.read_csv(proj / "results/tables/rejected.csv", dtype=str, keep_default_na=False)
    assert sorted(rv.file) == sorted(ODD_NAMES)
    assert dict(zip(rj.file, rj.reason)) == {k: v for k, v in EXPECTED_REJECTED.items() if k in set(rj.file)}
    assert len(rv) + len(rj) == len(list((proj / "resources/reviews").iterdir()))
    assert not (proj / "pwned").exists()


@pytest.mark.integration
def test_20000_files_build_the_dag(folder_20k, tmp_path):
    proj = copy_project(tmp_path / "proj")
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = smk(proj, "-n", "-q", "--cores", "2", "--config", f"reviews_dir={folder_20k}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"20,000 files: dry run {time.perf_counter() - t:.1f} s wall, {cpu:.1f} s CPU")
    assert p.returncode == 0, p.out[-3000:]
    assert cpu < 60


def kill_points_project(tmp_path: Path, sample_run: Path) -> Path:
    """The finished sample run with its results removed except the shard caches."""
    proj = copy_run(sample_run, tmp_path / "proj")
    for p in (proj / "results").iterdir():
        if p.name != "interim":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    for p in (proj / "results/interim").iterdir():
        if p.is_dir():
            for q in p.iterdir():
                if q.name != "cache":
                    q.unlink()
        else:
            p.unlink()
    return proj


def wait_for(cond, proc, timeout=300):
    deadline = time.time() + timeout
    while not cond() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before the kill"


def kill_snakemake(proj: Path, cond, *args: str) -> None:
    """Start snakemake, ``kill -9`` the Snakemake process itself once ``cond()``; its running job goes on
    as an orphan (as after a real kill -9), and is waited for at the end of the test."""
    proc = subprocess.Popen(
        SNAKEMAKE + ["--cores", "2", *args],
        cwd=proj,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_for(cond, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return proc.pid


def wait_group(pgid: int, timeout: float = 300) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(pgid, signal.SIGKILL)


@pytest.mark.integration
def test_killed_at_several_points_then_rerun_gives_the_same_bytes(tmp_path, sample_run):
    proj = kill_points_project(tmp_path, sample_run)
    shard = next(p for p in (proj / "results/interim").iterdir() if p.is_dir())
    cache, incomplete = shard / "cache", proj / ".snakemake/incomplete"
    log = proj / f"results/logs/analyze_shard/{shard.name}.log"

    def fault(point: str, *args: str) -> None:
        """The shard job killed (the fault hook) at a named point."""
        p = smk(proj, "--cores", "2", *args, env={**os.environ, faults.ENV: point})
        assert p.returncode != 0 and "exit status 137" in p.out, (point, p.out[-3000:])
        no_traceback(p.out)
        assert not cache.exists() or index_is_trusted(cache), point  # the index never points at a torn file

    # 1. each run starts from what the previous kill left (the cache's other points: the unit test above)
    fault("write:temp")
    # 2. Snakemake itself killed while the shard job runs; the job goes on as an orphan
    log.unlink(missing_ok=True)
    groups = [kill_snakemake(proj, lambda: log.exists() and incomplete.is_dir() and any(incomplete.iterdir()))]
    again = smk(proj, "--cores", "2")
    assert again.returncode != 0 and ("--rerun-incomplete" in again.out or "--unlock" in again.out)
    no_traceback(again.out)
    assert smk(proj, "--unlock").returncode == 0
    fault("cache:swapped", "--rerun-incomplete")  # leaves no cache: the next job analyses the review
    # 3. killed again in the corpus stage; the rerun starts while the killed run's job may still be writing
    reviews_csv = proj / "results/tables/reviews.csv"
    assert not reviews_csv.exists()
    groups.append(kill_snakemake(proj, reviews_csv.exists, "--rerun-incomplete"))
    assert smk(proj, "--unlock").returncode == 0
    final = smk(proj, "--cores", "2", "--rerun-incomplete")
    for g in groups:
        wait_group(g)
    assert final.returncode == 0, final.out[-3000:]
    no_traceback(final.out)
    assert same_bytes(sample_run / "results", proj / "results") == []
    assert index_is_trusted(cache) and not [p for p in shard.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


def mount_tmpfs(path: Path, options: str) -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    path.mkdir(parents=True, exist_ok=True)
    return (
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True).returncode == 0
    )


@pytest.fixture
def empty_project(tmp_path):
    proj = copy_project(tmp_path / "proj")
    for f in (proj / "resources/reviews").iterdir():
        f.unlink()
    yield proj
    subprocess.run(["umount", str(proj / "results")], capture_output=True)


@pytest.mark.integration
def test_read_only_results_folder_is_named(empty_project):
    if not mount_tmpfs(empty_project / "results", "size=64k,ro"):
        pytest.skip("needs root and mount (a read-only tmpfs over results/); chmod does not stop root")
    p = smk(empty_project, "--cores", "2")
    assert p.returncode != 0
    no_traceback(p.out)
    assert "Read-only file system: 'results/" in p.out, p.out[-2000:]


@pytest.mark.integration
def test_full_results_folder_is_named_and_nothing_half_written_stays(empty_project):
    if not mount_tmpfs(empty_project / "results", "size=8k"):
        pytest.skip("needs root and mount (an 8 KB tmpfs over results/) to fill the disk")
    p = smk(empty_project, "--cores", "1", "--", "results/tables/reviews.csv")
    assert p.returncode != 0
    no_traceback(p.out)
    assert "no space left on the device (disk full) [ENOSPC]" in p.out and "cannot write results/" in p.out
    assert "Removing output files of failed job" in p.out
    left = {str(x.relative_to(empty_project)) for x in (empty_project / "results").rglob("*") if x.is_file()}
    outputs = {"results/tables/reviews.csv", "results/tables/rejected.csv", "results/tables/mentions.csv"}
    assert not left & outputs, left  # no output of the failed job is left as if complete
