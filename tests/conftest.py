import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "resources" / "reviews" / "ai-goldrush.txt"


@pytest.fixture(scope="session")
def nlp():
    from valuechain.spacy_kiwi import make_nlp

    return make_nlp(user_dictionary=str(ROOT / "resources" / "kiwi_userdict.tsv"))


@pytest.fixture(scope="session")
def sample_text():
    from valuechain.ingest import decode_bytes

    return decode_bytes(SAMPLE.read_bytes()).text


def copy_project(dest: Path) -> Path:
    """A runnable copy of the workflow (no results, no venv) for command-line tests."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "config", "resources"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def copy_run(src: Path, dest: Path) -> Path:
    """A copy of a project folder with its results and .snakemake state (modification times kept, so
    Snakemake sees the same up-to-date run)."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """One finished ``snakemake --cores 2`` on a copy of the project with the bundled sample.

    Shared by the workflow and fault tests: copy it with :func:`copy_run`, never change it.
    """
    proj = copy_project(tmp_path_factory.mktemp("sample-run") / "proj")
    p = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2"], cwd=proj, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return proj
