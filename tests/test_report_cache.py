"""The report's font subsets kept between runs: the same bytes as subsetting again."""

import pytest

from valuechain.report import fonts


@pytest.mark.skipif(fonts.find_font("Regular") is None, reason="no Korean font installed")
def test_cached_font_subset_equals_a_fresh_one_and_skips_the_subsetter(tmp_path, monkeypatch):
    chars = "".join(sorted(set("가나다라 엔비디아는 GPU를 만든다" + fonts.BASE_CHARS)))
    path = fonts.find_font("Regular")
    fresh = fonts.subset_woff(path, chars)
    assert fonts.cached_subset(path, chars, tmp_path) == fresh
    assert len(list(tmp_path.glob("font-*.woff"))) == 1

    def no_subsetter(*a):
        raise AssertionError("the subset should come from the cache")

    monkeypatch.setattr(fonts, "subset_woff", no_subsetter)
    assert fonts.cached_subset(path, chars, tmp_path) == fresh
    # other characters: another entry (the subsetter runs again)
    monkeypatch.undo()
    other = fonts.cached_subset(path, chars + "마", tmp_path)
    assert other != fresh and len(list(tmp_path.glob("font-*.woff"))) == 2


@pytest.mark.skipif(fonts.find_font("Regular") is None, reason="no Korean font installed")
def test_cache_keeps_only_the_latest_subsets(tmp_path):
    path = fonts.find_font("Regular")
    for extra in "가나다라마바사":
        fonts.cached_subset(path, fonts.BASE_CHARS + extra, tmp_path)
    assert len(list(tmp_path.glob("font-NanumGothic-*.woff"))) == fonts.CACHE_KEEP


def test_an_unwritable_cache_only_costs_time(tmp_path):
    path = fonts.find_font("Regular")
    if path is None:
        pytest.skip("no Korean font installed")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert fonts.cached_subset(path, fonts.BASE_CHARS, blocker / "cache") == fonts.subset_woff(path, fonts.BASE_CHARS)
