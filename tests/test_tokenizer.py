"""The Kiwi-backed spaCy tokenizer: exact offsets, tags, lemmas, sentences, user dictionary."""

from pathlib import Path

from spacy.tokens import DocBin

from valuechain.ingest import parse_review
from valuechain.spacy_kiwi import SKIP_TAG, SPACE_TAG, analysed_sentences, make_nlp
from valuechain.stages.tokens import token_rows


def test_doc_text_and_offsets_match_review(nlp, sample_text):
    rv = parse_review("ai-goldrush", sample_text)
    doc = nlp.tokenizer.docs([(rv.text, rv.spans)])[0]
    assert doc.text == sample_text
    for tok in doc:
        assert sample_text[tok.idx : tok.idx + len(tok)] == tok.text
    rows = token_rows("ai-goldrush", doc)
    assert all(sample_text[r["start"] : r["end"]] == r["form"] for r in rows)
    # the platform line, byline and keyword block are not analysed
    assert doc[0].text == "brunch" and doc[0].tag_ == SKIP_TAG
    assert not any(r["form"] == "keyword" for r in rows)


def test_tags_lemmas_and_merged_contractions(nlp):
    doc = nlp("삼성전자가 HBM을 만들었다.")
    tags = {t.text: t.tag_ for t in doc}
    assert tags["삼성전자"] == "NNP"
    assert tags["HBM"] == "SL"
    assert tags["가"] == "JKS"
    made = next(t for t in doc if t.text.startswith("만들"))
    assert "+" in made.tag_ or made.tag_ == "VV"
    assert any(t.lemma_ == "만들다" or t.lemma_.startswith("만들") for t in doc)


def test_sentence_starts(nlp):
    doc = nlp("첫 문장입니다. 두 번째 문장입니다.")
    sents = list(analysed_sentences(doc))
    assert len(sents) == 2
    assert sents[1][1][0].is_sent_start


def test_whitespace_is_preserved(nlp):
    text = "  가나   다라\n\n마바 "
    doc = nlp(text)
    assert doc.text == text
    assert any(t.tag_ == SPACE_TAG for t in doc)


def test_docbin_roundtrip(nlp, tmp_path: Path):
    doc = nlp("오픈AI와 엔비디아.")
    db = DocBin(attrs=["ORTH", "TAG", "LEMMA", "SENT_START", "SPACY"], store_user_data=True)
    db.add(doc)
    db.to_disk(tmp_path / "d.spacy")
    back = list(DocBin().from_disk(tmp_path / "d.spacy").get_docs(nlp.vocab))[0]
    assert back.text == doc.text
    assert [t.tag_ for t in back] == [t.tag_ for t in doc]
    assert [tuple(s) for s in back.user_data["sentences"]] == [tuple(s) for s in doc.user_data["sentences"]]


def test_user_dictionary_keeps_domain_names_whole(nlp):
    """Before/after: without the gazetteer dictionary these names are split."""
    plain = make_nlp(user_dictionary="")
    text = "하이퍼클로바X와 슈퍼마이크로컴퓨터, 오픈AI, SK하이닉스, 삼성전자"
    with_dict = {t.text for t in nlp(text) if t.tag_ == "NNP"}
    without = {t.text for t in plain(text) if t.tag_ == "NNP"}
    for name in ("하이퍼클로바X", "슈퍼마이크로컴퓨터", "오픈AI", "SK하이닉스", "삼성전자"):
        assert name in with_dict, name
    # at least some of them are split by the bare model: the dictionary earns its place
    assert len({"하이퍼클로바X", "슈퍼마이크로컴퓨터", "오픈AI"} - without) >= 1
