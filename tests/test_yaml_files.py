"""read_yaml: the libyaml parser gives the values the pure-Python safe parser gives, and stays safe."""

import pytest
import yaml
from conftest import ROOT

from valuechain.yaml_files import parse_yaml, read_yaml


@pytest.mark.parametrize("path", sorted((ROOT / "config").glob("*.yaml")), ids=lambda p: p.name)
def test_config_files_load_as_with_the_safe_loader(path):
    assert read_yaml(path) == yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)


def test_scalars_resolve_as_yaml_1_1_safe_loading_does():
    text = "a: yes\nb: 0.5\nc: 2024-09-03\nd: '007'\ne: ~\nf: 1_000\n"
    assert parse_yaml(text) == yaml.safe_load(text)


def test_python_tags_are_refused(tmp_path):
    with pytest.raises(yaml.constructor.ConstructorError):
        parse_yaml('x: !!python/object/apply:os.system ["touch {}"]\n'.format(tmp_path / "PWNED"))
    assert not (tmp_path / "PWNED").exists()
