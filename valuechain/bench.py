"""End-to-end benchmark of the workflow on N synthetic reviews.

    python -m valuechain.bench --n 1000 [--seed 0] [--cores 2] [--incremental] [--keep DIR]
    python -m valuechain.bench --growth 100,1000

The reviews are made from the project's own material: sentences of the bundled reviews
(``resources/reviews/``) recombined into paragraphs, the names in them replaced by names of the same
type from the gazetteer (``resources/gazetteer.tsv``; ``/work/shared/docs/gazetteer_draft.tsv`` only
when that is missing), 2,000-6,000 characters each, about a third in the brunch copy-paste layout.
Review ``i`` depends only on (seed, i), so ``--n 100`` is a prefix of ``--n 1000``.

The project (Snakefile, workflow/, config/, resources/ without the reviews) is copied to a temporary
directory, the reviews are written to its ``resources/reviews/`` and the default target is built
with ``snakemake --cores C`` in a subprocess, whatever rules the workflow has at that moment.

Figures printed:

* wall time, CPU time (user+sys of the snakemake process and all its waited-for descendants) and
  peak RSS. Peak RSS comes from ``os.wait4`` on the snakemake process, i.e. the kernel's
  ``ru_maxrss`` with the semantics of ``getrusage(RUSAGE_CHILDREN)`` for that one run: the largest
  RSS of any *single* process of the tree. Because jobs run concurrently, the peak of the *sum* of
  the tree's RSS is sampled from /proc every 0.2 s as well ("tree RSS").
* reviews/s and characters/s, and the ratio to the floor: bare Kiwi tokenisation of the same texts
  in one process (``Kiwi(num_workers=2).tokenize(list_of_texts)`` with the same model and user
  dictionary), timed from interpreter start (imports and model load included).
* Snakemake start-up/DAG time (launch to the first job's start, from .snakemake/metadata), time with
  no job running, and per-rule times: every job's start/end from .snakemake/metadata, and the
  ``benchmark:`` files under results/benchmarks/.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

DRAFT_GAZETTEER = Path("/work/shared/docs/gazetteer_draft.tsv")
MIN_CHARS, MAX_CHARS = 2000, 6000
BRUNCH_SHARE = 0.35
PEN_NAMES = [
    "생각하는T",
    "반도체읽는밤",
    "책먹는개발자",
    "골드러시노트",
    "AI경제메모",
    "주말의서재",
    "실리콘밸리통신",
    "데이터센터산책",
    "투자일기",
    "퇴근길독서",
]
_HANGUL = re.compile(r"[가-힣]")
_SENT_SPLIT = re.compile(r"(?<=[.?!])\s+")


def project_root() -> Path:
    """The checkout this module belongs to (it has a Snakefile), else the working directory."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "Snakefile").exists() else Path.cwd()


# ------------------------------------------------------------------ synthetic reviews


@dataclass
class Sources:
    """Sentence templates of the bundled reviews and gazetteer names by type."""

    # a template is a list of str (literal text) and ("slot", type) pieces
    sentences: list[list]
    titles: list[list]  # templates of short lines for brunch titles
    names: dict[str, list[list[str]]]  # type -> entries -> [canonical_ko, alias, ...]
    gazetteer: Path
    review_files: list[str] = field(default_factory=list)


def read_gazetteer(path: Path) -> dict[str, list[list[str]]]:
    """type -> list of entries, each [canonical_ko, other aliases...] (tolerant of extra columns)."""
    by_type: dict[str, list[list[str]]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            typ = (row.get("type") or "").strip().upper()
            ko = (row.get("canonical_ko") or "").strip()
            if not typ or not ko:
                continue
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            names = list(dict.fromkeys([ko] + aliases))
            by_type.setdefault(typ, []).append(names)
    return {k: by_type[k] for k in sorted(by_type)}


def _alias_pattern(names: dict[str, list[list[str]]]) -> tuple[re.Pattern | None, dict[str, str]]:
    alias_type: dict[str, str] = {}
    for typ, entries in names.items():
        for entry in entries:
            for a in entry:
                if len(a) >= 2 and (len(a) >= 3 or _HANGUL.search(a)):
                    alias_type.setdefault(a, typ)
    if not alias_type:
        return None, {}
    alts = sorted(alias_type, key=lambda a: (-len(a), a))
    # Latin names only as whole words (Arm must not match inside Armstrong)
    pat = re.compile(
        "|".join(re.escape(a) if _HANGUL.search(a) else rf"(?<![A-Za-z]){re.escape(a)}(?![A-Za-z])" for a in alts)
    )
    return pat, alias_type


def _template(sentence: str, pat: re.Pattern | None, alias_type: dict[str, str]) -> list:
    if pat is None:
        return [sentence]
    out: list = []
    pos = 0
    for m in pat.finditer(sentence):
        if m.start() > pos:
            out.append(sentence[pos : m.start()])
        out.append(("slot", alias_type[m.group(0)]))
        pos = m.end()
    if pos < len(sentence):
        out.append(sentence[pos:])
    return out


def load_sources(project: Path | None = None) -> Sources:
    """Sentences of every readable review in resources/reviews/ and the gazetteer's names."""
    from .ingest import RejectedInput, ingest_bytes

    project = Path(project or project_root())
    gaz = project / "resources" / "gazetteer.tsv"
    if not gaz.exists():
        gaz = DRAFT_GAZETTEER
    names = read_gazetteer(gaz) if gaz.exists() else {}
    pat, alias_type = _alias_pattern(names)
    sentences, titles, used = [], [], []
    reviews_dir = project / "resources" / "reviews"
    for f in sorted(reviews_dir.iterdir()) if reviews_dir.is_dir() else []:
        if not f.is_file() or f.name.startswith(".") or f.suffix.lower() not in (".txt", ".md"):
            continue
        try:
            rv = ingest_bytes(f.stem, f.read_bytes(), source=f.name)
        except RejectedInput:
            continue
        used.append(f.name)
        for sp in rv.spans:
            chunk = rv.text[sp.start : sp.end]
            if sp.label in ("title", "subtitle"):
                titles.append(chunk.strip())
                continue
            for para in re.split(r"\n\s*\n", chunk):
                para = " ".join(para.split())
                for s in _SENT_SPLIT.split(para):
                    if len(s) >= 8 and _HANGUL.search(s):
                        sentences.append(_template(s, pat, alias_type))
    if not sentences:
        raise SystemExit(f"no review text found in {reviews_dir} to build synthetic reviews from")
    title_templates = [_template(t, pat, alias_type) for t in sorted(set(titles))]
    title_templates += [t for t in sentences if sum(len(p) for p in t if isinstance(p, str)) <= 40]
    return Sources(sentences, title_templates, names, gaz, used)


def _fill(template: list, names: dict[str, list[list[str]]], rng: random.Random) -> str:
    out = []
    for piece in template:
        if isinstance(piece, str):
            out.append(piece)
        else:
            entry = rng.choice(names[piece[1]])
            hangul = [a for a in entry[1:] if _HANGUL.search(a)]
            x = rng.random()
            if x < 0.75 or len(entry) == 1:
                out.append(entry[0])  # the Korean canonical name
            elif hangul and x < 0.95:
                out.append(rng.choice(hangul))
            else:
                out.append(rng.choice(entry[1:]))
    return "".join(out)


def make_review(src: Sources, seed: int, index: int) -> tuple[str, str]:
    """(file name, text) of synthetic review ``index``; depends only on (seed, index, sources)."""
    rng = random.Random(f"valuechain-bench:{seed}:{index}")
    target = rng.randint(MIN_CHARS + 100, MAX_CHARS - 300)
    brunch = rng.random() < BRUNCH_SHARE
    sep = "\n\n\n" if brunch else "\n\n"

    def sentence() -> str:
        return _fill(rng.choice(src.sentences), src.names, rng)

    def title_line() -> str:
        return _fill(rng.choice(src.titles), src.names, rng)[:60] if src.titles else sentence()[:40]

    head = ""
    foot = ""
    if brunch:
        title = title_line()
        works = src.names.get("WORK")
        people = src.names.get("PERSON")
        if works and people:
            subtitle = f"{rng.choice(people)[0]} 기자의 '{rng.choice(works)[0]}'"
        else:
            subtitle = sentence()[:60]
        head = f"brunch\n\n{title}\n\n{subtitle}\n\nby {rng.choice(PEN_NAMES)}\n\n\n"
        foot = f"\n\nkeyword\n작가의 이전글{title_line()}\n"
    paras: list[str] = []
    length = len(head) + len(foot)
    while length < target:
        k = rng.choice((1, 2, 2, 3, 3, 4))
        para = " ".join(sentence() for _ in range(k))
        paras.append(para)
        length += len(para) + len(sep)
    text = head + sep.join(paras) + foot
    while len(text) > MAX_CHARS and len(paras) > 1:  # a long last paragraph: drop sentences
        last = _SENT_SPLIT.split(paras[-1])
        paras[-1:] = [" ".join(last[:-1])] if len(last) > 1 else []
        text = head + sep.join(paras) + foot
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
    while len(text) < MIN_CHARS:
        paras.append(sentence())
        text = head + sep.join(paras) + foot
        text = text[:MAX_CHARS]
    if not text.endswith("\n"):
        text = text[: MAX_CHARS - 1] + "\n"
    return f"syn-{index:06d}.txt", text


def generate_reviews(
    n: int, seed: int = 0, project: Path | None = None, start: int = 0, sources: Sources | None = None
) -> list[tuple[str, str]]:
    """``n`` synthetic reviews (file name, text), indices ``start`` .. ``start+n-1``."""
    src = sources or load_sources(project)
    return [make_review(src, seed, i) for i in range(start, start + n)]


def write_reviews(folder: Path, reviews: list[tuple[str, str]]) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in reviews:
        (folder / name).write_text(text, encoding="utf-8")
        total += len(text)
    return total


# ------------------------------------------------------------------ project copy


def copy_project(src: Path, dst: Path) -> list[str]:
    """Snakefile, workflow/, config/, resources/ minus reviews. Returns notes on what was adapted."""
    notes = []
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "Snakefile", dst / "Snakefile")
    ignore = shutil.ignore_patterns("__pycache__", ".snakemake", "*.pyc")
    for d in ("workflow", "config"):
        if (src / d).exists():
            shutil.copytree(src / d, dst / d, ignore=ignore, symlinks=True)
    shutil.copytree(
        src / "resources",
        dst / "resources",
        symlinks=True,
        ignore=lambda d, names: (
            (["reviews"] if Path(d) == src / "resources" else []) + [n for n in names if n == "__pycache__"]
        ),
    )
    (dst / "resources" / "reviews").mkdir(exist_ok=True)
    if not (dst / "resources" / "gazetteer.tsv").exists() and DRAFT_GAZETTEER.exists():
        shutil.copy2(DRAFT_GAZETTEER, dst / "resources" / "gazetteer.tsv")
        notes.append(f"resources/gazetteer.tsv is missing in {src}: used {DRAFT_GAZETTEER} in the copy")
    # config paths such as ../shared/... resolve as in the checkout
    shared = src.parent / "shared"
    if shared.exists() and not (dst.parent / "shared").exists():
        try:
            (dst.parent / "shared").symlink_to(shared)
        except OSError:
            pass
    return notes


def read_config(workdir: Path) -> dict:
    import yaml

    with open(workdir / "config" / "config.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


# ------------------------------------------------------------------ measuring


def _children_of() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read()
            ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    return kids


_SCRIPT_RULE = re.compile(rb"\.snakemake/scripts/tmp[^/.]*\.(\w+)\.py")


def tree_rss_kb(pid: int, per_script: dict[str, int] | None = None) -> int:
    """Sum of the RSS of ``pid`` and all its descendants (kB).

    With ``per_script``, also keep the largest RSS seen per Snakemake ``script:`` (the script's
    name in .snakemake/scripts/ is ``tmpXXXX.<name>.py``), i.e. per rule for rules that use one.
    """
    kids = _children_of()
    todo, total, page_kb = [pid], 0, os.sysconf("SC_PAGE_SIZE") // 1024
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                rss = int(fh.read().split()[1]) * page_kb
            total += rss
            if per_script is not None:
                with open(f"/proc/{p}/cmdline", "rb") as fh:
                    m = _SCRIPT_RULE.search(fh.read())
                if m:
                    name = m.group(1).decode()
                    per_script[name] = max(per_script.get(name, 0), rss)
        except (OSError, ValueError, IndexError):
            pass
        todo.extend(kids.get(p, []))
    return total


@dataclass
class Run:
    cmd: list[str]
    rc: int
    t0: float  # epoch at launch
    wall: float
    user: float
    sys: float
    maxrss_kb: int  # ru_maxrss: the largest single process of the tree
    tree_rss_kb: int  # sampled peak of the sum over the tree
    log: Path
    other_cpu: float = 0.0  # CPU seconds used by processes outside this run meanwhile (contention)
    script_rss_kb: dict = field(default_factory=dict)  # sampled peak RSS per script: name (~rule)

    @property
    def cpu(self) -> float:
        return self.user + self.sys


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has been busy since boot (/proc/stat), 0 where unknown."""
    try:
        with open("/proc/stat") as fh:
            f = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = f[3] + (f[4] if len(f) > 4 else 0)  # idle + iowait
    guest = sum(f[8:10]) if len(f) > 9 else 0  # already counted in user/nice
    return (sum(f) - idle - guest) / os.sysconf("SC_CLK_TCK")


def run_measured(cmd: list[str], cwd: Path, log: Path, env: dict | None = None) -> Run:
    """Run ``cmd``, its output to ``log``; rusage of it and its descendants via os.wait4."""
    peak = [0]
    per_script: dict[str, int] = {}
    done = threading.Event()
    with open(log, "wb") as out:
        busy0 = busy_cpu_seconds()
        t0 = time.time()
        p0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss_kb(proc.pid, per_script))
                done.wait(0.2)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - p0
        busy = busy_cpu_seconds() - busy0
        done.set()
        th.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    other = max(0.0, busy - ru.ru_utime - ru.ru_stime)
    return Run(cmd, proc.returncode, t0, wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss, peak[0], log, other, per_script)


_PYTHONPATH: list[str] = []  # set by benchmark(): the package snapshot jobs import


def snapshot_package(project: Path, dest: Path) -> Path:
    """Copy the ``valuechain`` package next to the project copy; jobs import it via PYTHONPATH.

    The workflow scripts are copied, so the package they call must be frozen too: a package
    edited in the checkout during a long run would otherwise mix two versions.
    """
    src = project / "valuechain"
    if not (src / "__init__.py").exists():
        src = Path(__file__).resolve().parent
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, dest / "valuechain", dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def child_env(pythonpath: list[str] | None = None) -> dict:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    paths = list(pythonpath if pythonpath is not None else _PYTHONPATH)
    if paths:
        env["PYTHONPATH"] = os.pathsep.join(paths + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def snakemake_cmd(cores: int, extra: list[str] | None = None) -> list[str]:
    return [sys.executable, "-m", "snakemake", "--cores", str(cores)] + list(extra or [])


# ------------------------------------------------------------------ reading the run


@dataclass
class Job:
    rule: str
    key: str  # the job's log file, or its first output
    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


def read_metadata(workdir: Path, since: float = 0.0) -> list[Job]:
    """Jobs (one per job hash) recorded in .snakemake/metadata that started at or after ``since``."""
    jobs: dict[tuple, Job] = {}
    meta = workdir / ".snakemake" / "metadata"
    if not meta.is_dir():
        return []
    for f in meta.iterdir():
        try:
            d = json.loads(f.read_text())
        except (OSError, ValueError):
            continue
        st, en = d.get("starttime"), d.get("endtime")
        if st is None or en is None or st < since:
            continue
        # one record per output file; the outputs of one job share its job_hash
        key = (d.get("rule"), d.get("job_hash"))
        logs = d.get("log") or []
        job = jobs.setdefault(key, Job(d.get("rule", "?"), logs[0] if logs else f.name, st, en))
        job.start, job.end = min(job.start, st), max(job.end, en)
    return sorted(jobs.values(), key=lambda j: (j.start, j.rule, j.key))


_RULE_LINE = re.compile(r"^(?:local)?rule (\w+):\s*$")


def parse_jobs(log_text: str) -> list[str]:
    """'rule[wildcards]' for every job snakemake's output says it ran (or would run, with -n)."""
    out = []
    lines = log_text.splitlines()
    for i, line in enumerate(lines):
        m = _RULE_LINE.match(line)
        if not m:
            continue
        wc = ""
        for nxt in lines[i + 1 : i + 40]:
            if not nxt.startswith((" ", "\t")):
                break
            s = nxt.strip()
            if s.startswith("wildcards:"):
                wc = s[len("wildcards:") :].strip()
        out.append(f"{m.group(1)}[{wc}]" if wc else m.group(1))
    return out


def benchmark_rules(log_text: str) -> dict[str, str]:
    """benchmark file -> rule, from the job blocks of snakemake's output ('benchmark: <path>')."""
    out = {}
    rule = None
    for line in log_text.splitlines():
        m = _RULE_LINE.match(line)
        if m:
            rule = m.group(1)
        elif rule and line.strip().startswith("benchmark:"):
            out[line.split(":", 1)[1].strip()] = rule
    return out


def read_benchmarks(workdir: Path, rules_of: dict[str, str] | None = None, since: float = 0.0) -> dict[str, dict]:
    """results/benchmarks/**.tsv grouped by rule: jobs, sum/max seconds, CPU, max RSS.

    The rule of a file comes from snakemake's output (``rules_of``); failing that, from the path
    (results/benchmarks/<rule>/... or results/benchmarks/<rule>.tsv). ``since``: only files written at
    or after that epoch (the jobs of a rerun).
    """
    out: dict[str, dict] = {}
    root = workdir / "results" / "benchmarks"
    if not root.is_dir():
        return out
    rules_of = rules_of or {}
    for f in sorted(root.rglob("*.tsv")):
        if since and f.stat().st_mtime < since:
            continue
        rel = f.relative_to(root)
        rule = rules_of.get(str(f.relative_to(workdir))) or (rel.parts[0] if len(rel.parts) > 1 else f.stem)
        with open(f, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                agg = out.setdefault(rule, {"jobs": 0, "s": 0.0, "max_s": 0.0, "cpu_s": 0.0, "max_rss_mb": 0.0})
                s = _num(row.get("s"))
                agg["jobs"] += 1
                agg["s"] += s
                agg["max_s"] = max(agg["max_s"], s)
                agg["cpu_s"] += _num(row.get("cpu_time"))
                agg["max_rss_mb"] = max(agg["max_rss_mb"], _num(row.get("max_rss")))
    return out


def _num(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return 0.0


def per_rule(jobs: list[Job]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for j in jobs:
        agg = out.setdefault(j.rule, {"jobs": 0, "s": 0.0, "max_s": 0.0, "min_s": math.inf})
        agg["jobs"] += 1
        agg["s"] += j.seconds
        agg["max_s"] = max(agg["max_s"], j.seconds)
        agg["min_s"] = min(agg["min_s"], j.seconds)
    return out


def idle_seconds(jobs: list[Job], t0: float, wall: float) -> float:
    """Time between launch and exit during which no job was running."""
    busy, cur_s, cur_e = 0.0, None, None
    for j in sorted(jobs, key=lambda j: j.start):
        if cur_e is None or j.start > cur_e:
            if cur_e is not None:
                busy += cur_e - cur_s
            cur_s, cur_e = j.start, j.end
        else:
            cur_e = max(cur_e, j.end)
    if cur_e is not None:
        busy += cur_e - cur_s
    return max(0.0, wall - busy)


# ------------------------------------------------------------------ the floor

FLOOR_CODE = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from kiwipiepy import Kiwi
folder, model, userdict, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).iterdir()) if p.is_file()]
t1 = time.perf_counter()
kiwi = Kiwi(num_workers=workers, model_type=model)
if userdict:
    kiwi.load_user_dictionary(userdict)
t2 = time.perf_counter()
n_tokens = sum(len(r) for r in kiwi.tokenize(texts))
t3 = time.perf_counter()
print(json.dumps({"import_read_s": t1 - t0, "load_s": t2 - t1, "tokenize_s": t3 - t2,
                  "n_texts": len(texts), "n_chars": sum(map(len, texts)), "n_tokens": n_tokens}))
"""


def run_floor(reviews_dir: Path, workdir: Path, cfg: dict, workers: int, log: Path) -> tuple[Run, dict]:
    kiwi = cfg.get("kiwi") or {}
    userdict = kiwi.get("user_dictionary") or ""
    if userdict and not Path(userdict).is_absolute():
        userdict = str(workdir / userdict)
    cmd = [sys.executable, "-c", FLOOR_CODE, str(reviews_dir), kiwi.get("model_type", "cong"), userdict, str(workers)]
    run = run_measured(cmd, workdir, log, env=child_env())
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    if run.rc != 0 or not text:
        raise SystemExit(f"floor run failed (rc {run.rc}), see {log}")
    return run, json.loads(text[-1])


# ------------------------------------------------------------------ per-job start-up

PROBE_SNAKEFILE = """
N = range(int(config.get("njobs", 3)))
rule all:
    input: expand("out/{i}.shell", i=N), expand("out/{i}.empty", i=N), expand("out/{i}.imports", i=N)
rule shell_job:
    output: "out/{i}.shell"
    shell: "touch {output}"
rule empty_script:
    output: "out/{i}.empty"
    script: "empty.py"
rule imports_script:
    output: "out/{i}.imports"
    params: model=config["model"], userdict=config["userdict"]
    script: "imports.py"
"""
PROBE_EMPTY = "open(snakemake.output[0], 'w').close()\n"
PROBE_IMPORTS = """
import json, time
t = [time.perf_counter()]
import pandas, pyarrow.parquet
t.append(time.perf_counter())
import spacy
t.append(time.perf_counter())
import valuechain.stages.tokens
t.append(time.perf_counter())
from kiwipiepy import Kiwi
k = Kiwi(num_workers=1, model_type=snakemake.params.model)
if snakemake.params.userdict:
    k.load_user_dictionary(snakemake.params.userdict)
t.append(time.perf_counter())
list(k.tokenize(["엔비디아는 GPU를 판다."], split_sents=True))  # Kiwi builds its search structures lazily
t.append(time.perf_counter())
# the same without Kiwi's multi-word dictionary (multi-word names such as 텍사스 인스트루먼츠)
k = Kiwi(num_workers=1, model_type=snakemake.params.model, load_multi_dict=False)
if snakemake.params.userdict:
    k.load_user_dictionary(snakemake.params.userdict)
list(k.tokenize(["엔비디아는 GPU를 판다."], split_sents=True))
t.append(time.perf_counter())
names = [
    "pandas+pyarrow",
    "spacy",
    "valuechain.stages.tokens",
    "Kiwi model+user dictionary",
    "Kiwi first analysis (lazy set-up)",
    "Kiwi load+set-up without the multi-word dictionary",
]
with open(snakemake.output[0], "w") as fh:
    json.dump({n: b - a for n, a, b in zip(names, t, t[1:])}, fh)
"""


def startup_probe(folder: Path, cfg: dict, workdir: Path, logs: Path, out=print) -> dict:
    """Per-job cost of Snakemake itself, of a `script:` job, and of the usual imports (run serially)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Snakefile").write_text(PROBE_SNAKEFILE, encoding="utf-8")
    (folder / "empty.py").write_text(PROBE_EMPTY, encoding="utf-8")
    (folder / "imports.py").write_text(PROBE_IMPORTS, encoding="utf-8")
    kiwi = cfg.get("kiwi") or {}
    ud = kiwi.get("user_dictionary") or ""
    ud = str(workdir / ud) if ud and not Path(ud).is_absolute() else ud
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "--cores",
        "1",
        "--config",
        "njobs=3",
        f"model={kiwi.get('model_type', 'cong')}",
        f"userdict={ud}",
    ]
    run = run_measured(cmd, folder, logs / "probe.log", env=child_env())
    if run.rc != 0:
        out(f"   start-up probe failed (rc {run.rc}), see {logs / 'probe.log'}")
        return {}
    jobs = read_metadata(folder)
    rules = per_rule(jobs)
    first = min((j.start for j in jobs), default=run.t0) - run.t0
    gap = (idle_seconds(jobs, run.t0, run.wall) - first) / max(1, len(jobs))
    # after the last job Snakemake waits for its own job-rate timer (1 s) before the process exits
    wind_down = run.t0 + run.wall - max((j.end for j in jobs), default=run.t0 + run.wall)
    noop = run_measured(cmd, folder, logs / "probe_noop.log", env=child_env())  # a trivial workflow's floor
    parts: dict[str, list[float]] = {}
    for f in sorted((folder / "out").glob("*.imports")):
        for k, v in json.loads(f.read_text()).items():
            parts.setdefault(k, []).append(v)
    res = {r: v["s"] / v["jobs"] for r, v in rules.items()}
    res.update(scheduler_gap=gap, startup_dag=first, wind_down=wind_down, noop_trivial=noop.wall)
    res.update({k: sum(v) / len(v) for k, v in parts.items()})
    out("per-job start-up probe (3 jobs each, serial; seconds per job):")
    out(
        f"   Snakemake start-up {first:.2f}; gap between jobs (scheduling, bookkeeping) {gap:.2f}; "
        f"shell `touch` job {res.get('shell_job', 0):.2f}; "
        f"empty `script:` job (+ Python, script preamble) {res.get('empty_script', 0):.2f}; "
        f"script importing the stack + loading Kiwi {res.get('imports_script', 0):.2f}"
    )
    out("   of which " + ", ".join(f"{k} {sum(v) / len(v):.2f}" for k, v in parts.items()))
    out(
        f"   after the last job until Snakemake exits {wind_down:.2f}; no-op rerun of this 4-rule workflow "
        f"{noop.wall:.2f} (the floor of any no-op rerun)"
    )
    return res


# ------------------------------------------------------------------ one benchmark


def _mb(kb: int) -> float:
    return kb / 1024.0


def fmt_run(label: str, run: Run, n: int | None = None, chars: int | None = None) -> str:
    s = (
        f"{label}: wall {run.wall:.1f} s, CPU {run.cpu:.1f} s (user {run.user:.1f} + sys {run.sys:.1f}), "
        f"peak RSS {_mb(run.maxrss_kb):.0f} MB (largest process, ru_maxrss) / "
        f"{_mb(run.tree_rss_kb):.0f} MB (sum over the tree, sampled)"
    )
    if n and run.wall > 0:
        s += f", {n / run.wall:.1f} reviews/s"
    if chars and run.wall > 0:
        s += f", {chars / run.wall:,.0f} chars/s"
    if run.other_cpu > 0.05 * run.wall:
        s += (
            f"\n   WARNING: other processes used {run.other_cpu:.1f} CPU-s meanwhile "
            f"({run.other_cpu / run.wall:.2f} cores on average): timings are inflated"
        )
    return s


def rule_table(jobs: list[Job], bench: dict[str, dict]) -> list[str]:
    rows = per_rule(jobs)
    lines = [
        f"  {'rule':<22}{'jobs':>5}{'sum s':>9}{'max s':>8}{'min s':>8}   benchmark: {'sum s':>7}{'cpu s':>8}{'max RSS MB':>11}"
    ]
    for rule in sorted(set(rows) | set(bench), key=lambda r: -rows.get(r, {}).get("s", 0)):
        r = rows.get(rule, {})
        b = bench.get(rule)
        left = (
            f"  {rule:<22}{r.get('jobs', 0):>5}{r.get('s', 0):>9.1f}{r.get('max_s', 0):>8.1f}"
            f"{(r.get('min_s') if r.get('jobs') else 0):>8.1f}"
        )
        right = f"   {'':<11}{b['s']:>7.1f}{b['cpu_s']:>8.1f}{b['max_rss_mb']:>11.0f}" if b else ""
        lines.append(left + right)
    return lines


def benchmark(
    n: int,
    seed: int,
    cores: int,
    workdir: Path,
    project: Path,
    incremental: bool,
    floor_workers: int = 2,
    smk_args: list[str] | None = None,
    probe: bool = False,
    out=print,
    links_overhead: bool = False,
) -> dict:
    """Generate, copy, run; returns the figures (also printed with ``out``)."""
    res: dict = {"n": n, "seed": seed, "cores": cores, "workdir": str(workdir), "smk_args": smk_args or []}
    t = time.perf_counter()
    src = load_sources(project)
    reviews = generate_reviews(n, seed, sources=src)
    notes = copy_project(project, workdir)
    _PYTHONPATH[:] = [str(snapshot_package(project, workdir.parent / "pkg"))]
    reviews_dir = workdir / "resources" / "reviews"
    chars = write_reviews(reviews_dir, reviews)
    cfg = read_config(workdir)
    res.update(
        chars=chars,
        gen_s=time.perf_counter() - t,
        n_shards=cfg.get("n_shards"),
        gazetteer=str(src.gazetteer),
        source_reviews=src.review_files,
    )
    out(
        f"== {n} synthetic reviews (seed {seed}), {chars:,} characters, "
        f"{len(src.sentences)} sentence templates from {', '.join(src.review_files)}; "
        f"names from {src.gazetteer}; generated in {res['gen_s']:.1f} s"
    )
    for note in notes:
        out(f"   note: {note}")
    out(f"   package snapshot imported by the jobs: {_PYTHONPATH[0]}/valuechain")
    out(
        f"   project copy: {workdir}  (n_shards {cfg.get('n_shards')} in config/config.yaml, "
        f"snakemake --cores {cores} {' '.join(smk_args or [])})"
    )
    logs = workdir / "bench-logs"
    logs.mkdir(exist_ok=True)

    if probe:
        res["probe"] = startup_probe(workdir.parent / "probe", cfg, workdir, logs, out)

    floor = None
    if floor_workers > 0:
        floor, fl = run_floor(reviews_dir, workdir, cfg, floor_workers, logs / "floor.log")
        res["floor"] = dict(
            wall=floor.wall, cpu=floor.cpu, maxrss_mb=_mb(floor.maxrss_kb), other_cpu=floor.other_cpu, **fl
        )
        out(fmt_run(f"floor (Kiwi(num_workers={floor_workers}).tokenize(all texts), one process)", floor, n, chars))
        out(
            f"   of which imports+reading {fl['import_read_s']:.1f} s, model+user dictionary load {fl['load_s']:.1f} s, "
            f"tokenize {fl['tokenize_s']:.1f} s ({fl['n_chars'] / max(fl['tokenize_s'], 1e-9):,.0f} chars/s)"
        )

    run = run_measured(snakemake_cmd(cores, smk_args), workdir, logs / "full.log", env=child_env())
    if run.rc != 0:
        tail = "\n".join(run.log.read_text(errors="replace").splitlines()[-40:])
        raise SystemExit(f"snakemake failed (rc {run.rc}); last lines of {run.log}:\n{tail}")
    jobs = read_metadata(workdir, since=run.t0 - 1)
    bench = read_benchmarks(workdir, benchmark_rules(run.log.read_text(errors="replace")))
    first = min((j.start for j in jobs), default=run.t0) - run.t0
    idle = idle_seconds(jobs, run.t0, run.wall)
    res["full"] = dict(
        wall=run.wall,
        cpu=run.cpu,
        user=run.user,
        sys=run.sys,
        maxrss_mb=_mb(run.maxrss_kb),
        tree_rss_mb=_mb(run.tree_rss_kb),
        other_cpu=run.other_cpu,
        reviews_per_s=n / run.wall,
        chars_per_s=chars / run.wall,
        ratio_to_floor=run.wall / floor.wall if floor else None,
        startup_dag_s=first,
        idle_s=idle,
        jobs=len(jobs),
        rules=per_rule(jobs),
        benchmarks=bench,
    )
    out(fmt_run(f"workflow (snakemake --cores {cores}, {len(jobs)} jobs)", run, n, chars))
    if floor:
        out(f"   ratio to floor: {run.wall / floor.wall:.2f}x wall, {run.cpu / max(floor.cpu, 1e-9):.2f}x CPU")
    out(
        f"   snakemake start-up + DAG (launch -> first job start): {first:.1f} s; "
        f"time with no job running: {idle:.1f} s"
    )
    out("   per rule (.snakemake/metadata start/end; benchmark: results/benchmarks/):")
    for line in rule_table(jobs, bench):
        out(line)
    res["full"]["script_rss_mb"] = {k: _mb(v) for k, v in run.script_rss_kb.items()}
    out(
        "   peak RSS per workflow script (sampled every 0.2 s; MB): "
        + ", ".join(f"{k} {_mb(v):.0f}" for k, v in sorted(run.script_rss_kb.items(), key=lambda kv: -kv[1]))
    )

    if incremental:
        noop = run_measured(snakemake_cmd(cores, smk_args), workdir, logs / "noop.log", env=child_env())
        res["noop"] = dict(wall=noop.wall, cpu=noop.cpu, jobs=parse_jobs(noop.log.read_text(errors="replace")))
        out(
            f"no-op rerun (nothing to do): wall {noop.wall:.1f} s, CPU {noop.cpu:.1f} s, "
            f"jobs {res['noop']['jobs'] or 'none'}"
        )
        name, text = make_review(src, seed, n)
        write_reviews(reviews_dir, [(name, text)])
        from .corpus import review_id_for, shard_of

        shard = shard_of(review_id_for(name), int(cfg.get("n_shards") or 1))
        inc = run_measured(snakemake_cmd(cores, smk_args), workdir, logs / "incremental.log", env=child_env())
        if inc.rc != 0:
            raise SystemExit(f"incremental snakemake failed (rc {inc.rc}), see {inc.log}")
        ran = parse_jobs(inc.log.read_text(errors="replace"))
        ijobs = read_metadata(workdir, since=inc.t0 - 1)
        ifirst = min((j.start for j in ijobs), default=inc.t0) - inc.t0
        res["incremental"] = dict(
            wall=inc.wall,
            cpu=inc.cpu,
            maxrss_mb=_mb(inc.maxrss_kb),
            added=name,
            other_cpu=inc.other_cpu,
            shard=shard,
            jobs=ran,
            startup_dag_s=ifirst,
            rules=per_rule(ijobs),
        )
        ibench = read_benchmarks(workdir, benchmark_rules(inc.log.read_text(errors="replace")), since=inc.t0 - 1)
        res["incremental"]["benchmarks"] = ibench
        res["incremental"]["idle_s"] = iidle = idle_seconds(ijobs, inc.t0, inc.wall)
        out(fmt_run(f"incremental (+1 review {name} -> {shard}, rerun)", inc))
        out(
            f"   start-up + DAG {ifirst:.1f} s; time with no job running {iidle:.1f} s; "
            f"jobs that ran ({len(ran)}): {', '.join(ran)}"
        )
        for line in rule_table(ijobs, ibench):
            out(line)
    if links_overhead:
        res["links_overhead"] = links_overhead_run(workdir, reviews, cores, smk_args, out)
    return res


# ------------------------------------------------------------------ what links cost the shard stage


def link_constructions() -> set[str]:
    """The constructions that make links (scope ``link``) or roles read off links (``derived``)."""
    from .relations import REGISTRY, resolve

    resolve([])  # registers them
    return {name for name, c in REGISTRY.items() if c.scope in ("link", "derived")}


def shard_stage(workdir: Path, cores: int, smk_args: list[str] | None, log: Path, out=print) -> dict:
    """Run only the shard jobs (``--until analyze_shard``) in ``workdir``; their summed job time and CPU."""
    run = run_measured(
        snakemake_cmd(cores, list(smk_args or []) + ["--until", "analyze_shard"]), workdir, log, env=child_env()
    )
    if run.rc != 0:
        raise SystemExit(f"shard-stage run failed (rc {run.rc}), see {log}")
    jobs = [j for j in read_metadata(workdir, since=run.t0 - 1) if j.rule == "analyze_shard"]
    bench = read_benchmarks(workdir, benchmark_rules(log.read_text(errors="replace")), since=run.t0 - 1)
    b = bench.get("analyze_shard", {})
    return {
        "wall": run.wall,
        "cpu": run.cpu,
        "jobs": len(jobs),
        "job_s": sum(j.seconds for j in jobs),
        "job_cpu_s": b.get("cpu_s", 0.0),
        "max_rss_mb": b.get("max_rss_mb", 0.0),
        "other_cpu": run.other_cpu,
    }


def links_overhead_run(workdir: Path, reviews: list, cores: int, smk_args: list[str] | None, out=print) -> dict:
    """The shard stage on the same reviews with the default constructions and without the link ones
    (config relations.constructions minus every ``link`` and ``derived`` construction): time per review.

    Each in a fresh copy of the project (no shard cache), one after the other, the order alternated
    over two rounds so that a change of load on the machine hits both alike.
    """
    import yaml

    drop = link_constructions()
    cfg = read_config(workdir)
    kept = [c for c in cfg["relations"]["constructions"] if c not in drop]
    n = len(reviews)
    runs: dict[str, list[dict]] = {"with": [], "without": []}
    for rnd, order in enumerate((("with", "without"), ("without", "with"))):
        for variant in order:
            wd = workdir.parent / f"links-{variant}-{rnd}"
            shutil.rmtree(wd, ignore_errors=True)
            copy_project(workdir, wd)
            write_reviews(wd / "resources" / "reviews", reviews)
            if variant == "without":
                c = read_config(wd)
                c["relations"]["constructions"] = kept
                (wd / "config" / "config.yaml").write_text(
                    yaml.safe_dump(c, allow_unicode=True, sort_keys=False), encoding="utf-8"
                )
            runs[variant].append(shard_stage(wd, cores, smk_args, wd.parent / f"links-{variant}-{rnd}.log", out))
            shutil.rmtree(wd, ignore_errors=True)
    res: dict = {"dropped": sorted(drop & set(cfg["relations"]["constructions"])), "n": n}
    for v, rs in runs.items():
        res[v] = {
            "job_s_per_review": sum(r["job_s"] for r in rs) / (n * len(rs)),
            "job_cpu_s_per_review": sum(r["job_cpu_s"] for r in rs) / (n * len(rs)),
            "wall": [r["wall"] for r in rs],
            "jobs": rs[0]["jobs"],
            "other_cpu": sum(r["other_cpu"] for r in rs),
        }
    w, wo = res["with"], res["without"]
    res["added_job_s"] = w["job_s_per_review"] / wo["job_s_per_review"] - 1 if wo["job_s_per_review"] else math.nan
    res["added_cpu"] = (
        w["job_cpu_s_per_review"] / wo["job_cpu_s_per_review"] - 1 if wo["job_cpu_s_per_review"] else math.nan
    )
    out(
        f"shard stage per review (analyze_shard jobs only, {w['jobs']} jobs, two rounds each, model loading included): "
        f"with links {1000 * w['job_s_per_review']:.1f} ms job time / {1000 * w['job_cpu_s_per_review']:.1f} ms CPU, "
        f"without the link constructions {1000 * wo['job_s_per_review']:.1f} ms / "
        f"{1000 * wo['job_cpu_s_per_review']:.1f} ms CPU: links add {100 * res['added_job_s']:.0f}% job time, "
        f"{100 * res['added_cpu']:.0f}% CPU"
    )
    out(f"   left out without links: {', '.join(res['dropped'])}")
    if w["other_cpu"] + wo["other_cpu"] > 0.05 * sum(w["wall"] + wo["wall"]):
        out(f"   WARNING: other processes used {w['other_cpu'] + wo['other_cpu']:.1f} CPU-s meanwhile")
    return res


# ------------------------------------------------------------------ growth


def growth_report(a: dict, b: dict, out=print) -> dict:
    """Per-rule ratios between two sizes (summed job seconds, and CPU seconds where the rule has a
    ``benchmark:`` file), and the fastest-growing corpus-level step."""
    na, nb = a["n"], b["n"]
    ra, rb = a["full"]["rules"], b["full"]["rules"]
    ba, bb = a["full"].get("benchmarks", {}), b["full"].get("benchmarks", {})
    size = nb / na
    out(f"== growth {na} -> {nb} reviews (x{size:g}); exponent = log(ratio)/log({size:g}): 1 = linear")
    out(
        f"  {'rule':<18}{'jobs':>9}{'wall s':>9}{'wall s':>9}{'ratio':>7}{'exp':>6}"
        f"{'CPU s':>9}{'CPU s':>9}{'ratio':>7}{'exp':>6}  kind"
    )
    rows = {}

    def expo(r):
        return math.log(r) / math.log(size) if r and math.isfinite(r) and r > 0 and size != 1 else math.nan

    for rule in sorted(set(ra) | set(rb), key=lambda r: -rb.get(r, {}).get("s", 0)):
        sa, sb = ra.get(rule, {}).get("s", 0.0), rb.get(rule, {}).get("s", 0.0)
        ja, jb = ra.get(rule, {}).get("jobs", 0), rb.get(rule, {}).get("jobs", 0)
        ca, cb = ba.get(rule, {}).get("cpu_s"), bb.get(rule, {}).get("cpu_s")
        ratio = sb / sa if sa > 0 else math.inf
        cratio = cb / ca if ca and cb is not None else math.nan
        kind = "corpus" if ja <= 1 and jb <= 1 else "per-shard"
        rows[rule] = dict(
            s_a=sa,
            s_b=sb,
            jobs_a=ja,
            jobs_b=jb,
            ratio=ratio,
            exponent=expo(ratio),
            cpu_a=ca,
            cpu_b=cb,
            cpu_ratio=cratio,
            cpu_exponent=expo(cratio),
            kind=kind,
        )
        cpu = (
            f"{ca:>9.1f}{cb:>9.1f}{cratio:>7.2f}{expo(cratio):>6.2f}"
            if ca and cb is not None
            else f"{'':>9}{'':>9}{'':>7}{'':>6}"
        )
        out(f"  {rule:<18}{f'{ja}/{jb}':>9}{sa:>9.1f}{sb:>9.1f}{ratio:>7.2f}{expo(ratio):>6.2f}{cpu}  {kind}")
    for key, label in (
        ("wall", "whole run wall"),
        ("cpu", "whole run CPU"),
        ("startup_dag_s", "start-up+DAG"),
        ("idle_s", "no job running"),
        ("other_cpu", "others' CPU (noise)"),
    ):
        va, vb = a["full"].get(key, 0.0), b["full"].get(key, 0.0)
        out(f"  {label:<27}{va:>9.1f}{vb:>9.1f}{(vb / va if va else math.inf):>7.2f}")
    if "incremental" in a and "incremental" in b:
        out(
            f"  {'incremental rerun wall':<27}{a['incremental']['wall']:>9.1f}{b['incremental']['wall']:>9.1f}"
            f"{b['incremental']['wall'] / a['incremental']['wall']:>7.2f}"
        )
    corpus = {r: v for r, v in rows.items() if v["kind"] == "corpus" and v["s_a"] > 0.5}

    def key(r):  # CPU ratio where measured (robust to other load), else wall ratio
        v = corpus[r]
        return v["cpu_ratio"] if math.isfinite(v["cpu_ratio"]) else v["ratio"]

    fastest = max(corpus, key=key) if corpus else None
    biggest = max(corpus, key=lambda r: corpus[r]["s_b"]) if corpus else None
    if fastest:
        v = corpus[fastest]
        out(
            f"  fastest-growing corpus-level step: {fastest} (x{key(fastest):.1f} for x{size:g} reviews; "
            f"wall {v['s_a']:.1f} s -> {v['s_b']:.1f} s)"
        )
    if biggest and biggest != fastest:
        out(f"  largest corpus-level step at {nb}: {biggest} ({corpus[biggest]['s_b']:.1f} s)")
    return {"rules": rows, "fastest_corpus_step": fastest, "largest_corpus_step": biggest}


# ------------------------------------------------------------------ command line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m valuechain.bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=1000, help="number of synthetic reviews (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cores", type=int, default=2, help="snakemake --cores (default 2)")
    ap.add_argument(
        "--incremental", action="store_true", help="after the full run: a no-op rerun, then add 1 review and rerun"
    )
    ap.add_argument("--keep", metavar="DIR", help="run in DIR (created; must be empty) and keep it")
    ap.add_argument(
        "--growth",
        metavar="A,B",
        nargs="?",
        const="100,1000",
        help="run two sizes (default 100,1000) and print per-rule ratios",
    )
    ap.add_argument(
        "--floor-workers", type=int, default=2, help="Kiwi num_workers of the floor (default 2; 0: no floor run)"
    )
    ap.add_argument("--project", type=Path, default=None, help="the checkout to copy (default: this one)")
    ap.add_argument("--json", metavar="FILE", help="also write all figures as JSON")
    ap.add_argument(
        "--compare",
        nargs=2,
        metavar=("A.json", "B.json"),
        help="print the growth table of two earlier --json outputs (no run)",
    )
    ap.add_argument(
        "--probe",
        action="store_true",
        help="also measure per-job start-up (Snakemake, script preamble, imports, Kiwi load)",
    )
    ap.add_argument(
        "--links-overhead",
        action="store_true",
        help="also run the shard stage alone with and without the link constructions (twice each) and "
        "print the time per review of each",
    )
    ap.add_argument(
        "--smk-args",
        default="",
        metavar="ARGS",
        help='extra snakemake arguments for every run, e.g. "--config n_shards=4 --set-threads analyze_shard=2"',
    )
    args = ap.parse_args(argv)
    if args.compare:
        runs = [json.loads(Path(f).read_text(encoding="utf-8"))["runs"][-1] for f in args.compare]
        growth_report(*sorted(runs, key=lambda r: r["n"]))
        return 0
    project = (args.project or project_root()).resolve()
    print(f"valuechain.bench: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, project {project}")

    keep = Path(args.keep).resolve() if args.keep else None
    if keep is not None:
        if keep.exists() and any(keep.iterdir()):
            raise SystemExit(f"--keep {keep}: exists and is not empty")
        keep.mkdir(parents=True, exist_ok=True)

    def workdir_for(tag: str) -> tuple[Path, Path | None]:
        if keep is not None:
            return keep / tag / "project", None
        tmp = Path(tempfile.mkdtemp(prefix="valuechain-bench-"))
        return tmp / tag / "project", tmp

    sizes = [int(x) for x in args.growth.split(",")] if args.growth else [args.n]
    results, cleanup = [], []
    try:
        for n in sizes:
            wd, tmp = workdir_for(f"n{n}")
            if tmp:
                cleanup.append(tmp)
            results.append(
                benchmark(
                    n,
                    args.seed,
                    args.cores,
                    wd,
                    project,
                    args.incremental,
                    args.floor_workers,
                    shlex.split(args.smk_args),
                    args.probe,
                    links_overhead=args.links_overhead,
                )
            )
        summary: dict = {"runs": results}
        if len(results) == 2:
            summary["growth"] = growth_report(results[0], results[1])
        if args.json:
            Path(args.json).write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
    finally:
        for tmp in cleanup:
            shutil.rmtree(tmp, ignore_errors=True)
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"(all children of the benchmark together: CPU {ru.ru_utime + ru.ru_stime:.1f} s, "
        f"largest ru_maxrss {_mb(ru.ru_maxrss):.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
