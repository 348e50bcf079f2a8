"""The README stays true: CI runs exactly its install and test commands."""

import re

from conftest import ROOT


def commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)
    return blocks[0].strip(), blocks[1].strip()


def test_ci_runs_the_readme_commands():
    install, test = commands()
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert install in ci and test in ci
    assert ci.index(install) < ci.index(test)


def test_every_config_key_is_documented():
    import yaml

    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    doc = (ROOT / "config/README.md").read_text(encoding="utf-8")
    for key, spec in schema["properties"].items():
        assert "description" in spec and "default" in spec, key
        if spec.get("type") == "object":
            for sub, sspec in spec["properties"].items():
                assert "description" in sspec and "default" in sspec, f"{key}.{sub}"
                assert f"`{key}.{sub}`" in doc, f"{key}.{sub}"
        else:
            assert f"`{key}`" in doc, key
