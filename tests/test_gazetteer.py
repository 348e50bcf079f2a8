"""The gazetteer file: the `kind` column of organisations, the `maker` column of products and the consistency
of the committed rows."""

import csv
import unicodedata

import pytest
import yaml
from conftest import ROOT

from valuechain.gazetteer import KINDS, load_gazetteer, norm_key

GAZ = ROOT / "resources/gazetteer.tsv"
# Alias keys that two entities share on purpose: the matcher treats them as ambiguous and decides
# from the context (group vs. flagship, person vs. university, the two Washingtons, ...).
INTENDED_SHARED = {
    "ms": {"microsoft", "morgan_stanley"},
    "oci": {"oci_holdings", "oracle"},
    "samsung": {"samsung_electronics", "samsung_group"},
    "삼성": {"samsung_electronics", "samsung_group"},
    "stanford": {"leland_stanford", "stanford_university"},
    "스탠퍼드": {"leland_stanford", "stanford_university"},
    "그로크": {"grok", "groq"},
    "그록": {"grok", "groq"},
    "람다": {"lambda", "lamda"},
    "리바이스트라우스": {"levi_strauss", "levi_strauss_co"},
    "워싱턴": {"washington_dc", "washington_state"},
    "휴메인": {"humain", "humane"},
}


def _rows():
    with open(GAZ, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_kind_is_read_for_organisations_only():
    gaz = load_gazetteer(GAZ)
    assert gaz.entries["kaist"].kind == "university"
    assert gaz.entries["bookie"].kind == "publisher"
    assert gaz.entries["bloomberg"].kind == "media"
    assert gaz.entries["us_commerce"].kind == "government"
    assert gaz.entries["etri"].kind == "research"
    assert gaz.entries["sequoia"].kind == "investor"
    assert gaz.entries["wells_fargo"].kind == "company"  # a bank is a company of the finance layer
    assert gaz.entries["nvidia"].kind == "company"
    for e in gaz.entries.values():
        if e.label == "ORG":
            assert e.kind in KINDS, e.id
        else:
            assert e.kind == "", e.id


def test_loader_works_without_the_kind_column(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_text(
        "id\tcanonical_ko\tcanonical_en\ttype\taliases\tlayer\twikidata\tambiguous\n"
        "gana\t가나전자\tGana Electronics\tORG\t가나전자|Gana\tmemory\t\t\n",
        encoding="utf-8",
    )
    e = load_gazetteer(p).entries["gana"]
    assert (e.kind, e.layer, e.aliases) == ("", "memory", ["가나전자", "Gana Electronics", "Gana"])


def test_unknown_kind_is_an_error(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_text(
        "id\tcanonical_ko\tcanonical_en\ttype\taliases\tlayer\twikidata\tambiguous\tkind\n"
        "gana\t가나전자\t\tORG\t\t\t\t\tshop\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown kind"):
        load_gazetteer(p)


def test_maker_is_read_and_names_an_organisation():
    gaz = load_gazetteer(GAZ)
    spot = {
        "nvidia_h200": "nvidia",
        "cuda": "nvidia",
        "claude": "anthropic",
        "chatgpt": "openai",
        "hyperclova_x": "naver",
        "iphone": "apple",
        "exynos": "samsung_electronics",
        "cowos": "tsmc",
        "levis_501": "levi_strauss_co",
        "abf": "ajinomoto",
    }
    assert {k: gaz.entries[k].maker for k in spot} == spot
    # product types nobody owns (standards, generic memory) have no maker
    for generic in ("hbm", "ddr5", "risc_v", "infiniband"):
        assert gaz.entries[generic].maker == "", generic
    products = [e for e in gaz.entries.values() if e.label == "PRODUCT"]
    assert sum(bool(e.maker) for e in products) > 0.8 * len(products)
    for e in gaz.entries.values():
        if e.maker:
            assert e.label == "PRODUCT", e.id
            assert gaz.entries[e.maker].label == "ORG", (e.id, e.maker)


def test_loader_works_without_the_maker_column(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_text(
        "id\tcanonical_ko\tcanonical_en\ttype\taliases\tlayer\twikidata\tambiguous\tkind\n"
        "gana\t가나전자\t\tORG\t\tmemory\t\t\tcompany\n"
        "gana_x\t가나X\t\tPRODUCT\t\tmemory\t\t\t\n",
        encoding="utf-8",
    )
    gaz = load_gazetteer(p)
    assert (gaz.entries["gana"].kind, gaz.entries["gana_x"].maker) == ("company", "")


@pytest.mark.parametrize("maker", ["nada", "gana_y"])
def test_maker_must_be_an_organisation(tmp_path, maker):
    p = tmp_path / "g.tsv"
    p.write_text(
        "id\tcanonical_ko\tcanonical_en\ttype\taliases\tlayer\twikidata\tambiguous\tkind\tmaker\n"
        f"gana_x\t가나X\t\tPRODUCT\t\t\t\t\t\t{maker}\n"
        "gana\t가나전자\t\tORG\t\t\t\t\tcompany\t\n"
        "gana_y\t가나Y\t\tPRODUCT\t\t\t\t\t\tgana\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=f"maker '{maker}' of gana_x is not the id of an ORG row"):
        load_gazetteer(p)


def test_rows_are_complete_and_consistent():
    layers = {x["id"] for x in yaml.safe_load((ROOT / "config/taxonomy.yaml").read_text(encoding="utf-8"))["layers"]}
    rows = _rows()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["canonical_ko"].strip() and r["type"].strip(), r["id"]
        assert not r["layer"] or r["layer"] in layers, (r["id"], r["layer"])
        names = [r["canonical_ko"], r["canonical_en"], *r["aliases"].split("|")]
        for a in names:
            assert unicodedata.normalize("NFC", a) == a, (r["id"], a)
        for a in filter(None, r["ambiguous"].split("|")):
            assert a in names, (r["id"], a)
        if r["type"] == "ORG" and r["kind"] in {"university", "publisher", "media"}:
            assert not r["layer"], (r["id"], "organisations without a value-chain role have no layer")
    # government bodies have no layer, except the San Francisco Mint (it coined the miners' gold dust)
    assert {r["id"] for r in rows if r["kind"] == "government" and r["layer"]} == {"sf_mint"}


def test_aliases_are_shared_only_on_purpose():
    owners = {}
    for e in load_gazetteer(GAZ).entries.values():
        for a in e.aliases:
            owners.setdefault(norm_key(a), set()).add(e.id)
    shared = {k: ids for k, ids in owners.items() if len(ids) > 1}
    assert shared == INTENDED_SHARED
