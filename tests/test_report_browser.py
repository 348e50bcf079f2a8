"""The report in real headless Chromium (Debian package ``chromium``), driven over the DevTools pipe.

Checks what a reader gets: no console errors, no request leaves the file, Korean is drawn with the
embedded font (no tofu), one highlight per mentions.csv row, the hostile review stays inert, the tables
sort and filter. Set REPORT_SCREENSHOT_DIR to keep the full-page screenshot. Skipped without chromium.
"""

from __future__ import annotations

import os
import struct
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from test_report import TREE, XSS1, XSS2, build_fixture

from valuechain.report import browser, fonts

pytestmark = pytest.mark.skipif(
    browser.find_chromium() is None, reason="chromium not installed (apt-get install -y chromium)"
)

SORT_AND_FILTER = r"""
(() => {
  const wrap = document.querySelector('.tablewrap[data-table="entities"]');
  const th = Array.from(wrap.querySelectorAll('thead th')).find(t => t.textContent.trim() === 'mentions');
  th.querySelector('button').click();  // ascending
  th.querySelector('button').click();  // descending
  const first = wrap.querySelector('tbody tr').cells[0].textContent;
  const input = wrap.querySelector('input[data-filter]');
  input.value = 'hynix';
  input.dispatchEvent(new Event('input'));
  const shown = Array.from(wrap.querySelectorAll('tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent);
  const count = wrap.querySelector('.count').textContent;
  const node = document.querySelector('#net .node');
  node.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  return JSON.stringify({first, sort: th.getAttribute('aria-sort'), shown, count,
                         info: document.getElementById('net-info').textContent,
                         focus: document.getElementById('net').classList.contains('focus')});
})()
"""


LINKS_UI = r"""
(() => {
  const svg = document.querySelector('svg.chain');
  const arrows = Array.from(svg.querySelectorAll('g.link')).map(g => {
    const b = g.getBBox();
    return [g.getAttribute('data-source'), g.getAttribute('data-target'), b.width * b.height > 0];
  });
  const marks = {};
  for (const d of document.querySelectorAll('details.review')) {
    marks[d.getAttribute('data-review')] = Array.from(d.querySelectorAll('.doc span.lk')).map(
      el => getComputedStyle(el, '::after').content);
  }
  const under = getComputedStyle(document.querySelector('.doc span.lk')).textDecorationLine;
  const chip = svg.querySelector('.chip[data-eid="nvidia"]');
  chip.dispatchEvent(new MouseEvent('mouseenter'));
  const focus = svg.classList.contains('focus');
  const on = Array.from(svg.querySelectorAll('g.link.on')).map(g => g.getAttribute('data-source') + '>' + g.getAttribute('data-target'));
  const dim = getComputedStyle(svg.querySelector('g.link:not(.on)')).opacity;
  chip.dispatchEvent(new MouseEvent('mouseleave'));
  const wrap = document.querySelector('.tablewrap[data-table="edges"]');
  const fam = wrap.querySelector('select[data-col="2"]');
  fam.value = 'capital';
  fam.dispatchEvent(new Event('change'));
  const capital = Array.from(wrap.querySelectorAll('tbody tr')).filter(r => !r.hidden).map(r => r.cells[1].textContent);
  fam.value = '';
  fam.dispatchEvent(new Event('change'));
  const th = Array.from(wrap.querySelectorAll('thead th')).find(t => t.textContent.trim() === 'reviews');
  th.querySelector('button').click();  // ascending
  th.querySelector('button').click();  // descending
  const top = wrap.querySelector('tbody tr').cells[0].textContent;
  const input = wrap.querySelector('input[data-filter]');
  input.value = 'HBM';
  input.dispatchEvent(new Event('input'));
  const hbm = Array.from(wrap.querySelectorAll('tbody tr')).filter(r => !r.hidden).map(r => r.cells[0].textContent);
  return JSON.stringify({arrows, marks, under, focus, on, dim, capital, top, hbm,
                         unfocused: !svg.classList.contains('focus')});
})()
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = build_fixture(tmp_path_factory.mktemp("browser"))
    res = browser.check_page(out, scripts={"ui": SORT_AND_FILTER, "links": LINKS_UI})
    keep = os.environ.get("REPORT_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "report.png").write_bytes(res.screenshot)
    return res


def test_no_console_errors(page):
    assert page.errors == [], page.console
    assert not page.exceptions


def test_no_request_leaves_the_file(page):
    assert page.requests, "the recorder saw nothing: the check would be blind"
    assert page.requests[0] == page.url
    assert page.outside_requests == []


def test_korean_is_drawn_with_the_embedded_font(page):
    assert page.dom["fontsStatus"] == "loaded"
    loaded = {(f, w) for f, w, status in page.dom["fontFaces"] if status == "loaded"}
    assert (fonts.FAMILY, "400") in loaded
    assert set(browser.FONT_SELECTORS) <= set(page.fonts), page.fonts.keys()
    for sel, used in page.fonts.items():
        # every glyph of these Korean text nodes came from our font: no fallback font, no tofu box
        assert [f["familyName"] for f in used] == [fonts.FAMILY], (sel, used)
        assert all(f["isCustomFont"] for f in used)


def test_highlighted_marks_match_mentions_csv(page):
    m = pd.read_csv(TREE / "tables/mentions.csv", dtype=str, keep_default_na=False)
    expected = Counter(m["review_id"])
    got = {rid: v["marks"] for rid, v in page.dom["reviews"].items()}
    assert got == dict(expected)
    assert all(v["distinct"] == v["marks"] for v in page.dom["reviews"].values())


def test_hostile_review_is_inert(page):
    assert page.dom["injected"] == {"script": 0, "img": 0, "onerror": 0, "alertCalled": False}
    body = page.dom["bodyText"]
    assert XSS1 in body and XSS2 in body
    assert f"악성회사{XSS1}" in page.dom["reviews"]["evil-review"]["text"]


def test_tables_sort_filter_and_network_click(page):
    import json

    ui = json.loads(page.extra["ui"])
    assert ui["sort"] == "descending"
    assert ui["first"] in ("미국", "중국")  # 5 mentions each, the most
    assert ui["shown"] == ["SK하이닉스"] and ui["count"].startswith("1 / ")
    assert ui["focus"] and "mentions" in ui["info"]


def test_value_chain_links_in_the_page(page):
    import json

    ui = json.loads(page.extra["links"])
    edges = pd.read_csv(TREE / "tables/value_chain_edges.csv", dtype=str, keep_default_na=False)
    expected = edges[edges["family"].isin(["supply", "capital"])]
    # every supply and capital edge of the fixture is drawn, with a visible extent
    assert sorted(tuple(a[:2]) for a in ui["arrows"]) == sorted(zip(expected["source"], expected["target"]))
    assert all(a[2] for a in ui["arrows"])
    # pointing at a chip brings out its own arrows and dims the rest
    assert ui["focus"] and ui["unfocused"]
    assert sorted(ui["on"]) == ["evil_corp>nvidia", "nvidia>supermicro", "sk_hynix>nvidia"]
    assert float(ui["dim"]) < 0.5
    # each link's sentence is underlined and states its links beside it, as text
    links = pd.read_csv(TREE / "tables/links.csv", dtype=str, keep_default_na=False)
    for rid, grp in links.groupby("review_id"):
        spans = set(zip(grp["evidence_start"], grp["evidence_end"]))
        assert len(ui["marks"][rid]) == len(spans), rid
    assert "underline" in ui["under"]
    assert '"엔비디아 → 슈퍼마이크로컴퓨터: supplies GPU"' in ui["marks"]["ai-goldrush"]
    assert any(XSS2 in m for m in ui["marks"]["evil-review"])
    # the edges table filters by family, sorts by reviews, searches the text
    assert [c.strip() for c in ui["capital"]] == ["→ invests_in"]
    assert ui["top"] == "엔비디아"
    assert sorted(ui["hbm"]) == ["SK하이닉스", "삼성전자 파운드리사업부"]  # object or sentence


def test_screenshot_is_a_full_page_png(page):
    png = page.screenshot
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1280 and height > 4000
    assert len(png) > 200_000  # a blank or tofu-only page compresses to far less


def test_the_checker_sees_outside_requests(tmp_path):
    """Negative control: a page that loads from outside is caught (so a pass above means something)."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
        '<body><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    res = browser.check_page(bad, screenshot=False)
    assert any(u.startswith("http://127.0.0.1:9/") for u in res.outside_requests), res.requests
    assert any("boom" in e for e in res.errors)


def test_csp_blocks_what_escaping_would_miss(tmp_path):
    """Defence in depth: markup injected past the escaping still cannot load or run anything."""
    out = build_fixture(tmp_path)
    page = out.read_text(encoding="utf-8")
    injected = page.replace(
        "<main>",
        '<main><img src="http://127.0.0.1:9/leak.png" '
        'onerror="window.__alerted=true"><script>window.__alerted=true</script>',
        1,
    )
    out.write_text(injected, encoding="utf-8")
    res = browser.check_page(out, screenshot=False)
    assert res.dom["injected"]["alertCalled"] is False
    assert res.blocked.get("http://127.0.0.1:9/leak.png") == "csp", (res.requests, res.blocked)
    assert any("Content Security Policy" in e for e in res.errors), res.console
