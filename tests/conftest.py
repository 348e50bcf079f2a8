import shutil
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
