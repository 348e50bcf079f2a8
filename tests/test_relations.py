"""Relations: each Korean construction on sentences written for the tests, plus eras."""

import pytest
from conftest import ROOT

from valuechain.relations import EraConfig, Lexicon, RelationExtractor
from valuechain.stages.mentions import mention_rows


@pytest.fixture(scope="module")
def extract(nlp):
    from valuechain.stages.mentions import load_recognizer
    from valuechain.stages.relations import key_families

    rec = load_recognizer(
        str(ROOT / "resources/gazetteer.tsv"),
        str(ROOT / "resources/models/ner_types.npz"),
        str(ROOT / "resources/stoplist.txt"),
        str(ROOT / "resources/kiwi_userdict.tsv"),
    )
    x = RelationExtractor(
        Lexicon.load(ROOT / "config/roles.yaml", ROOT / "config/taxonomy.yaml"),
        EraConfig.load(ROOT / "config/eras.yaml"),
        key_families(str(ROOT / "resources/gazetteer.tsv"), str(ROOT / "config/taxonomy.yaml")),
    )

    def run(text):
        doc = nlp(text)
        rows = mention_rows("t", rec(doc, {}))
        return {(r["key"], r["role"]): r for r in x.extract(doc, rows)}

    return run


def roles_of(rels, key):
    return {role for k, role in rels if k == key}


def test_parenthetical_role_and_explicit_year(extract):
    rels = extract("1853년 샌프란시스코에서 리바이 스트라우스(청바지)와 새뮤얼 브래넌(삽·곡괭이 도매)이 돈을 벌었다.")
    assert "청바지" in roles_of(rels, "levi_strauss")
    assert "삽·곡괭이 도매" in roles_of(rels, "samuel_brannan")
    r = rels[("levi_strauss", "청바지")]
    assert (r["era"], r["era_year"]) == ("gold_rush", 1853)
    assert r["evidence"].startswith("1853년")


def test_relative_clause(extract):
    rels = extract("국내에는 HBM 제조에 특화하고 있는 SK하이닉스가 있다.")
    assert "HBM 제조" in roles_of(rels, "sk_hynix")


def test_coordination_shares_one_role(extract):
    rels = extract("퓨리오사AI와 리벨리온 같은 AI 반도체를 설계하는 팹리스 기업이 늘었다.")
    assert roles_of(rels, "furiosaai") == roles_of(rels, "rebellions") == {"AI 반도체 설계"}


def test_copula_description_and_genitive_product(extract):
    rels = extract("코어위브는 엔비디아의 GPU를 빌려주는 클라우드 기업이다.")
    assert any("GPU" in r for r in roles_of(rels, "coreweave"))
    assert "GPU 공급" in roles_of(rels, "nvidia")


def test_person_title_with_organisation(extract):
    rels = extract("젠슨 황 엔비디아 CEO는 2024년 대만을 찾았다.")
    assert "엔비디아 CEO" in roles_of(rels, "jensen_huang")


def test_founder_clause(extract):
    rels = extract("2015년 샘 올트먼이 세운 오픈AI는 챗GPT를 내놓았다.")
    assert any(r.startswith("오픈AI") for r in roles_of(rels, "sam_altman"))


def test_reported_speech_is_not_a_role(extract):
    rels = extract("크리스 밀러는 중국이 첨단 반도체 제조를 할 수 없을 것이라고 전망했다.")
    assert not roles_of(rels, "chris_miller")


def test_era_from_paragraph_context_and_entity_family(extract):
    text = "1849년 캘리포니아에는 사람이 몰렸다. 웰스파고는 금을 보관하는 은행 사업을 했다."
    rels = extract(text)
    wf = [r for (k, _), r in rels.items() if k == "wells_fargo"]
    assert wf and all(r["era"] == "gold_rush" and r["era_year"] == 1849 for r in wf)
    # a gold-rush metaphor does not move an AI-era company into 1848
    rels = extract(
        "2024년 AI 붐이 왔다. 금광 옆에서 삽을 파는 회사가 엔비디아라면, SK하이닉스는 HBM을 공급하는 기업이다."
    )
    assert all(r["era"] == "ai_boom" for (k, _), r in rels.items() if k == "sk_hynix")


def test_era_config_rejects_unknown_default(tmp_path):
    p = tmp_path / "eras.yaml"
    p.write_text("default: nope\neras:\n  - {id: a, start: 1, end: 2, year: 1, cues: []}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="default era"):
        EraConfig.load(p)


def test_personal_pronoun_subject_stands_for_the_person_named_before(extract):
    # invented people and firm, so that only the construction can give the relation
    rels = extract("이 책의 주인공은 한도윤이다. 대기업 연구소에서 일하던 그는 2019년 가람반도체를 세웠다.")
    assert "가람반도체 설립" in roles_of(rels, "new:한도윤")
    # no person before the pronoun: nothing is attached to anyone
    rels = extract("그는 2019년 가람반도체를 세웠다.")
    assert not any(role.endswith("설립") for _, role in rels)


def test_organisation_as_object_of_a_joint_founding(extract):
    rels = extract("노이스와 고든 무어가 페어차일드를 떠나 1968년 인텔을 공동 창업한다.")
    assert "인텔 창업" in roles_of(rels, "gordon_moore")


def test_topic_noun_made_by_the_subject_group(extract):
    rels = extract("GPU 옆에 붙는 HBM은 SK하이닉스와 삼성전자가 만들고, 패키징은 다른 회사가 맡는다.")
    assert "HBM 제조" in roles_of(rels, "sk_hynix") and "HBM 제조" in roles_of(rels, "samsung_electronics")
    # a verb of saying is an opinion, not what the subject makes
    rels = extract("HBM은 SK하이닉스가 말하길 어렵다고 한다.")
    assert not any(role.startswith("HBM") for k, role in rels if k == "sk_hynix")


def test_subject_clause_ends_at_its_first_verb_and_speech_governs_all(extract):
    rels = extract("가람반도체는 AI 반도체를 설계하고, 생산은 다른 파운드리가 맡는다.")
    assert roles_of(rels, "new:가람반도체") == {"AI 반도체 설계"}
    rels = extract("크리스 밀러는 반도체 생태계가 동맹국 간의 협업체계로 이뤄졌고, 중국은 어려울 것으로 전망한다.")
    assert not roles_of(rels, "chris_miller") - {"저자"}


def test_native_verbs_become_business_nouns(extract):
    rels = extract("그 GPU는 TSMC가 찍어 내고, HBM은 SK하이닉스가 만든다.")
    assert "GPU 생산" in roles_of(rels, "tsmc") and "HBM 제조" in roles_of(rels, "sk_hynix")


def test_plain_comma_list_shares_the_like_head(extract):
    rels = extract("델, HPE, 슈퍼마이크로 같은 서버 업체 입장에서는 최대 공급자가 경쟁자가 되는 묘한 상황이다.")
    assert roles_of(rels, "dell") == roles_of(rels, "hpe") == roles_of(rels, "supermicro") == {"서버 업체"}


def test_relative_clause_on_a_pronoun_and_companions_are_not_its_referent(extract):
    rels = extract(
        "후반부 주인공은 샘 올트먼이다. 2015년 일론 머스크, 그렉 브록먼 등과 비영리 연구소로 오픈AI를 만든 "
        "그는, 거대 기업의 독점을 막겠다고 했다."
    )
    assert "오픈AI 설립" in roles_of(rels, "sam_altman")


def test_configured_constructions_run_and_the_schema_lists_every_registered_one(nlp):
    import yaml

    from valuechain.relations import DEFAULT_CONSTRUCTIONS, REGISTRY, resolve
    from valuechain.relations.extractor import OPTIONAL_CONSTRUCTIONS

    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    spec = schema["properties"]["relations"]["properties"]["constructions"]
    assert set(spec["items"]["enum"]) == set(REGISTRY) == set(DEFAULT_CONSTRUCTIONS) | set(OPTIONAL_CONSTRUCTIONS)
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    assert cfg["relations"]["constructions"] == spec["default"] == DEFAULT_CONSTRUCTIONS
    with pytest.raises(ValueError, match="unknown relation construction"):
        resolve(["parenthetical", "no_such_thing"])
    lex = Lexicon.load(ROOT / "config/roles.yaml", ROOT / "config/taxonomy.yaml")
    eras = EraConfig.load(ROOT / "config/eras.yaml")
    doc = nlp("국내에는 HBM 제조에 특화하고 있는 SK하이닉스가 있다.")
    men = [{"sent_id": 0, "start": 21, "end": 27, "label": "ORG", "key": "sk_hynix", "text": "SK하이닉스"}]
    assert doc.text[21:27] == "SK하이닉스"
    on = RelationExtractor(lex, eras).extract(doc, men)
    off = RelationExtractor(lex, eras, constructions=["parenthetical"]).extract(doc, men)
    assert [r["role"] for r in on] == ["HBM 제조"] and off == []
