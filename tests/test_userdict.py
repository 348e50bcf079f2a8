"""The committed Kiwi user dictionary is generated from the committed gazetteer."""

from conftest import ROOT

from valuechain.gazetteer import load_gazetteer, userdict_lines


def test_userdict_in_sync_with_gazetteer():
    gaz = load_gazetteer(ROOT / "resources/gazetteer.tsv")
    committed = [
        ln
        for ln in (ROOT / "resources/kiwi_userdict.tsv").read_text(encoding="utf-8").splitlines()
        if ln and not ln.startswith("#")
    ]
    assert committed == userdict_lines(gaz), "run `valuechain userdict` after editing the gazetteer"


def test_ambiguous_aliases_are_not_forced_to_nnp():
    gaz = load_gazetteer(ROOT / "resources/gazetteer.tsv")
    words = {ln.split("\t")[0] for ln in userdict_lines(gaz)}
    for e in gaz.entries.values():
        assert not (e.ambiguous & words), e.id
