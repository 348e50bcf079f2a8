"""Review ids from URLs and URL lists (pure functions)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import unquote, urlsplit, urlunsplit

# brunch.co.kr/@author/42 (also m.brunch.co.kr, www.brunch.co.kr); the internal @@id form too
_BRUNCH_HOSTS = {"brunch.co.kr", "www.brunch.co.kr", "m.brunch.co.kr"}
_BRUNCH_PATH = re.compile(r"^/@(@?)([A-Za-z0-9_][A-Za-z0-9_.-]*)/(\d+)/?$")
_SLUG_DROP = re.compile(r"[^a-z0-9가-힣]+")
MAX_SLUG = 60


class BadURL(ValueError):
    """A string that is not an absolute http(s) URL."""


def normalize_url(url: str) -> str:
    """The URL to fetch and record: stripped, scheme and host lower-cased, fragment dropped.

    Raises BadURL for anything but an absolute http(s) URL with a host.
    """
    s = url.strip()
    if not s or any(c.isspace() for c in s):
        raise BadURL(f"not a URL: {url!r}")
    parts = urlsplit(s)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadURL(f"only http(s) URLs can be added, not {url!r}")
    if not parts.hostname:
        raise BadURL(f"URL without a host: {url!r}")
    try:
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError as e:
        raise BadURL(f"bad port in {url!r}") from e
    netloc = parts.netloc.rsplit("@", 1)[-1]  # never keep credentials in the sheet
    host, sep, port = netloc.rpartition(":") if netloc.count(":") == 1 else (netloc, "", "")
    netloc = host.lower() + sep + port if sep else netloc.lower()
    default = {"http": "80", "https": "443"}[scheme]
    if netloc.endswith(":" + default):
        netloc = netloc[: -len(default) - 1]
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def brunch_post(url: str) -> tuple[str, str] | None:
    """(author, post number) of a brunch post URL, else None. ``@@id`` (internal ids) keeps one ``@``."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _BRUNCH_HOSTS:
        return None
    m = _BRUNCH_PATH.match(parts.path)
    if not m:
        return None
    internal, author, number = m.groups()
    return ("@" + author if internal else author), number


def review_id_for_url(url: str) -> str:
    """A safe, deterministic review id (file stem) for a URL.

    brunch posts: ``https://brunch.co.kr/@author/42`` -> ``brunch-author-42`` (``@@x/42`` ->
    ``brunch-@x-42``). Other pages: host and path as a lower-case slug plus 8 hex digits of the
    SHA-256 of the normalised URL, so two URLs never share an id:
    ``https://www.example.com/blog/Review-1?id=3`` -> ``example.com-blog-review-1-<hash>``.
    """
    url = normalize_url(url)
    post = brunch_post(url)
    if post:
        return f"brunch-{post[0]}-{post[1]}"
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    slug = _SLUG_DROP.sub("-", unquote(parts.path).lower()).strip("-")
    slug = slug[:MAX_SLUG].strip("-")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    return "-".join(x for x in (host, slug, digest) if x)


def canonical_url(url: str) -> str:
    """The URL recorded in the sheet: ``https://brunch.co.kr/@author/42`` for a brunch post (tracking
    parameters and the mobile host dropped), else the normalised URL as given."""
    url = normalize_url(url)
    post = brunch_post(url)
    if post:
        author = post[0]
        return f"{urlsplit(url).scheme}://brunch.co.kr/@{author}/{post[1]}"
    return url


def read_url_list(text: str) -> list[str]:
    """URLs of a list file: one per line; blank lines and lines starting with ``#`` are skipped.

    Every other line is returned as it is (stripped), valid or not: a bad line becomes a failure
    with its reason, never a silently dropped entry.
    """
    out = []
    for line in text.splitlines():
        s = line.strip().lstrip("\ufeff")
        if s and not s.startswith("#"):
            out.append(s)
    return out
