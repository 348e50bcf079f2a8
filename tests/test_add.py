"""``valuechain add``: ids, sniffing, the sheet, and every fetch outcome against a local HTTP server.

The server (http.server in a thread on 127.0.0.1, ephemeral port) serves tests/fixtures/add; it also
acts as an HTTP proxy, so that a request for ``http://brunch.co.kr/...`` reaches it when a test
routes through it: nothing leaves the machine.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import socket
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from conftest import ROOT, copy_run

from valuechain.cli import main
from valuechain.corpus import review_id_for
from valuechain.fetch.add import Adder, add_urls, decide, exit_code, sheet_values, summary
from valuechain.fetch.client import USER_AGENT, Fetcher, Settings, polite_wait
from valuechain.fetch.ids import BadURL, canonical_url, normalize_url, read_url_list, review_id_for_url
from valuechain.fetch.sheet import COLUMNS, Sheet, SheetError, format_sheet, parse_sheet, read_sheet, upsert
from valuechain.fetch.sniff import looks_like_html, refuse_by_content, refuse_by_header
from valuechain.ingest import ingest_bytes

FIX = Path(__file__).parent / "fixtures" / "add"
POST = (FIX / "brunch-post.html").read_bytes()
BIG = 30 * 1024 * 1024
PROXY_VARS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
)
SCHEMA_ID = re.compile(r"^[^/\\]+$")  # workflow/schemas/reviews.schema.yaml


# ---------------------------------------------------------------------- the local server


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep the test output clean
        pass

    def _send(self, code: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers=()) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, code: int, location: str) -> None:
        self._send(code, b"", headers=[("Location", location)])

    def _stream(self, total: int, declare: bool) -> None:
        """``total`` bytes of a page; without Content-Length the body ends when the connection does."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declare:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        chunk = b"<p>" + "가".encode() * 20_000 + b"</p>\n"
        sent = 0
        try:
            self.wfile.write(b"<!DOCTYPE html><html><body>")
            while sent < total and not self.server.stop.is_set():
                part = chunk[: total - sent]
                self.wfile.write(part)
                sent += len(part)
        except OSError:
            pass  # the client hung up, as it should past its limit
        finally:
            self.server.sent[self.path] = sent

    def do_GET(self):  # noqa: C901 (one branch per fixture case)
        srv = self.server
        path = urlsplit(self.path).path  # also for proxy requests (absolute URI in the request line)
        host = (self.headers.get("Host") or "").split(":")[0]
        with srv.lock:
            srv.hits[path] += 1
            srv.hosts.append(host)
            srv.agents.add(self.headers.get("User-Agent", ""))
            n = srv.hits[path]
        if path == "/robots.txt":
            if host == "robots-down.test":
                return self._send(503, b"busy", "text/plain")
            if host == "crawl-delay.test":
                return self._send(200, b"User-agent: *\nCrawl-delay: 5\nDisallow: /private/\n", "text/plain")
            return self._send(200, (FIX / "robots.txt").read_bytes(), "text/plain")
        if path in ("/@seoyeon/7", "/private/post"):
            return self._send(200, POST)
        if path == "/missing":
            return self._send(404, b"<html><body>not found</body></html>")
        if path == "/flaky":
            return self._send(500, b"oops") if n == 1 else self._send(200, POST)
        if path == "/always-500":
            return self._send(500, b"oops")
        if path == "/slow":
            srv.stop.wait(5)  # longer than the client's timeout; teardown releases it
            return self._send(200, POST)
        if path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                if srv.stop.wait(0.05):
                    break
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    break
            return None
        if path == "/moved":
            return self._redirect(301, "/@seoyeon/7")
        if path == "/loop":
            return self._redirect(302, "/loop")
        if path == "/to-private":
            return self._redirect(302, "/private/post")
        if path == "/to-ftp":
            return self._redirect(302, "ftp://127.0.0.1/post.html")
        if path == "/review.pdf":
            return self._send(200, (FIX / "review.pdf").read_bytes(), "application/pdf")
        if path == "/pdf-as-html":
            return self._send(200, (FIX / "review.pdf").read_bytes(), "text/html")
        if path == "/untyped":
            return self._send(200, POST, "application/octet-stream")
        if path == "/notes.txt":
            return self._send(200, "그냥 텍스트".encode(), "text/plain; charset=utf-8")
        if path == "/big":
            return self._stream(BIG, declare=True)
        if path == "/big-stream":
            return self._stream(BIG, declare=False)
        if path == "/changing":
            body = POST if srv.version == 1 else POST.replace("임대료를 받는다".encode(), "임대료로 돈을 번다".encode())
            return self._send(200, body)
        if path == "/dynamic":  # only a token in a script changes between requests
            return self._send(200, POST.replace(b"token-0001", f"token-{n:04d}".encode()))
        if path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(POST), 1000):
                part = POST[i : i + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return None
        if path == "/gzip":
            return self._send(200, gzip.compress(POST), headers=[("Content-Encoding", "gzip")])
        if path == "/empty":
            return self._send(200, (FIX / "empty-page.html").read_bytes())
        return self._send(404, b"no such fixture")


class PageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.hits: Counter[str] = Counter()
        self.hosts: list[str] = []
        self.agents: set[str] = set()
        self.sent: dict[str, int] = {}
        self.version = 1

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server():
    srv = PageServer()
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.stop.set()
        srv.shutdown()
        srv.server_close()
        t.join(10)


@pytest.fixture(autouse=True)
def no_env_proxy(monkeypatch):
    """A proxy set in the environment must not take the tests' requests off the machine."""
    for v in PROXY_VARS:
        monkeypatch.delenv(v, raising=False)


def settings(**kw) -> Settings:
    base = dict(timeout=0.5, deadline=10.0, retries=2, backoff=0.01, delay=0.0, trust_env=False)
    return Settings(**{**base, **kw})


@pytest.fixture
def project(tmp_path):
    """An empty inputs folder and no sheet yet."""
    (tmp_path / "reviews").mkdir()
    return tmp_path


def adder(project: Path, update: bool = False, **kw) -> Adder:
    return Adder(project / "reviews", project / "reviews.tsv", Fetcher(settings(**kw)), update=update, now=lambda: NOW)


NOW = "2025-01-02T03:04:05Z"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sheet_df(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


# ---------------------------------------------------------------------- ids (pure)


@pytest.mark.parametrize(
    "url, rid",
    [
        ("https://brunch.co.kr/@author/42", "brunch-author-42"),
        ("https://brunch.co.kr/@author/42/", "brunch-author-42"),
        ("http://m.brunch.co.kr/@author/42?utm_source=share#comments", "brunch-author-42"),
        ("  https://BRUNCH.co.kr/@my_name.k/7  ", "brunch-my_name.k-7"),
        ("https://brunch.co.kr/@@aB3x/15", "brunch-@aB3x-15"),
    ],
)
def test_brunch_post_ids(url, rid):
    assert review_id_for_url(url) == rid
    assert review_id_for(f"{rid}.html") == rid  # the workflow reads the same id back from the file name


def test_brunch_canonical_url_drops_tracking_and_mobile_host():
    assert canonical_url("https://m.brunch.co.kr/@author/42?utm_source=x#top") == "https://brunch.co.kr/@author/42"
    assert canonical_url("https://brunch.co.kr/@@aB3x/15") == "https://brunch.co.kr/@@aB3x/15"
    assert canonical_url("https://Example.com:443/a?b=1#c") == "https://example.com/a?b=1"


def test_other_site_ids_are_safe_deterministic_and_distinct():
    urls = [
        "https://www.example.com/blog/Review-1?id=3",
        "https://www.example.com/blog/Review-1?id=4",
        "https://example.com/blog/review/1",
        "https://brunch.co.kr/magazine/aieconomy",  # brunch, but not a post
        "https://blog.example.kr/%EC%B9%A9-%EC%9B%8C/../..%2F..%2Fetc",
        "http://127.0.0.1:8000/" + "x" * 500,
        "https://example.com/.hidden",
    ]
    ids = [review_id_for_url(u) for u in urls]
    assert ids == [review_id_for_url(u) for u in urls]  # deterministic
    assert len(set(ids)) == len(ids)  # distinct
    for rid in ids:
        assert SCHEMA_ID.match(rid) and not rid.startswith(".") and len(rid) <= 100, rid
        assert review_id_for(f"{rid}.html") == rid
        assert re.fullmatch(r"[a-z0-9가-힣.:-]+", rid), rid
    assert ids[0].startswith("example.com-blog-review-1-")
    assert "칩-워" in ids[4]
    # fragments and default ports are not part of the page: same id
    assert review_id_for_url("https://example.com:443/a#x") == review_id_for_url("https://example.com/a")


@pytest.mark.parametrize(
    "bad", ["", "   ", "not a url", "ftp://example.com/x", "example.com/a", "http://", "https://h:99999/"]
)
def test_bad_urls_are_refused(bad):
    with pytest.raises(BadURL):
        normalize_url(bad)


def test_url_list_skips_only_blanks_and_comments():
    text = "\ufeff# my reading list\nhttps://brunch.co.kr/@a/1\n\n   \n  https://example.com/x  \nnot a url\n#https://skipped/\n"
    assert read_url_list(text) == ["https://brunch.co.kr/@a/1", "https://example.com/x", "not a url"]


# ---------------------------------------------------------------------- sniffing, decisions (pure)


def test_content_type_decides_before_the_body_is_read():
    assert refuse_by_header("text/html; charset=UTF-8") is None
    assert refuse_by_header("application/xhtml+xml") is None
    assert refuse_by_header(None) is None and refuse_by_header("application/octet-stream") is None
    assert "application/pdf" in refuse_by_header("application/pdf")
    assert "image/png" in refuse_by_header("image/png")
    assert "text/plain" in refuse_by_header("text/plain")


def test_sniffing_refuses_binary_whatever_the_server_says():
    pdf = (FIX / "review.pdf").read_bytes()
    assert "PDF" in refuse_by_content("text/html", pdf) and "served as text/html" in refuse_by_content("text/html", pdf)
    assert "PNG" in refuse_by_content("", b"\x89PNG\r\n\x1a\n....")
    assert "ZIP" in refuse_by_content("text/html", b"PK\x03\x04rest")
    assert refuse_by_content("text/html", POST) is None
    assert refuse_by_content("", POST) is None  # no type: the content starts like HTML
    assert refuse_by_content("application/octet-stream", "그냥 텍스트".encode()) is not None
    assert refuse_by_content("text/html", "<p>조각</p>".encode()) is None  # a fragment served as HTML
    assert looks_like_html(b"\xef\xbb\xbf\n  <!-- c --><!DOCTYPE html><html>")
    assert not looks_like_html(b"%PDF-1.4")


@pytest.mark.parametrize(
    "saved, fetched, same, update, status",
    [
        (None, b"a", False, False, "added"),
        (b"a", b"a", False, False, "unchanged"),
        (b"a", b"a", False, True, "unchanged"),
        (b"a", b"b", True, False, "unchanged"),
        (b"a", b"b", False, False, "changed"),
        (b"a", b"b", False, True, "updated"),
    ],
)
def test_decide(saved, fetched, same, update, status):
    assert decide(saved, fetched, same, update) == status


def test_polite_wait():
    assert polite_wait(None, 100.0, 1.0) == 0.0
    assert polite_wait(99.5, 100.0, 1.0) == pytest.approx(0.5)
    assert polite_wait(90.0, 100.0, 1.0) == 0.0


def test_sheet_values_keep_a_curated_url():
    assert sheet_values(None, "u", "s", NOW, True) == {"url": "u", "fetched_at": NOW, "sha256": "s"}
    assert sheet_values({"url": "mine"}, "u", "s", NOW, True) == {"fetched_at": NOW, "sha256": "s"}
    done = {"url": "u", "fetched_at": "earlier", "sha256": "s"}
    assert sheet_values(done, "u", "s", NOW, False) == {}  # re-adding the same page writes nothing


# ---------------------------------------------------------------------- the sheet (pure + files)


def test_the_project_sheet_round_trips_byte_for_byte():
    text = (ROOT / "config/reviews.tsv").read_text(encoding="utf-8")
    sheet = parse_sheet(text)
    assert sheet.header == COLUMNS
    assert format_sheet(sheet) == text


def test_upsert_keeps_other_rows_columns_and_odd_values(tmp_path):
    text = 'review_id\turl\tnotes\textra\na\thttp://a\t"quoted" and\ttab\tx\nb\t\t\ty\n'
    with pytest.raises(SheetError, match="line 2 has 5 fields"):
        parse_sheet(text)
    text = 'review_id\turl\tnotes\textra\na\thttp://a\t"say ""hi"""\tx\nb\t\tline\\none\ty\n'
    sheet = parse_sheet(text)
    new = upsert(sheet, "c", {"url": "http://c", "fetched_at": NOW, "sha256": "0" * 64})
    new = upsert(new, "a", {"fetched_at": NOW})
    assert new.header == ["review_id", "url", "notes", "extra", "fetched_at", "sha256"]
    path = tmp_path / "s.tsv"
    path.write_text(format_sheet(new), encoding="utf-8")
    df = sheet_df(path)  # as the workflow reads it
    assert list(df.review_id) == ["a", "b", "c"]
    assert df.loc[0, "notes"] == 'say "hi"' and df.loc[0, "extra"] == "x" and df.loc[0, "fetched_at"] == NOW
    assert df.loc[1, "notes"] == "line\\none" and df.loc[1, "fetched_at"] == ""
    assert df.loc[2, "url"] == "http://c" and df.loc[2, "sha256"] == "0" * 64
    assert read_sheet(tmp_path / "absent.tsv") == Sheet()


def test_sheet_schema_accepts_the_new_columns_and_refuses_bad_values():
    import jsonschema
    import yaml

    schema = yaml.safe_load((ROOT / "workflow/schemas/reviews.schema.yaml").read_text(encoding="utf-8"))
    ok = {"review_id": "brunch-a-1", "url": "https://brunch.co.kr/@a/1", "fetched_at": NOW, "sha256": "ab" * 32}
    jsonschema.validate(ok, schema)
    jsonschema.validate({"review_id": "x", "fetched_at": "", "sha256": ""}, schema)
    for bad in ({"fetched_at": "yesterday"}, {"sha256": "xyz"}, {"sha256": "AB" * 32}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**ok, **bad}, schema)


# ---------------------------------------------------------------------- outcomes against the server


def test_a_brunch_post_is_added_with_its_sheet_row(server, project):
    url = server.base + "/@seoyeon/7"
    o = adder(project).add(url)
    assert o.status == "added", o
    rid = review_id_for_url(url)
    saved = project / "reviews" / f"{rid}.html"
    assert saved.read_bytes() == POST  # the raw page, byte for byte
    assert (o.title, o.author, o.date) == ("청바지를 파는 클라우드", "이서연", "2024-09-03")
    df = sheet_df(project / "reviews.tsv")
    assert df.to_dict("records") == [
        {
            "review_id": rid,
            "url": url,
            "date": "",
            "notes": "",
            "fetched_at": NOW,
            "sha256": hashlib.sha256(POST).hexdigest(),
        }
    ]
    assert server.agents == {USER_AGENT} and USER_AGENT.startswith("valuechain/")
    assert server.hits["/robots.txt"] == 1


def test_re_adding_the_same_url_changes_nothing(server, project):
    url = server.base + "/@seoyeon/7"
    assert adder(project).add(url).status == "added"
    before = snapshot(project)
    a = Adder(project / "reviews", project / "reviews.tsv", Fetcher(settings()), now=lambda: "2030-01-01T00:00:00Z")
    outcomes = [a.add(url), a.add(url + "#again")]
    assert [o.status for o in outcomes] == ["unchanged", "unchanged"]
    assert snapshot(project) == before  # files and sheet byte-identical, fetched_at kept
    assert exit_code(outcomes) == 0


def test_the_added_page_ingests_like_a_hand_saved_one(server, project):
    """The package's ingest reads the fetched file exactly as the same page saved from a browser."""
    o = adder(project).add(server.base + "/@seoyeon/7")
    fetched = Path(o.file)
    hand = project / "hand-saved.html"
    hand.write_bytes(POST)
    a = ingest_bytes(o.review_id, fetched.read_bytes(), source=fetched.name)
    b = ingest_bytes(o.review_id, hand.read_bytes(), source=hand.name)
    assert a.to_dict() | {"source": ""} == b.to_dict() | {"source": ""}
    assert (a.layout, a.title, a.author, a.date) == ("brunch", "청바지를 파는 클라우드", "이서연", "2024-09-03")
    assert (a.book_title, a.book_author) == ("엔비디아 레볼루션", "테이 킴")
    assert "코어위브는 엔비디아의 GPU를 사들여" in a.text and "스크립트 속 가짜 제목" not in a.text
    assert "라이킷" not in a.text and "작가의 이전글" not in a.text


def assert_failed(o, reason: str, detail: str, project: Path):
    assert o.status == "failed", o
    assert o.reason == reason, o
    assert re.search(detail, o.detail), o.detail
    assert not any((project / "reviews").iterdir()), "nothing may be saved for a failure"
    assert not (project / "reviews.tsv").exists(), "the sheet is not touched for a failure"
    assert o.url in o.line() and reason in o.line()


def test_404_fails_with_the_status(server, project):
    assert_failed(adder(project).add(server.base + "/missing"), "http_error", r"^HTTP 404 Not Found$", project)
    assert server.hits["/missing"] == 1  # a 4xx is not retried


def test_500_then_200_is_retried_and_added(server, project):
    o = adder(project).add(server.base + "/flaky")
    assert o.status == "added", o
    assert server.hits["/flaky"] == 2
    assert (project / "reviews" / f"{o.review_id}.html").read_bytes() == POST


def test_persistent_500_fails_after_the_retries(server, project):
    o = adder(project, retries=2).add(server.base + "/always-500")
    assert_failed(o, "http_error", r"HTTP 500 .*after 2 retries", project)
    assert server.hits["/always-500"] == 3


def test_a_slow_response_times_out(server, project):
    o = adder(project, timeout=0.3).add(server.base + "/slow")
    assert_failed(o, "timeout", r"/slow: no answer within the timeout", project)
    assert server.hits["/slow"] == 1  # a read timeout is not retried


def test_a_trickling_download_stops_at_the_deadline(server, project):
    o = adder(project, deadline=0.2).add(server.base + "/trickle")
    assert_failed(o, "timeout", r"download took longer than 0.2 s", project)


@pytest.mark.parametrize("path", ["/chunked", "/gzip"])
def test_chunked_and_compressed_pages_are_saved_as_the_page_itself(server, project, path):
    o = adder(project).add(server.base + path)
    assert o.status == "added", o
    assert (project / "reviews" / f"{o.review_id}.html").read_bytes() == POST


def test_a_redirect_is_followed_and_the_id_comes_from_the_given_url(server, project):
    url = server.base + "/moved"
    o = adder(project).add(url)
    assert o.status == "added", o
    assert o.review_id == review_id_for_url(url)
    assert f"redirected to {server.base}/@seoyeon/7" in o.detail
    assert (project / "reviews" / f"{o.review_id}.html").read_bytes() == POST
    assert sheet_df(project / "reviews.tsv").loc[0, "url"] == url


def test_redirect_loops_and_non_http_targets_fail(server, project):
    assert_failed(adder(project).add(server.base + "/loop"), "too_many_redirects", r"more than 10 redirects", project)
    assert server.hits["/loop"] == 11
    assert_failed(adder(project).add(server.base + "/to-ftp"), "bad_redirect", r"ftp://", project)


def test_robots_txt_is_respected_also_after_a_redirect(server, project):
    o = adder(project).add(server.base + "/private/post")
    assert_failed(o, "robots", r"robots.txt disallows /private/post", project)
    o = adder(project).add(server.base + "/to-private")
    assert_failed(o, "robots", r"robots.txt disallows /private/post", project)
    assert server.hits["/private/post"] == 0  # never asked for


def test_robots_txt_rules_for_other_agents_do_not_apply():
    from urllib import robotparser

    rp = robotparser.RobotFileParser()
    rp.parse((FIX / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert rp.can_fetch("valuechain", "http://h/@seoyeon/7") and not rp.can_fetch("some-other-bot", "http://h/")


def test_an_unavailable_robots_txt_means_no_fetch(server, project):
    a = adder(project, proxies={"http": server.base})
    o = a.add("http://robots-down.test/@seoyeon/7")
    assert_failed(o, "robots_unavailable", r"robots-down.test/robots.txt answered HTTP 503", project)
    assert server.hits["/@seoyeon/7"] == 0 and server.hits["/robots.txt"] == 3  # retried as a 5xx
    again = a.add("http://robots-down.test/other")  # the same site in the same run: not asked again
    assert again.reason == "robots_unavailable" and server.hits["/robots.txt"] == 3


def test_requests_to_one_host_are_spaced_by_the_delay_or_the_crawl_delay(server, project):
    """A fake clock that never advances: every request after the first to a host waits the full delay."""
    waits: list[float] = []
    f = Fetcher(settings(delay=1.0, proxies={"http": server.base}), sleep=waits.append, clock=lambda: 100.0)
    a = Adder(project / "reviews", project / "reviews.tsv", f, now=lambda: NOW)
    assert a.add("http://plain.test/@seoyeon/7").status == "added"  # robots.txt, then the page
    assert a.add("http://plain.test/moved").status == "added"  # the redirect, then the page (own id)
    assert waits == [1.0, 1.0, 1.0]
    waits.clear()
    assert a.add("http://crawl-delay.test/@seoyeon/7").status == "added"
    assert waits == [5.0]  # robots.txt asks for 5 s between requests


def test_a_closed_port_fails_as_a_connection_error(project):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    o = adder(project, retries=1).add(f"http://127.0.0.1:{port}/post")
    assert_failed(o, "connection", rf"127.0.0.1:{port}/robots.txt: ConnectionError", project)


def test_non_html_is_refused_with_the_reason(server, project):
    a = adder(project)
    assert_failed(a.add(server.base + "/review.pdf"), "not_html", r"Content-Type application/pdf", project)
    assert_failed(
        a.add(server.base + "/pdf-as-html"),
        "not_html",
        r"content is a PDF document, though served as text/html",
        project,
    )
    assert_failed(a.add(server.base + "/notes.txt"), "not_html", r"Content-Type text/plain", project)
    assert a.add(server.base + "/untyped").status == "added"  # no useful type, but it is HTML


@pytest.mark.parametrize(
    "path, detail",
    [
        ("/big", r"Content-Length 31,457,\d+ bytes > limit 5,000,000"),
        ("/big-stream", r"more than 5,000,000 bytes; download stopped"),
    ],
)
def test_a_30_mb_body_is_refused(server, project, path, detail):
    o = adder(project, max_bytes=5_000_000).add(server.base + path)
    assert_failed(o, "too_large", detail, project)
    server.stop.wait(0.5)  # let the server notice the hang-up
    assert server.sent.get(path, 0) < BIG  # the download was abandoned, not read to the end


def test_a_changed_page_is_kept_until_update(server, project):
    url = server.base + "/changing"
    first = adder(project).add(url)
    assert first.status == "added"
    before = snapshot(project)
    server.version = 2
    o = adder(project).add(url)
    assert o.status == "changed", o
    assert "kept the saved copy" in o.detail and "--update" in o.detail and NOW in o.detail
    assert snapshot(project) == before  # old page and sheet kept
    assert exit_code([first, o]) == 3
    assert "1 changed" in summary([o]) and url in summary([o])
    a = Adder(
        project / "reviews",
        project / "reviews.tsv",
        Fetcher(settings()),
        update=True,
        now=lambda: "2030-01-01T00:00:00Z",
    )
    u = a.add(url)
    assert u.status == "updated", u
    new = (project / "reviews" / f"{o.review_id}.html").read_bytes()
    assert "임대료로 돈을 번다".encode() in new
    row = sheet_df(project / "reviews.tsv").iloc[0]
    assert row.fetched_at == "2030-01-01T00:00:00Z" and row.sha256 == hashlib.sha256(new).hexdigest()
    assert exit_code([u]) == 0


def test_a_markup_only_change_is_not_a_change(server, project):
    url = server.base + "/dynamic"
    assert adder(project).add(url).status == "added"
    before = snapshot(project)
    o = adder(project, update=True).add(url)
    assert o.status == "unchanged" and "only markup the workflow ignores differs" in o.detail
    assert snapshot(project) == before


def test_a_page_without_text_fails_as_the_workflow_would_reject_it(server, project):
    o = adder(project).add(server.base + "/empty")
    assert_failed(o, "ingest_empty", r"the workflow would reject this page: HTML page has no article text", project)


def test_an_id_already_used_by_a_hand_saved_file_is_not_overwritten(server, project):
    url = server.base + "/@seoyeon/7"
    hand = project / "reviews" / f"{review_id_for_url(url)}.txt"
    hand.write_text("손으로 저장한 글", encoding="utf-8")
    o = adder(project).add(url)
    assert o.status == "failed" and o.reason == "id_taken" and str(hand) in o.detail
    assert [p.name for p in (project / "reviews").iterdir()] == [hand.name]
    assert server.hits["/@seoyeon/7"] == 0


def test_a_curated_sheet_row_keeps_its_values(server, project):
    url = server.base + "/@seoyeon/7"
    rid = review_id_for_url(url)
    (project / "reviews.tsv").write_text(
        f"review_id\turl\tdate\tnotes\nother\thttp://o\t2020\tmine\n{rid}\t\t2024-09\t읽을 것\n", encoding="utf-8"
    )
    assert adder(project).add(url).status == "added"
    df = sheet_df(project / "reviews.tsv")
    assert list(df.columns) == COLUMNS
    assert df.to_dict("records")[0] == {
        "review_id": "other",
        "url": "http://o",
        "date": "2020",
        "notes": "mine",
        "fetched_at": "",
        "sha256": "",
    }
    assert df.loc[1, "url"] == url and df.loc[1, "date"] == "2024-09" and df.loc[1, "notes"] == "읽을 것"


# ---------------------------------------------------------------------- the command line


def cli(project: Path, *args: str) -> int:
    return main(
        ["add", "--reviews-dir", str(project / "reviews"), "--sheet", str(project / "reviews.tsv"),
         "--config", str(project / "no-config.yaml"), "--delay", "0", "--timeout", "0.5", "--backoff", "0.01", *args]
    )  # fmt: skip


def test_cli_list_summary_and_exit_codes(server, project, capsys):
    lst = project / "urls.txt"
    lst.write_text(
        f"# to read\n{server.base}/@seoyeon/7\n\nnot a url\n{server.base}/missing\n{server.base}/review.pdf\n",
        encoding="utf-8",
    )
    assert cli(project, "--list", str(lst), "--progress") == 1
    out, err = capsys.readouterr()
    assert "1 added, 0 unchanged, 0 updated, 0 changed, 3 failed" in out
    assert "failed  not a url: bad_url: not a URL" in out
    assert f"failed  {server.base}/missing: http_error: HTTP 404 Not Found" in out
    assert f"failed  {server.base}/review.pdf: not_html: not an HTML page (Content-Type application/pdf)" in out
    assert "4/4" in err  # the progress bar
    assert cli(project, f"{server.base}/@seoyeon/7") == 0
    assert "0 added, 1 unchanged, 0 updated, 0 changed, 0 failed" in capsys.readouterr().out
    assert cli(project, f"{server.base}/changing") == 0
    server.version = 2
    assert cli(project, f"{server.base}/changing") == 3
    assert cli(project, "--update", f"{server.base}/changing") == 0
    assert "1 updated" in capsys.readouterr().out


def test_an_interrupted_list_reports_what_was_not_attempted(server, project):
    class Interrupting(Adder):
        def add(self, raw):
            if raw.endswith("/stop"):
                raise KeyboardInterrupt
            return super().add(raw)

    a = Interrupting(project / "reviews", project / "reviews.tsv", Fetcher(settings()), now=lambda: NOW)
    urls = [server.base + "/@seoyeon/7", server.base + "/stop", server.base + "/flaky"]
    outcomes = add_urls(urls, a, progress=False)
    assert [(o.url, o.status, o.reason) for o in outcomes] == [
        (urls[0], "added", ""),
        (urls[1], "failed", "interrupted"),
        (urls[2], "failed", "interrupted"),
    ]
    assert exit_code(outcomes) == 1 and len(sheet_df(project / "reviews.tsv")) == 1


def test_cli_refuses_nothing_to_do(project, capsys):
    assert cli(project) == 2
    assert "no URL given" in capsys.readouterr().err
    assert cli(project, "--list", str(project / "absent.txt")) == 2
    assert "cannot read the list" in capsys.readouterr().err


def test_cli_names_brunch_posts_by_author_and_number(server, project, monkeypatch, capsys):
    """Through the environment's proxy setting (honoured like any requests client), the local server
    stands in for brunch.co.kr."""
    monkeypatch.setenv("HTTP_PROXY", server.base)
    assert cli(project, "http://brunch.co.kr/@seoyeon/7?utm_source=share") == 0
    assert (project / "reviews" / "brunch-seoyeon-7.html").read_bytes() == POST
    row = sheet_df(project / "reviews.tsv").iloc[0]
    assert (row.review_id, row.url) == ("brunch-seoyeon-7", "http://brunch.co.kr/@seoyeon/7")
    assert "brunch.co.kr" in server.hosts
    assert "added      brunch-seoyeon-7 <- http://brunch.co.kr/@seoyeon/7" in capsys.readouterr().out


# ---------------------------------------------------------------------- the workflow


@pytest.mark.integration
def test_an_added_page_runs_through_the_workflow(server, tmp_path, sample_run):
    proj = copy_run(sample_run, tmp_path / "proj")  # a finished run of the sample (conftest)
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS} | {"HTTP_PROXY": server.base}
    add = [sys.executable, "-m", "valuechain.cli", "add", "--delay", "0", "http://brunch.co.kr/@seoyeon/7"]
    p = subprocess.run(add, cwd=proj, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert (proj / "resources/reviews/brunch-seoyeon-7.html").read_bytes() == POST
    # the tables this test reads (the layers, graph and report steps are tested with the sample run)
    smk = [
        sys.executable,
        "-m",
        "snakemake",
        "--cores",
        "2",
        "results/tables/reviews.csv",
        "results/tables/relations.csv",
    ]
    p = subprocess.run(smk, cwd=proj, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    rv = pd.read_csv(proj / "results/tables/reviews.csv", dtype=str, keep_default_na=False).set_index("review_id")
    assert set(rv.index) == {"ai-goldrush", "brunch-seoyeon-7"}
    r = rv.loc["brunch-seoyeon-7"]
    assert (r.title, r.author, r.date, r.layout) == ("청바지를 파는 클라우드", "이서연", "2024-09-03", "brunch")
    assert (r.url, r.file, r.warnings) == ("http://brunch.co.kr/@seoyeon/7", "brunch-seoyeon-7.html", "")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r.fetched_at)
    assert r.sha256 == hashlib.sha256(POST).hexdigest()
    rel = pd.read_csv(proj / "results/tables/relations.csv", dtype=str, keep_default_na=False)
    assert (rel.review_id == "brunch-seoyeon-7").any()
    # adding it again changes nothing, so the workflow has nothing to do
    p = subprocess.run(add, cwd=proj, env=env, capture_output=True, text=True)
    assert p.returncode == 0 and "1 unchanged" in p.stdout, p.stdout + p.stderr
    p = subprocess.run(smk, cwd=proj, capture_output=True, text=True)
    assert p.returncode == 0 and "Nothing to be done" in p.stdout + p.stderr, p.stdout + p.stderr


def test_the_readme_id_examples_are_true():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"`(https://[^`]+)` -> `([^`]+)`", text)
    assert len(examples) >= 2
    for url, rid in examples:
        assert review_id_for_url(url) == rid, url
