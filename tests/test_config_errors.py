"""A bad configuration stops the workflow before any job runs, with a message naming the key.

Snakemake loads a ``--configfile`` with its own loader, merges it over config/config.yaml and
common.smk validates the result against workflow/schemas/config.schema.yaml (additionalProperties:
false at every level). The many cases of each kind call those same functions in this process
(``load_configfile``, ``update_config``, ``validate``); one case of each kind runs the real
``snakemake -n --configfile BAD.yaml`` (~2 s each) on a temporary copy of the project, to show the
user sees the same message.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

SNAKEMAKE = [sys.executable, "-m", "snakemake", "--cores", "1"]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    proj = copy_project(tmp_path_factory.mktemp("cfg"))
    gaz = proj / "resources" / "gazetteer.tsv"
    if not gaz.exists():  # the dry run needs the file to exist, not to be right
        draft = ROOT.parent / "shared" / "docs" / "gazetteer_draft.tsv"
        gaz.write_bytes(draft.read_bytes() if draft.exists() else b"id\tcanonical_ko\n")
    return proj


def snakemake(proj: Path, *args: str) -> tuple[int, str]:
    p = subprocess.run(SNAKEMAKE + list(args), cwd=proj, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def with_config(proj: Path, name: str, text: str, *extra: str) -> tuple[int, str]:
    cfg = proj / name
    cfg.write_text(text, encoding="utf-8")
    return snakemake(proj, "-n", "--configfile", cfg.name, *extra)


def merged_config(tmp_path: Path, text: str) -> dict:
    """What common.smk validates: the file, loaded as Snakemake loads it, merged over the shipped config."""
    from snakemake.common.configfile import load_configfile
    from snakemake.utils import update_config

    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    config = load_configfile(str(ROOT / "config/config.yaml"))
    update_config(config, load_configfile(str(tmp_path / "c.yaml")))
    return config


def validation_error(config: dict) -> str:
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    with pytest.raises(WorkflowError) as e:
        validate(config, schema=str(ROOT / "workflow/schemas/config.schema.yaml"))
    return str(e.value)


def test_the_copy_dry_runs_with_the_shipped_config(project):
    code, out = snakemake(project, "-n")
    assert code == 0, out[-3000:]


@pytest.mark.parametrize(
    "yaml_text, key, expected",
    [
        ("n_shard: 4\n", "'n_shard' was unexpected", "Additional properties are not allowed"),
        ("kiwi:\n  model: cong\n", "'model' was unexpected", "Additional properties are not allowed"),
        ("n_shards: eight\n", "instance['n_shards']", "'eight' is not of type 'integer'"),
        ('strict: "yes"\n', "instance['strict']", "'yes' is not of type 'boolean'"),
        ("max_file_bytes: 0\n", "instance['max_file_bytes']", "0 is less than the minimum of 1"),
        ("max_file_bytes: 25MB\n", "instance['max_file_bytes']", "'25MB' is not of type 'integer'"),
        ("reviews_dir: 7\n", "instance['reviews_dir']", "7 is not of type 'string'"),
        (
            "kiwi:\n  model_type: huge\n",
            "instance['kiwi']['model_type']",
            "'huge' is not one of ['cong', 'cong-global', 'largest', 'knlm', 'sbg']",
        ),
    ],
)
def test_schema_error_names_the_key_and_the_expected_value(tmp_path, yaml_text, key, expected):
    out = validation_error(merged_config(tmp_path, yaml_text))
    assert "Error validating config file" in out
    assert key in out and expected in out, out


def test_schema_error_through_snakemake(project):
    code, out = with_config(project, "bad.yaml", "kiwi:\n  model_type: huge\n")
    assert code != 0
    assert "Error validating config file" in out, out[-2000:]
    assert "instance['kiwi']['model_type']" in out and "'huge' is not one of" in out, out[-3000:]
    assert "Job stats" not in out  # failed while parsing the workflow: no DAG, no job


@pytest.mark.parametrize("yaml_text", ["n_shards: [1\nstrict: true\n", "kiwi:\n\tmodel_type: cong\n", "a: b: c\n"])
def test_bad_yaml_is_refused(tmp_path, yaml_text):
    from snakemake.exceptions import WorkflowError

    with pytest.raises(WorkflowError, match="Config file is not valid JSON or YAML"):
        merged_config(tmp_path, yaml_text)


def test_bad_yaml_through_snakemake(project):
    code, out = with_config(project, "broken.yaml", "kiwi:\n\tmodel_type: cong\n")
    assert code != 0
    assert "Config file is not valid JSON or YAML" in out, out[-2000:]


def test_yaml_that_is_not_a_mapping(project):
    code, out = with_config(project, "list.yaml", "- reviews_dir\n- n_shards\n")
    assert code != 0
    assert "keys at top level" in out, out[-2000:]


def test_python_tags_in_yaml_are_not_executed(project):
    marker = project / "PWNED"
    code, out = with_config(project, "evil.yaml", f'x: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert code != 0
    assert not marker.exists()


def test_nothing_runs_when_the_config_is_bad(project):
    """Not a dry run: the error comes while parsing, before any output directory is made."""
    (project / "bad.yaml").write_text("n_shard: 4\n", encoding="utf-8")
    code, out = snakemake(project, "--configfile", "bad.yaml")
    assert code != 0 and "'n_shard' was unexpected" in out
    assert not (project / "results").exists()


def test_every_property_of_the_schema_is_closed():
    """additionalProperties: false on the root and every nested object, so typos are errors."""
    import yaml

    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))

    def walk(node, where):
        if isinstance(node, dict) and node.get("type") == "object":
            assert node.get("additionalProperties") is False, where
            for k, v in node.get("properties", {}).items():
                walk(v, f"{where}.{k}")

    walk(schema, "config")


# ------------------------------------------------------------------ static safety checks


def _python_sources():
    for base in ("valuechain", "workflow"):
        yield from (ROOT / base).rglob("*.py")


def test_yaml_is_only_loaded_safely():
    unsafe = []
    for path in _python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            name = node.func.attr
            if name in ("unsafe_load", "full_load", "unsafe_load_all", "full_load_all"):
                unsafe.append(f"{path}:{node.lineno} yaml.{name}")
            if name in ("load", "load_all") and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml":
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                if loader is None or "Safe" not in ast.unparse(loader):
                    unsafe.append(f"{path}:{node.lineno} yaml.{name} without SafeLoader")
    for path in (ROOT / "workflow").rglob("*.smk"):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"yaml\.(unsafe_load|full_load)|yaml\.load\((?![^)]*Safe)", line):
                unsafe.append(f"{path}:{i}")
    assert not unsafe, unsafe


def test_ingest_code_has_no_network_client():
    for mod in ("ingest.py", "html_extract.py", "corpus.py"):
        tree = ast.parse((ROOT / "valuechain" / mod).read_text(encoding="utf-8"))
        names = {
            a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names
        } | {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not names & {"urllib", "http", "requests", "httpx", "socket", "aiohttp", "urllib3"}, mod
