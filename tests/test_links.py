"""Link constructions on invented sentences: for each, a sentence it must read and a near miss.

Names are invented and given to the extractor as mentions directly (label and key), so these tests
exercise the constructions, not the recogniser.
"""

import pytest
from conftest import ROOT

from valuechain.relations import EraConfig, Lexicon, RelationExtractor

NAMES = {
    "한빛전자": ("ORG", "hanbit"),
    "누리테크": ("ORG", "nuri"),
    "라온시스템": ("ORG", "raon"),
    "다온캐피탈": ("ORG", "daon"),
    "새봄클라우드": ("ORG", "saebom"),
    "가람랩": ("ORG", "garam"),
    "한결대학교": ("ORG", "hangyeol_univ"),
    "푸른출판": ("ORG", "pureun"),
    "누리일보": ("ORG", "nuri_daily"),
    "김도윤": ("PERSON", "kim"),
    "박서연": ("PERSON", "park"),
    "이하준": ("PERSON", "lee"),
    "누리봇": ("PRODUCT", "nuribot"),
    "한빛X1": ("PRODUCT", "hanbit_x1"),
    "칩의 시대": ("WORK", "book"),
}


def mentions(doc) -> list[dict]:
    """Every occurrence of the invented names, longest first, as mention rows."""
    text, out, taken = doc.text, [], []
    sents = doc.user_data["sentences"]
    for name in sorted(NAMES, key=len, reverse=True):
        k = text.find(name)
        while k >= 0:
            e = k + len(name)
            if not any(s < e and k < t for s, t in taken):
                sid = next(i for i, (s, t, _, _) in enumerate(sents) if s <= k < t)
                label, key = NAMES[name]
                out.append({"sent_id": sid, "start": k, "end": e, "text": name, "label": label, "key": key})
                taken.append((k, e))
            k = text.find(name, e)
    return sorted(out, key=lambda m: (m["start"], m["end"]))


@pytest.fixture(scope="module")
def links(nlp):
    x = RelationExtractor(
        Lexicon.load(ROOT / "config/roles.yaml", ROOT / "config/taxonomy.yaml", ROOT / "config/links.yaml"),
        EraConfig.load(ROOT / "config/eras.yaml"),
        makers={"hanbit_x1": "hanbit"},
    )

    def run(text: str) -> set[tuple[str, str, str]]:
        doc = nlp(text)
        return {(r["source"], r["type"], r["target"]) for r in x.extract_all(doc, mentions(doc))[1]}

    return run


CASES = [
    # construction, sentence it reads, expected link, near miss, the link it must not give
    (
        "supply_to",
        "한빛전자는 누리테크에 센서를 납품한다.",
        ("hanbit", "supplies", "nuri"),
        "한빛전자는 누리테크에 센서를 납품하지 않는다.",
        ("hanbit", "supplies", "nuri"),
    ),
    (
        "supply_to (relative clause)",
        "누리테크에 센서를 파는 한빛전자는 작년에 컸다.",
        ("hanbit", "supplies", "nuri"),
        "누리테크의 센서를 파는 한빛전자는 작년에 컸다.",
        ("hanbit", "supplies", "nuri"),
    ),
    (
        "supply_received",
        "누리테크는 한빛전자로부터 센서를 공급받는다.",
        ("hanbit", "supplies", "nuri"),
        "누리테크는 한빛전자에 센서를 공급한다.",
        ("hanbit", "supplies", "nuri"),
    ),
    (
        "product_use",
        "한빛전자의 GPU를 활용해 서버를 조립하는 라온시스템이 눈에 띈다.",
        ("hanbit", "supplies", "raon"),
        "한빛전자의 GPU를 분석한 라온시스템의 보고서가 눈에 띈다.",
        ("hanbit", "supplies", "raon"),
    ),
    (
        "manufacture_for",
        "누리테크가 설계한 칩을 양산하는 한빛전자가 바쁘다.",
        ("hanbit", "manufactures_for", "nuri"),
        "누리테크가 분석한 칩을 양산하는 한빛전자가 바쁘다.",
        ("hanbit", "manufactures_for", "nuri"),
    ),
    (
        "manufacture_for (compound)",
        "누리테크 칩을 위탁생산하는 한빛전자가 바쁘다.",
        ("hanbit", "manufactures_for", "nuri"),
        "자체 칩을 위탁생산하는 한빛전자가 바쁘다.",
        ("hanbit", "manufactures_for", "nuri"),
    ),
    (
        "manufacture_for (passive, maker of the product)",
        "한빛X1은 누리테크 5나노 공정에서 생산된다.",
        ("nuri", "manufactures_for", "hanbit"),
        "한빛X1은 누리테크 5나노 공정보다 빠르다.",
        ("nuri", "manufactures_for", "hanbit"),
    ),
    (
        "outsource_to",
        "누리테크는 한빛전자에 칩 생산을 맡긴다.",
        ("hanbit", "manufactures_for", "nuri"),
        "누리테크는 한빛전자에 칩 설명을 듣는다.",
        ("hanbit", "manufactures_for", "nuri"),
    ),
    (
        "component_of",
        "누리테크의 센서가 한빛X1에 들어간다.",
        ("nuri", "supplies", "hanbit"),
        "누리테크의 센서가 한빛X1보다 비싸다.",
        ("nuri", "supplies", "hanbit"),
    ),
    (
        "rent_to",
        "새봄클라우드는 가람랩에 GPU를 빌려준다.",
        ("saebom", "rents_to", "garam"),
        "새봄클라우드는 가람랩에 돈을 빌려준다.",
        ("saebom", "rents_to", "garam"),
    ),
    (
        "rent_to (from the renter's side)",
        "가람랩은 새봄클라우드에서 GPU를 빌린다.",
        ("saebom", "rents_to", "garam"),
        "가람랩은 새봄클라우드에서 GPU를 빌려준다.",
        ("saebom", "rents_to", "garam"),
    ),
    (
        "invest_in",
        "다온캐피탈이 투자한 가람랩은 빠르게 컸다.",
        ("daon", "invests_in", "garam"),
        "다온캐피탈이 분석한 가람랩은 빠르게 컸다.",
        ("daon", "invests_in", "garam"),
    ),
    (
        "invest_in (dative)",
        "다온캐피탈은 가람랩에 300억 원을 투자했다.",
        ("daon", "invests_in", "garam"),
        "다온캐피탈은 가람랩에 300억 원을 투자하지 못했다.",
        ("daon", "invests_in", "garam"),
    ),
    (
        "invest_received",
        "가람랩은 다온캐피탈로부터 투자를 받았다.",
        ("daon", "invests_in", "garam"),
        "가람랩은 다온캐피탈로부터 조언을 받았다.",
        ("daon", "invests_in", "garam"),
    ),
    (
        "acquisition",
        "한빛전자가 누리테크를 인수했다.",
        ("hanbit", "acquires", "nuri"),
        "한빛전자가 누리테크 공장을 견학했다.",
        ("hanbit", "acquires", "nuri"),
    ),
    (
        "acquisition (passive)",
        "누리테크가 한빛전자에 인수되기 전에는 작았다.",
        ("hanbit", "acquires", "nuri"),
        "누리테크가 한빛전자에 소개되기 전에는 작았다.",
        ("hanbit", "acquires", "nuri"),
    ),
    (
        "competition_noun (became the rival)",
        "한빛전자는 누리테크의 가장 강력한 경쟁자가 됐다.",
        ("hanbit", "competes_with", "nuri"),
        "한빛전자는 누리테크의 가장 강력한 고객이 됐다.",
        ("hanbit", "competes_with", "nuri"),
    ),
    (
        "competition (a 같은-list before a company noun)",
        "한빛전자는 누리테크, 라온시스템 같은 큰 회사들과 경쟁해야 한다.",
        ("hanbit", "competes_with", "raon"),
        "한빛전자는 누리테크, 라온시스템 같은 큰 회사들을 연구해야 한다.",
        ("hanbit", "competes_with", "raon"),
    ),
    (
        "invest_in (an amount qualified by 넘게)",
        "다온캐피탈은 가람랩에 130억 달러 넘게 투자했다.",
        ("daon", "invests_in", "garam"),
        "다온캐피탈은 가람랩에 130억 달러 넘게 빌려 달라고 했다.",
        ("daon", "invests_in", "garam"),
    ),
    (
        "product_use (a 도-object after a clause with the subject)",
        "라온시스템은 누리테크의 센서를 썼고, 한빛전자의 칩도 썼다.",
        ("hanbit", "supplies", "raon"),
        "라온시스템은 누리테크의 센서를 썼고, 한빛전자의 칩도 비쌌다.",
        ("hanbit", "supplies", "raon"),
    ),
    (
        "rent_to (a product as topic)",
        "가람랩은 모델을 직접 만들고, GPU는 새봄클라우드에서 빌린다.",
        ("saebom", "rents_to", "garam"),
        "가람랩은 모델을 직접 만들고, 올해는 새봄클라우드에서 배운다.",
        ("saebom", "rents_to", "garam"),
    ),
    (
        "invest_in (a round led)",
        "다온캐피탈은 가람랩의 300억 원 투자 라운드를 주도했다.",
        ("daon", "invests_in", "garam"),
        "다온캐피탈은 가람랩의 300억 원 매출 보고서를 주도했다.",
        ("daon", "invests_in", "garam"),
    ),
    (
        "supply_received (goods received from a source)",
        "한빛전자는 누리테크에서 주로 장비를 받는다.",
        ("nuri", "supplies", "hanbit"),
        "한빛전자는 누리테크에서 주로 학위를 받는다.",
        ("nuri", "supplies", "hanbit"),
    ),
    (
        "acquisition (an acquisition noun completed)",
        "한빛전자는 센서 회사 누리테크 인수를 마무리했다.",
        ("hanbit", "acquires", "nuri"),
        "한빛전자는 센서 회사 누리테크 방문을 마무리했다.",
        ("hanbit", "acquires", "nuri"),
    ),
    (
        "partnership (work done together)",
        "한빛전자는 누리테크와 함께 센서를 개발했다.",
        ("hanbit", "partners_with", "nuri"),
        "한빛전자는 누리테크와 함께 가람랩에 투자했다.",
        ("hanbit", "partners_with", "nuri"),
    ),
    (
        "partnership (two people together)",
        "김도윤과 박서연은 함께 특허를 냈다.",
        ("kim", "partners_with", "park"),
        "김도윤과 박서연은 각자 특허를 냈다.",
        ("kim", "partners_with", "park"),
    ),
    (
        "acquisition (a sale of an organisation)",
        "새봄클라우드는 가람랩을 누리테크에 넘겼다.",
        ("nuri", "acquires", "garam"),
        "새봄클라우드는 가람랩의 장비를 누리테크에 넘겼다.",
        ("nuri", "acquires", "garam"),
    ),
    (
        "subsidiary",
        "한빛전자 자회사 누리테크가 센서를 만든다.",
        ("hanbit", "invests_in", "nuri"),
        "한빛전자 고객 누리테크가 센서를 만든다.",
        ("hanbit", "invests_in", "nuri"),
    ),
    (
        "partnership",
        "한빛전자는 누리테크와 손잡고 칩을 만든다.",
        ("hanbit", "partners_with", "nuri"),
        "한빛전자는 누리테크와 달리 칩을 만든다.",
        ("hanbit", "partners_with", "nuri"),
    ),
    (
        "partnership_noun",
        "한빛전자와 누리테크의 공동 개발이 시작됐다.",
        ("hanbit", "partners_with", "nuri"),
        "한빛전자와 누리테크의 매출이 늘었다.",
        ("hanbit", "partners_with", "nuri"),
    ),
    (
        "competition",
        "한빛전자가 누리테크를 제치고 1위에 올랐다.",
        ("hanbit", "competes_with", "nuri"),
        "한빛전자가 누리테크를 돕고 1위에 올랐다.",
        ("hanbit", "competes_with", "nuri"),
    ),
    (
        "competition_noun",
        "한빛전자의 경쟁자 누리테크가 뒤를 쫓는다.",
        ("hanbit", "competes_with", "nuri"),
        "한빛전자의 고객 누리테크가 뒤를 쫓는다.",
        ("hanbit", "competes_with", "nuri"),
    ),
    (
        "founder_verb",
        "가람랩을 세운 김도윤은 엔지니어다.",
        ("kim", "founded", "garam"),
        "가람랩 칩을 만든 김도윤은 엔지니어다.",
        ("kim", "founded", "garam"),
    ),
    (
        "leader_verb",
        "가람랩을 이끄는 김도윤은 바쁘다.",
        ("kim", "leads", "garam"),
        "가람랩을 떠난 김도윤은 바쁘다.",
        ("kim", "leads", "garam"),
    ),
    (
        "work_study_verb (work)",
        "박서연은 누리테크에서 일했다.",
        ("park", "works_at", "nuri"),
        "박서연은 누리테크에서 강연했다.",
        ("park", "works_at", "nuri"),
    ),
    (
        "work_study_verb (study)",
        "박서연은 한결대학교에서 박사 학위를 받았다.",
        ("park", "studied_at", "hangyeol_univ"),
        "박서연은 한결대학교에서 상을 받았다.",
        ("park", "studied_at", "hangyeol_univ"),
    ),
    (
        "title_link (leader)",
        "가람랩 대표 김도윤은 말을 아꼈다.",
        ("kim", "leads", "garam"),
        "가람랩 대표적 인물 김도윤은 말을 아꼈다.",
        ("kim", "leads", "garam"),
    ),
    (
        "title_link (staff)",
        "누리일보 기자 이하준이 쓴 기사다.",
        ("lee", "works_at", "nuri_daily"),
        "누리일보 기사에서 이하준이 말했다.",
        ("lee", "works_at", "nuri_daily"),
    ),
    (
        "title_link (alumni)",
        "누리테크 출신 엔지니어 박서연이 합류했다.",
        ("park", "works_at", "nuri"),
        "누리테크 고객사 엔지니어 박서연이 합류했다.",
        ("park", "works_at", "nuri"),
    ),
    (
        "possessive_person",
        "김도윤 대표의 가람랩은 작다.",
        ("kim", "leads", "garam"),
        "김도윤 대표와 가람랩은 작다.",
        ("kim", "leads", "garam"),
    ),
    (
        "develops",
        "가람랩이 개발한 누리봇은 인기가 많다.",
        ("garam", "develops", "nuribot"),
        "가람랩이 평가한 누리봇은 인기가 많다.",
        ("garam", "develops", "nuribot"),
    ),
    (
        "product_owner",
        "가람랩의 누리봇은 인기가 많다.",
        ("garam", "develops", "nuribot"),
        "가람랩과 누리봇은 인기가 많다.",
        ("garam", "develops", "nuribot"),
    ),
    (
        "book_line",
        "김도윤 지음, 박서연 옮김 / 푸른출판 / 2025년 '칩의 시대'",
        ("kim", "authored", "book"),
        "김도윤 추천, 박서연 감수 / 푸른출판 / 2025년 '칩의 시대'",
        ("kim", "authored", "book"),
    ),
    (
        "work_author",
        "김도윤의 '칩의 시대'를 읽었다.",
        ("kim", "authored", "book"),
        "김도윤과 '칩의 시대'를 읽었다.",
        ("kim", "authored", "book"),
    ),
]


@pytest.mark.parametrize("name, positive, link, near_miss, absent", CASES, ids=[c[0] for c in CASES])
def test_link_construction(links, name, positive, link, near_miss, absent):
    assert link in links(positive), name
    assert absent not in links(near_miss), name


def test_book_line_reads_translator_and_publisher(links):
    found = links("김도윤 지음, 박서연 옮김 / 푸른출판 / 2025년 '칩의 시대'")
    assert {("park", "translated", "book"), ("pureun", "publishes", "book")} <= found


def test_a_subject_carries_over_to_the_next_sentence(links):
    """A clause without a subject continues the previous sentence's topic (same paragraph)."""
    found = links("한빛전자는 센서 회사다. 누리테크에 센서를 납품한다.")
    assert ("hanbit", "supplies", "nuri") in found
    assert ("hanbit", "supplies", "nuri") not in links("한빛전자는 센서 회사다.\n\n누리테크에 센서를 납품한다.")


def test_symmetric_links_are_stored_once_in_id_order(links):
    found = links("누리테크는 한빛전자와 손잡고 칩을 만든다.")
    assert ("hanbit", "partners_with", "nuri") in found and ("nuri", "partners_with", "hanbit") not in found


def test_contract_noun_says_who_sells(links):
    assert ("nuri", "supplies", "hanbit") in links("한빛전자는 누리테크와 20년짜리 전력 구매 계약을 맺었다.")
    assert ("hanbit", "supplies", "nuri") in links("한빛전자는 누리테크와 센서 공급 계약을 체결했다.")
    assert not links("한빛전자는 누리테크와 비밀 유지 계약을 맺었다.")


def test_two_companies_named_before_stand_for_both(links):
    found = links("한빛전자와 누리테크는 센서 회사다. 두 회사는 물량을 놓고 경쟁해 왔다.")
    assert ("hanbit", "competes_with", "nuri") in found
    assert ("hanbit", "competes_with", "nuri") not in links(
        "한빛전자는 센서 회사다. 두 회사는 물량을 놓고 경쟁해 왔다."
    )


def test_money_raised_in_a_round_led_by_an_investor(links):
    found = links("가람랩은 다온캐피탈이 주도한 시리즈B에서 300억 원을 유치했다.")
    assert ("daon", "invests_in", "garam") in found
    assert ("daon", "invests_in", "garam") not in links("가람랩은 다온캐피탈이 주도한 행사에서 상을 받았다.")


def test_selling_an_organisation_is_no_supply(links):
    got = links("새봄클라우드는 가람랩을 누리테크에 넘겼다.")
    assert ("saebom", "supplies", "nuri") not in got
    assert ("saebom", "supplies", "nuri") in links("새봄클라우드는 가람랩의 장비를 누리테크에 넘겼다.")


def test_founding_together_is_no_partnership(links):
    got = links("김도윤과 박서연은 함께 누리테크를 세웠다.")
    assert ("kim", "partners_with", "park") not in got
    assert ("kim", "founded", "nuri") in got and ("park", "founded", "nuri") in got
