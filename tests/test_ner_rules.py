"""Unknown-name rules (valuechain.ner.rules) and their cues (valuechain.ner.cues): a positive and a near
miss for each, on invented sentences and names (노바칩스, 하늘랩, 모리타정공, ... are in no gazetteer).

Some tests run the whole recogniser (Kiwi, classifier, rules); the others call one rule on hand-made
mentions, so that they test the rule whatever the classifier guesses.
"""

import pytest
from conftest import ROOT

from valuechain.ner import cues
from valuechain.ner.candidates import toks_of
from valuechain.ner.recognizer import Mention, new_key
from valuechain.ner.rules import DEFAULT_RULES, RULES, RuleContext


@pytest.fixture(scope="module")
def rec():
    from valuechain.stages.mentions import load_recognizer

    return load_recognizer(
        str(ROOT / "resources/gazetteer.tsv"),
        str(ROOT / "resources/models/ner_types.npz"),
        str(ROOT / "resources/stoplist.txt"),
        str(ROOT / "resources/kiwi_userdict.tsv"),
        min_prob=0.35,
        common_nouns=False,
    )


def found(nlp, rec, text):
    ms = rec(nlp(text), {})
    for m in ms:
        assert text[m.start : m.end] == m.text
    return ms


def labels(nlp, rec, text) -> dict[str, str]:
    return {m.text: m.label for m in found(nlp, rec, text)}


def ctx_of(nlp, text, known=(), stop=()):
    return RuleContext(text, toks_of(nlp(text)), set(stop), lambda w: w in known)


def men(text, surface, label="PERSON", source="model", start=None, conf=0.6):
    s = text.index(surface) if start is None else start
    return Mention(s, s + len(surface), surface, label, new_key(surface), source, conf, 0)


# ------------------------------------------------------------------------------------------ cues
@pytest.mark.parametrize(
    "text, name, label",
    [
        ("그는 노바랙을 창업했다.", "노바랙", "ORG"),
        ("그는 노바랙을 인수했다.", "노바랙", "ORG"),
        ("작년 노바랙에 투자했다.", "노바랙", "ORG"),
        ("노바랙의 CEO는 말했다.", "노바랙", "ORG"),
        ("노바랙 주가가 올랐다.", "노바랙", "ORG"),
        ("노바랙이 납품한다.", "노바랙", "ORG"),
        ("국내 스타트업 노바랙은", "노바랙", "ORG"),
        ("노바랙은 대전에 있는 장비 회사다.", "노바랙", "ORG"),
        ("하이노바 대표는 말했다.", "하이노바", "ORG"),  # a long word not shaped like a name + title: the company
        ("김도윤 대표는 말했다.", "김도윤", "PERSON"),  # shaped like a Korean name: the person
        ("루미너스 씨는 말했다.", "루미너스", "PERSON"),
        ("저자 루미너스는", "루미너스", "PERSON"),
        ("루미너스 지음, 김하은 옮김", "루미너스", "PERSON"),
        ("루미너스는 장비 회사에서 일한 엔지니어다.", "루미너스", "PERSON"),
        ("김하은 옮김 / 바람서가 / 2024", "바람서가", "ORG"),  # the publisher slot of a book line
        ("정미란 대표의 노바랙 같은 회사가 있다", "노바랙", "ORG"),
        ("노바랙(NovaRack)에 투자했다.", "노바랙", "ORG"),  # the alias in parentheses is skipped
        ("미로(Miro)라는 다른 적층 규격", "미로", "NONE"),  # a standard, not an actor
    ],
)
def test_context_cues(text, name, label):
    s = text.index(name)
    assert cues.context_label(text, s, s + len(name)) == label


@pytest.mark.parametrize(
    "text, name",
    [
        ("노바랙은 회사를 떠났다.", "노바랙"),  # no cue: the classifier's type stands
        ("노바랙은 그 회사를 인수한 뒤 떠났다.", "노바랙"),  # 회사를 is no predicate of 노바랙
        ("루미너스의 대표작은 영화다.", "루미너스"),  # 대표작, not the title 대표
    ],
)
def test_context_cue_near_misses(text, name):
    s = text.index(name)
    assert cues.context_label(text, s, s + len(name)) == ""


@pytest.mark.parametrize(
    "name, org",
    [
        ("모리타정공", True),
        ("블루스톤캐피탈", True),
        ("하늘바이오", True),
        ("텍사스 인스트루먼츠", True),
        ("Acme Labs", True),
        ("정밀", False),
        ("반도체", False),
        ("김정미", False),
        ("Apple", False),
    ],
)
def test_org_form(name, org):
    assert cues.org_form(name) is org


@pytest.mark.parametrize(
    "name, person",
    [
        ("김도윤", True),
        ("남궁현", True),
        ("이슬기", True),
        ("제니퍼", False),  # transliteration syllables (니퍼)
        ("마이클", False),
        ("민주당", False),  # an institution's last syllable
        ("하늘바이오", False),
        ("루미너스", False),
    ],
)
def test_korean_person_form(name, person):
    assert cues.korean_person_form(name) is person


def test_western_person_form():
    assert cues.western_person_form("소피아 렌츠") and cues.western_person_form("Jane Doe")
    assert not cues.western_person_form("텍사스 인스트루먼츠") and not cues.western_person_form("노바랙")


# --------------------------------------------------------------------------------- whole recogniser
def test_org_head_types_and_span(nlp, rec):
    got = labels(nlp, rec, "올해 초 일본 장비 업체 모리타정공을 인수했다. 블루스톤캐피탈이 투자했다.")
    assert got.get("모리타정공") == "ORG" and got.get("블루스톤캐피탈") == "ORG"
    assert not any(t.endswith("을") or t == "모리타정" for t in got)


def test_corporate_head_word_joins_the_name(nlp, rec):
    got = labels(nlp, rec, "구글은 세레스 파워와 손잡았다.")
    assert got.get("세레스 파워") == "ORG"
    # near miss: a Korean head word may be the product; the span stays, the type is ORG
    ms = found(nlp, rec, "노바칩스는 좋다. 그때 노바칩스 반도체의 엔지니어가 떠났다.")
    assert {m.text for m in ms if m.label == "ORG"} == {"노바칩스"}


def test_person_and_org_side_by_side_are_split(nlp, rec):
    got = labels(nlp, rec, "황보준 노바칩스 대표는 말했다.")
    assert got.get("황보준") == "PERSON" and got.get("노바칩스") == "ORG"
    assert "황보준 노바칩스" not in got
    # near miss: two name words of one person stay whole
    assert labels(nlp, rec, "라이언 고슬링이 나왔다.").get("라이언 고슬링") == "PERSON"


def test_foreign_full_name_is_one_mention(nlp, rec):
    got = labels(nlp, rec, "저자 소피아 렌츠는 독일 출신이다.")
    assert got.get("소피아 렌츠") == "PERSON" and "소피아" not in got
    assert labels(nlp, rec, "그는 작년에 스티븐 조와 함께 회사를 세웠다.").get("스티븐 조") == "PERSON"
    # near miss: 전 (former) before a title is no family name
    got = labels(nlp, rec, "그는 모리스 전 대표를 만났다.")
    assert "모리스 전" not in got


def test_gloss_of_a_common_noun_is_no_name(nlp, rec):
    got = labels(nlp, rec, "설계 전문 기업(Fabless)인 노바칩스는 칩을 설계한다. 공장(Foundry)은 없다.")
    assert "Fabless" not in got and "Foundry" not in got
    assert got.get("노바칩스") == "ORG"
    # near miss: a Latin spelling of an unknown name is its alias
    ms = found(nlp, rec, "하늘랩(SkyLab)은 GPU를 빌려준다.")
    keys = {m.text: m.key for m in ms}
    assert keys.get("SkyLab") == keys.get("하늘랩") and {m.label for m in ms if m.text in keys} == {"ORG"}


def test_english_gloss_of_a_known_entity_is_its_alias(nlp, rec):
    ms = found(nlp, rec, "엔비디아(NVIDIA)는 GPU를 만든다.")
    keys = {m.text: m.key for m in ms}
    assert keys["NVIDIA"] == keys["엔비디아"] == "nvidia"


def test_byline_handle_is_no_actor(nlp, rec):
    text = "노바칩스 이야기\n\n노바칩스는 칩을 만든다.\n\n글 · 새벽공정 (장비 회사에서 일합니다)\n"
    assert "새벽공정" not in labels(nlp, rec, text)
    # near miss: a real personal name in the byline is a person
    assert labels(nlp, rec, "노바칩스는 칩을 만든다.\n\n글 · 사진 홍길동\n").get("홍길동") == "PERSON"


def test_one_type_per_name(nlp, rec):
    ms = found(nlp, rec, "노바랙은 좋다고 했다. 노바랙에 투자했다. 노바랙은 또 말했다.")
    assert {m.label for m in ms if m.text == "노바랙"} == {"ORG"}


def test_unknown_common_noun_shaped_like_a_name(rec):
    assert rec._unknown_name_shape("서민재")  # Kiwi may tag or split an unknown Korean name as NNG
    assert rec._unknown_name_shape("소담정밀")
    assert not rec._unknown_name_shape("이야기")  # a word Kiwi knows
    assert not rec._unknown_name_shape("전력반도체")  # 전력 is a common noun


def test_rules_are_configurable():
    import yaml

    from valuechain.ner.recognizer import NerResources

    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    spec = schema["properties"]["ner"]["properties"]["rules"]
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))
    assert spec["items"]["enum"] == spec["default"] == cfg["ner"]["rules"] == list(DEFAULT_RULES)

    with pytest.raises(ValueError, match="unknown NER rules"):
        NerResources.load(ROOT / "resources/gazetteer.tsv", None, None, rules=["no_such_rule"])
    res = NerResources.load(ROOT / "resources/gazetteer.tsv", None, None, rules=["gloss"])
    assert res.rules == ("gloss",) and set(DEFAULT_RULES) == set(RULES)


# ------------------------------------------------------------------------------ one rule at a time
def test_heading_rule(nlp):
    text = "Epilogue\n\n노바랙은 GPU를 빌려준다."
    ctx = ctx_of(nlp, text)
    out = RULES["heading"](ctx, [men(text, "Epilogue", "ORG"), men(text, "노바랙", "ORG")])
    assert [m.text for m in out] == ["노바랙"]  # near miss: the name inside a sentence stays


def test_generic_phrase_rule(nlp):
    text = "GPU 클라우드 시장과 하이브 클라우드가 컸다."
    ctx = ctx_of(nlp, text, known={"클라우드"}, stop={"gpu", "클라우드"})
    out = RULES["generic_phrase"](ctx, [men(text, "GPU 클라우드", "ORG"), men(text, "하이브 클라우드", "ORG")])
    assert [m.text for m in out] == ["하이브 클라우드"]


def test_kind_modifier_rule(nlp):
    text = "SMR 스타트업 노바원은 전기를 판다. 한결캐피탈 대표 서민우가 말했다."
    ctx = ctx_of(nlp, text)
    ms = [men(text, "SMR", "ORG"), men(text, "노바원", "ORG"), men(text, "한결캐피탈", "ORG")]
    assert [m.text for m in RULES["kind_modifier"](ctx, ms)] == ["노바원", "한결캐피탈"]


def test_acronym_rule(nlp):
    text = "아지노모토가 XYZ를 댄다. QRS의 CEO는 말했다. FC-BGA 기판. Miller가 썼다."
    ctx = ctx_of(nlp, text)
    ms = [men(text, "XYZ"), men(text, "QRS"), men(text, "FC", "ORG"), men(text, "Miller")]
    out = {m.text: m.label for m in RULES["acronym"](ctx, ms)}
    assert out == {"QRS": "ORG", "Miller": "PERSON"}


def test_particle_trim_rule(nlp):
    text = "노바칩스는 좋다. 그리고 노바칩스와 하늘이 만났다. 하이브랙과 만났다."
    ctx = ctx_of(nlp, text)
    k = text.index("노바칩스와")
    ms = [men(text, "노바칩스", "ORG"), men(text, "노바칩스와", "ORG", start=k), men(text, "하이브랙과", "ORG")]
    out = RULES["particle_trim"](ctx, ms)
    assert [(m.text, m.key) for m in out] == [
        ("노바칩스", "new:노바칩스"),
        ("노바칩스", "new:노바칩스"),
        ("하이브랙과", "new:하이브랙과"),  # near miss: 하이브랙 is no name of the review
    ]


def test_suffix_repair_rule():
    from valuechain.ner.candidates import Tok

    # as Kiwi sometimes splits an unknown company name: 모리타정/NNP 공/NNB 을/JKO
    text = "모리타정공을 샀다. 모리타정을 샀다."
    toks = [
        Tok(0, "모리타정", "NNP", "NNP", 0, 4),
        Tok(1, "공", "NNB", "NNB", 4, 5),
        Tok(2, "을", "JKO", "JKO", 5, 6),
        Tok(3, "모리타정", "NNP", "NNP", 11, 15),
        Tok(4, "을", "JKO", "JKO", 15, 16),
    ]
    ctx = RuleContext(text, toks, set())
    ms = [men(text, "모리타정"), men(text, "모리타정", start=11)]
    out = RULES["suffix_repair"](ctx, ms)
    assert [(m.text, m.label) for m in out] == [("모리타정공", "ORG"), ("모리타정", "PERSON")]


def test_context_type_rule_and_places(nlp):
    text = "애리조나의 공장이 섰다. 그때 노바 반도체의 엔지니어가 왔다."
    ctx = ctx_of(nlp, text)
    ms = [men(text, "애리조나", "LOC"), men(text, "노바", "LOC")]
    out = RULES["consistent_type"](ctx, RULES["context_type"](ctx, ms))
    # a place has factories too (near miss); a Korean organisation head word makes a company
    assert [(m.text, m.label) for m in out] == [("애리조나", "LOC"), ("노바", "ORG")]


def test_coordination_and_consistent_type_rules(nlp):
    text = "엔비디아, 인텔, 그리고 노바랙이 있다. 노바랙은 좋다. 엔비디아 주가와 하늘랩의 일."
    ctx = ctx_of(nlp, text)
    ms = [
        men(text, "엔비디아", "ORG", "gazetteer"),
        men(text, "인텔", "ORG", "gazetteer"),
        men(text, "노바랙", "PERSON", conf=0.9),
        men(text, "노바랙", "PERSON", start=text.rindex("노바랙"), conf=0.9),
        men(text, "하늘랩", "PERSON", conf=0.9),
    ]
    out = RULES["consistent_type"](ctx, RULES["coordination"](ctx, ms))
    assert [m.label for m in out if m.text == "노바랙"] == ["ORG", "ORG"]
    assert [m.label for m in out if m.text == "하늘랩"] == ["PERSON"]  # near miss: 주가 in between


def test_paren_alias_rule(nlp):
    text = "하늘랩(SkyLab)은 좋다. 김태원(새누리당) 의원."
    ctx = ctx_of(nlp, text)
    ms = [
        men(text, "하늘랩", "PERSON", conf=0.9),
        men(text, "SkyLab", "ORG", conf=0.5),
        men(text, "김태원", "PERSON"),
        men(text, "새누리당", "ORG"),
    ]
    out = {m.text: (m.key, m.label) for m in RULES["paren_alias"](ctx, ms)}
    assert out["SkyLab"] == out["하늘랩"] == ("new:하늘랩", "ORG")
    assert out["김태원"] != out["새누리당"]  # near miss: an affiliation, not an alias
