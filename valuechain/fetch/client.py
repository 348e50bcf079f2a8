"""HTTP for ``valuechain add``: one polite requests session (retries, robots.txt, limits).

Every failure is a ``FetchError`` with a short reason code and a detail naming what happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib import robotparser
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.utils import requote_uri
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from .. import __version__
from .sniff import media_type, refuse_by_content, refuse_by_header

PRODUCT = "valuechain"  # the token robots.txt rules are matched against
USER_AGENT = f"{PRODUCT}/{__version__} (Korean book-review research corpus; fetches single pages added by hand)"
RETRY_STATUS = (500, 502, 503, 504)
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
MAX_CRAWL_DELAY = 60.0


class FetchError(Exception):
    """A page that could not be fetched: ``reason`` is a short code, ``detail`` says why."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Settings:
    timeout: float = 20.0  # seconds to connect, and between two reads of the response
    deadline: float = 120.0  # seconds for a whole download
    retries: int = 3  # on connection errors and HTTP 500/502/503/504, with exponential backoff
    backoff: float = 1.0  # seconds; retry n waits backoff * 2**(n-1) (the first is immediate)
    delay: float = 1.0  # seconds between two requests to the same host (raised by a robots.txt Crawl-delay)
    max_bytes: int = 5_000_000  # larger pages are refused (the download stops there)
    max_redirects: int = 10
    user_agent: str = USER_AGENT
    proxies: dict[str, str] | None = None
    trust_env: bool = True  # honour HTTP(S)_PROXY, NO_PROXY and .netrc as requests does


@dataclass
class Page:
    url: str  # as requested
    final_url: str  # after redirects
    content_type: str
    data: bytes
    redirects: list[str] = field(default_factory=list)


class _Retry(Retry):
    """urllib3's Retry, with a server's Retry-After capped at ``backoff_max``."""

    def get_retry_after(self, response):
        after = super().get_retry_after(response)
        return None if after is None else min(after, self.backoff_max)


def polite_wait(last: float | None, now: float, delay: float) -> float:
    """Seconds to wait before the next request to a host last asked at ``last`` (None: never)."""
    return 0.0 if last is None else max(0.0, last + delay - now)


def make_session(s: Settings) -> requests.Session:
    """A requests session with the project's User-Agent and retries on connection errors and 5xx."""
    session = requests.Session()
    session.headers["User-Agent"] = s.user_agent
    session.headers["Accept"] = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
    session.trust_env = s.trust_env
    if s.proxies:
        session.proxies.update(s.proxies)
    retry = _Retry(
        total=s.retries,
        connect=s.retries,
        read=False,  # a read timeout is final: a slow server is not asked again
        status=s.retries,
        other=0,
        redirect=False,
        status_forcelist=RETRY_STATUS,
        allowed_methods={"GET", "HEAD"},
        backoff_factor=s.backoff,
        backoff_max=30.0,
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    adapter = requests.adapters.HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def _http_error(resp: requests.Response) -> FetchError:
    history = getattr(getattr(resp.raw, "retries", None), "history", ()) or ()
    tries = f" (after {len(history)} retries)" if history else ""
    return FetchError("http_error", f"HTTP {resp.status_code} {resp.reason or ''}".rstrip() + tries)


def _transport_error(e: Exception, what: str) -> FetchError:
    """A requests/urllib3 exception as a FetchError (timeout or connection)."""
    inner = e.args[0] if e.args else None
    if isinstance(e, (requests.Timeout, ReadTimeoutError, TimeoutError)) or isinstance(inner, ReadTimeoutError):
        return FetchError("timeout", f"{what}: no answer within the timeout ({type(e).__name__})")
    if isinstance(e, requests.TooManyRedirects):
        return FetchError("too_many_redirects", f"{what}: {e}")
    return FetchError("connection", f"{what}: {type(e).__name__}: {e}")


class Fetcher:
    """Fetches pages one at a time: robots.txt first, a pause between requests to the same host."""

    def __init__(
        self,
        settings: Settings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.settings = settings or Settings()
        self.session = make_session(self.settings)
        self._sleep, self._clock = sleep, clock
        self._robots: dict[str, robotparser.RobotFileParser] = {}
        self._robots_failed: dict[str, FetchError] = {}
        self._last: dict[str, float] = {}

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ requests

    def _delay_for(self, origin: str) -> float:
        rp = self._robots.get(origin)
        crawl = rp.crawl_delay(PRODUCT) if rp is not None else None
        return max(self.settings.delay, min(float(crawl or 0), MAX_CRAWL_DELAY))

    def _get(self, url: str, allow_redirects: bool) -> requests.Response:
        origin = _origin(url)
        wait = polite_wait(self._last.get(origin), self._clock(), self._delay_for(origin))
        if wait:
            self._sleep(wait)
        try:
            t = self.settings.timeout
            return self.session.get(url, stream=True, timeout=(t, t), allow_redirects=allow_redirects)
        except requests.RequestException as e:
            raise _transport_error(e, url) from e
        finally:
            self._last[origin] = self._clock()

    def _body(self, resp: requests.Response, limit: int, what: str) -> bytes:
        """The body, streamed; FetchError past ``limit`` bytes or the download deadline."""
        declared = resp.headers.get("Content-Length", "").strip()
        stop = self._clock() + self.settings.deadline
        buf = bytearray()
        try:
            if declared.isdigit() and int(declared) > limit:
                raise FetchError("too_large", f"{what}: Content-Length {int(declared):,} bytes > limit {limit:,}")
            # read1: whatever has arrived (decompressed), so a trickling server meets the deadline too
            while chunk := resp.raw.read1(64 * 1024, decode_content=True):
                buf += chunk
                if len(buf) > limit:
                    raise FetchError("too_large", f"{what}: more than {limit:,} bytes; download stopped")
                if self._clock() > stop:
                    raise FetchError("timeout", f"{what}: download took longer than {self.settings.deadline:g} s")
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise _transport_error(e, what) from e
        finally:
            resp.close()
        return bytes(buf)

    # ------------------------------------------------------------------ robots.txt

    def robots(self, url: str) -> robotparser.RobotFileParser:
        """The parsed robots.txt of the URL's origin (fetched once per run).

        2xx: its rules; 401/403: everything disallowed (as urllib.robotparser does); other 4xx:
        everything allowed; 5xx or unreachable: FetchError, since RFC 9309 then asks a crawler to
        assume everything is disallowed.
        """
        origin = _origin(url)
        if origin in self._robots:
            return self._robots[origin]
        if origin in self._robots_failed:  # asked once per run, not once per URL of that site
            raise self._robots_failed[origin]
        try:
            rp = self._read_robots(origin + "/robots.txt")
        except FetchError as e:
            self._robots_failed[origin] = e
            raise
        self._robots[origin] = rp
        return rp

    def _read_robots(self, robots_url: str) -> robotparser.RobotFileParser:
        rp = robotparser.RobotFileParser(robots_url)
        resp = self._get(robots_url, allow_redirects=True)  # a timeout or connection error ends here
        code = resp.status_code
        if 200 <= code < 300:
            text = self._body(resp, ROBOTS_MAX_BYTES, robots_url).decode("utf-8", "replace")
            rp.parse(text.splitlines())
        else:
            resp.close()
            if code in (401, 403):
                rp.disallow_all = True
            elif 400 <= code < 500:
                rp.allow_all = True
            else:
                raise FetchError(
                    "robots_unavailable",
                    f"{robots_url} answered HTTP {code}: not fetched (RFC 9309: assume disallowed)",
                )
        rp.modified()  # can_fetch() answers False until a robots.txt counts as read
        return rp

    def check_robots(self, url: str) -> None:
        """FetchError ``robots`` when the origin's robots.txt disallows ``url`` for this client."""
        if not self.robots(url).can_fetch(PRODUCT, url):
            raise FetchError("robots", f"{_origin(url)}/robots.txt disallows {urlsplit(url).path or '/'}")

    # ------------------------------------------------------------------ pages

    def fetch(self, url: str) -> Page:
        """The HTML page at ``url``: redirects followed (each hop checked against robots.txt),
        non-HTML refused by Content-Type and by its first bytes, at most ``max_bytes``."""
        s = self.settings
        current, hops = url, []
        for _ in range(s.max_redirects + 1):
            self.check_robots(current)
            resp = self._get(current, allow_redirects=False)
            if not resp.is_redirect:
                return self._page(resp, url, current, hops)
            target = resp.headers.get("Location", "")
            resp.close()
            nxt = requote_uri(urljoin(current, target))
            if urlsplit(nxt).scheme not in ("http", "https"):
                raise FetchError("bad_redirect", f"{current} redirects to {nxt!r}, not an http(s) URL")
            hops.append(nxt)
            current = nxt
        raise FetchError("too_many_redirects", f"more than {s.max_redirects} redirects: {' -> '.join([url] + hops)}")

    def _page(self, resp: requests.Response, url: str, final: str, hops: list[str]) -> Page:
        ctype = resp.headers.get("Content-Type", "")
        if resp.status_code >= 400 or resp.status_code < 200:
            resp.close()
            raise _http_error(resp)
        refusal = refuse_by_header(ctype)
        if refusal:
            resp.close()
            raise FetchError("not_html", refusal)
        data = self._body(resp, self.settings.max_bytes, final)
        refusal = refuse_by_content(ctype, data[:4096])
        if refusal:
            raise FetchError("not_html", refusal)
        return Page(url, final, media_type(ctype), data, hops)
