"""Roles a researcher can trust: shapes that are no role, each beside a near miss that is one.

Invented names, given to the extractor as mentions (see test_links.mentions), so these test the
constructions and their filters, not the recogniser.
"""

import pytest
from conftest import ROOT
from test_links import mentions

from valuechain.relations import EraConfig, Lexicon, RelationExtractor


@pytest.fixture(scope="module")
def roles(nlp):
    x = RelationExtractor(
        Lexicon.load(ROOT / "config/roles.yaml", ROOT / "config/taxonomy.yaml", ROOT / "config/links.yaml"),
        EraConfig.load(ROOT / "config/eras.yaml"),
    )

    def run(text: str, review_date: str = "") -> list[dict]:
        doc = nlp(text)
        return x.extract_all(doc, mentions(doc), review_date)[0]

    return run


def roles_of(rows: list[dict], key: str = "hanbit") -> set[str]:
    return {r["role"] for r in rows if r["key"] == key}


SHAPES = [
    # shape, sentence that must give no such role, the role it must not give, near miss, a role it gives
    ("bare topic word", "한빛전자는 AI에 관심이 많다.", "AI", "한빛전자는 AI 반도체를 설계한다.", "AI 반도체 설계"),
    (
        "market event",
        "반도체 호황으로 한빛전자의 매출이 늘었다.",
        "반도체 호황",
        "한빛전자는 반도체를 생산한다.",
        "반도체 생산",
    ),
    (
        "fragment inside a word",
        "한빛전자는 차량용 센서를 공급한다.",
        "용 센서 공급",
        "한빛전자는 차량용 센서를 공급한다.",
        "차량용 센서 공급",
    ),
    (
        "ranking",
        "한빛전자는 점유율 세계 2위다.",
        "점유율 세계 2",
        "한빛전자는 센서를 만드는 세계 2위 기업이다.",
        "센서 제조",
    ),
    (
        "sector in another's clause",
        "누리테크가 전자 업계를 흔들자 한빛전자는 침묵했다.",
        "전자 업계",
        "누리테크가 전자 업계를 흔들자 한빛전자는 센서 생산을 늘렸다.",
        "센서 생산",
    ),
    (
        "another's product used",
        "한빛전자가 누리테크의 보드에 센서를 얹었다.",
        "센서",
        "한빛전자는 누리테크에 센서를 공급하는 회사다.",
        "센서 공급",
    ),
    ("a purchase", "한빛전자는 누리테크의 장비를 사들였다.", "장비", "한빛전자는 장비를 만든다.", "장비 제조"),
    ("a non-offering head", "한빛전자의 매출이 늘었다.", "매출", "한빛전자의 센서 칩이 팔린다.", "센서 칩"),
    (
        "the place beside a product",
        "한빛전자 GPU 옆에 누리테크의 칩이 붙는다.",
        "GPU 옆",
        "한빛전자 GPU 옆에 누리테크의 칩이 붙는다.",
        "GPU",
    ),
    (
        "a time word opening the phrase",
        "한빛전자는 같은 해 센서 회사 누리테크를 인수했다.",
        "해 센서",
        "한빛전자는 같은 해 센서 회사 누리테크를 인수했다.",
        "센서 회사 인수",
    ),
    (
        "a metaphor's genitive before the role played",
        "한빛전자는 AI라는 철도의 자금줄 노릇을 한다.",
        "철도",
        "한빛전자는 AI라는 철도의 자금줄 노릇을 한다.",
        "자금줄",
    ),
    (
        "the activity said twice",
        "한빛전자는 누리테크와 센서 공급 계약을 맺었다.",
        "센서 공급 공급",
        "한빛전자는 누리테크와 센서 공급 계약을 맺었다.",
        "센서 공급",
    ),
]


@pytest.mark.parametrize("shape, text, absent, near, present", SHAPES, ids=[s[0] for s in SHAPES])
def test_rejected_shape_beside_a_near_miss(roles, shape, text, absent, near, present):
    got = roles_of(roles(text))
    assert absent not in got and not any(r.startswith(absent) for r in got if absent != present), (shape, got)
    assert present in roles_of(roles(near)), shape


def test_role_norm_counts_one_activity_said_two_ways(roles):
    a = roles("한빛전자는 누리테크에 HBM3E를 납품한다.")
    b = roles("한빛전자는 고대역폭메모리를 공급하는 회사다.")
    assert {r["role_norm"] for r in a if r["key"] == "hanbit"} & {
        r["role_norm"] for r in b if r["key"] == "hanbit"
    } == {"HBM 공급"}


def test_present_tense_anchors_to_the_review_time_and_a_year_to_its_clause(roles):
    text = "1987년 한빛전자는 누리테크를 세웠다. 지금 한빛전자는 센서를 생산한다."
    rows = {r["role"]: r["era_year"] for r in roles(text, "2025-03-01") if r["key"] == "hanbit"}
    assert rows["센서 생산"] == 2025
    past = roles("1987년 한빛전자는 센서를 생산했다.", "2025-03-01")
    assert {r["era_year"] for r in past if r["key"] == "hanbit"} == {1987}


def test_object_topic_reads_past_adverbs_and_a_gloss(roles):
    assert "센서 납품" in roles_of(roles("센서는 한빛전자가 가장 많이 납품한다."))
    assert "고대역폭 메모리 공급" in roles_of(roles("고대역폭 메모리(HBM)는 주로 한빛전자가 댄다."))
    # near miss: the group's verb is one of saying, not of making
    assert not any(r.startswith("센서") for r in roles_of(roles("센서는 한빛전자가 가장 많이 언급했다.")))
