"""Saved web pages -> the plain text layout ``valuechain.ingest.parse_review`` already understands.

A brunch article page (``h1.cover_title``, ``p.cover_sub_title``, ``span.text_author``,
``span.date``, ``div.wrap_body``) becomes the brunch copy-paste layout::

    brunch

    TITLE

    SUBTITLE

    by AUTHOR

    first paragraph

    second paragraph

Any other page becomes its ``<article>``, else ``<main>``, else ``<body>`` text, one block element
per paragraph. Scripts, styles, navigation, forms and embeds are dropped; nothing is fetched (the
parser is the standard library's ``html.parser`` through BeautifulSoup; links and images are never
followed). The returned text is the reference text for every character offset of the review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

# Elements whose content is never article text.
_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "audio",
    "video",
    "source",
    "track",
    "map",
    "form",
    "button",
    "input",
    "select",
    "option",
    "textarea",
    "label",
    "nav",
    "aside",
    "footer",
    "link",
    "meta",
    "head",
    "title",
    "dialog",
    "menu",
}
# Elements that start and end a paragraph.
_BLOCK = {
    "address",
    "article",
    "blockquote",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "caption",
    "body",
    "html",
}
_CELL = {"td", "th"}
# brunch body items that are embeds or link cards, not the author's text
_BRUNCH_DROP_CLASSES = {
    "item_type_opengraph",
    "item_type_video",
    "item_type_map",
    "item_type_link",
    "item_type_vote",
    "wrap_btn",
    "wrap_keyword",
    "wrap_body_keyword",
}
# HTML collapses ASCII whitespace; we also turn NBSP and friends into plain spaces and drop
# zero-width characters, as a copy-paste from the browser would.
_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZW = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BR = object()  # line break marker inside a paragraph


@dataclass
class ExtractedPage:
    text: str
    kind: str  # brunch | article | main | body
    title: str = ""
    subtitle: str = ""
    author: str = ""
    date: str = ""  # YYYY-MM-DD (or YYYY-MM / YYYY) when understood, else ""
    warnings: list[str] = field(default_factory=list)


def _is_text_node(node) -> bool:
    # Comment, CData, Doctype, Declaration, ProcessingInstruction subclass NavigableString
    return type(node) is NavigableString


def _hidden(tag: Tag) -> bool:
    if tag.name in _DROP:
        return True
    attrs = tag.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if str(attrs.get("role", "")).lower() in ("navigation", "banner", "contentinfo", "search", "menu"):
        return True
    style = str(attrs.get("style", "")).replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def clean_inline(s: str) -> str:
    """One line of HTML text: zero-width characters dropped, whitespace runs to one space."""
    return _WS.sub(" ", _ZW.sub("", s)).strip()


def paragraphs(root: Tag, drop_classes: set[str] | frozenset = frozenset(), drop_header: bool = False) -> list[str]:
    """Paragraph texts of an element: block elements split paragraphs, ``<br>`` splits lines.

    Iterative (no recursion), so deeply nested markup cannot overflow the stack.
    """
    out: list[str] = []
    cur: list = []

    def flush() -> None:
        if not cur:
            return
        lines, line = [], []
        for piece in cur + [_BR]:
            if piece is _BR:
                s = clean_inline("".join(line))
                if s:
                    lines.append(s)
                line = []
            else:
                line.append(piece)
        cur.clear()
        if lines:
            out.append("\n".join(lines))

    # stack items: a node to visit, or ("end", tag) to close a block
    stack: list = [root]
    pre_depth = 0
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            _, tag = node
            if tag.name == "pre":
                pre_depth -= 1
            if tag.name in _BLOCK:
                flush()
            elif tag.name in _CELL:
                cur.append(" ")
            continue
        if _is_text_node(node):
            s = str(node)
            if pre_depth:
                parts = s.split("\n")
                for i, p in enumerate(parts):
                    if i:
                        cur.append(_BR)
                    cur.append(p)
            else:
                cur.append(s)
            continue
        if not isinstance(node, Tag):
            continue  # comments, doctype, processing instructions
        if node is not root and _hidden(node):
            continue
        if drop_classes and drop_classes.intersection(node.get("class") or ()):
            continue
        if drop_header and node.name == "header" and node.find_parent("article") is None:
            continue
        if node.name == "br":
            cur.append(_BR)
            continue
        if node.name == "img":
            continue
        if node.name in _BLOCK:
            flush()
        if node.name == "pre":
            pre_depth += 1
        stack.append(("end", node))
        stack.extend(reversed(list(node.children)))
    flush()
    return out


_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_DATE_PATTERNS = [
    # brunch: "Mar 14. 2023", also "March 4, 2023"
    (re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})[.,]?\s+(\d{4})\b"), ("mon", "d", "y")),
    (re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{4})[-./]\s*(\d{1,2})[-./]\s*(\d{1,2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?:\d{4,6})?(?!\d)"), ("y", "m", "d")),
]


def parse_date(s: str) -> str:
    """``YYYY-MM-DD`` from the date formats seen on brunch and Korean pages, else ""."""
    s = clean_inline(s or "")
    for rx, order in _DATE_PATTERNS:
        m = rx.search(s)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        if "mon" in parts:
            mon = _MONTHS.get(parts["mon"][:3].lower())
            if mon is None:
                continue
            parts["m"] = str(mon)
        y, mo, d = int(parts["y"]), int(parts["m"]), int(parts["d"])
        if 1900 <= y <= 2200 and 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return ""


def _text_of(tag: Tag | None) -> str:
    if tag is None:
        return ""
    return clean_inline(" ".join(paragraphs(tag)).replace("\n", " "))


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for n in names:
        tag = soup.find("meta", attrs={"property": n}) or soup.find("meta", attrs={"name": n})
        if tag is not None and tag.get("content"):
            return clean_inline(str(tag["content"]))
    return ""


def _is_brunch(soup: BeautifulSoup) -> bool:
    if soup.select_one("h1.cover_title") is not None:
        return True
    if soup.select_one("div.wrap_body") is None:
        return False
    site = _meta(soup, "og:site_name", "og:url").lower()
    return "brunch" in site or "브런치" in site or soup.select_one(".wrap_body .wrap_item") is not None


def _brunch(soup: BeautifulSoup) -> ExtractedPage:
    warnings: list[str] = []
    title = _text_of(soup.select_one("h1.cover_title")) or _meta(soup, "og:title")
    subtitle = _text_of(soup.select_one("p.cover_sub_title"))
    author_tag = (
        soup.select_one(".cover_info span.text_author a")
        or soup.select_one("span.text_author a")
        or soup.select_one("a.link_author")
        or soup.select_one("span.text_author")
    )
    author = _text_of(author_tag) or _meta(soup, "author", "article:author", "by")
    if author.startswith(("http://", "https://")):
        author = ""
    author = re.sub(r"^by\s+", "", author)
    raw_date = _text_of(soup.select_one(".cover_info span.date") or soup.select_one("span.f_l.date")) or _meta(
        soup, "article:published_time", "og:regDate", "date"
    )
    date = parse_date(raw_date)
    if raw_date and not date:
        warnings.append(f"date {raw_date!r} not understood; left empty")
    body = soup.select_one("div.wrap_body")
    paras = paragraphs(body, _BRUNCH_DROP_CLASSES) if body is not None else []
    if body is None:
        warnings.append("brunch page without div.wrap_body; no body text")
    if not title:
        warnings.append("brunch page without a title (h1.cover_title)")
    if not author:
        warnings.append("brunch page without an author")
    head = ["brunch"] + [x for x in (title, subtitle) if x] + [f"by {author}" if author else "by"]
    text = "\n\n".join(head + paras) + "\n"
    return ExtractedPage(text, "brunch", title, subtitle, author, date, warnings)


def _generic(soup: BeautifulSoup) -> ExtractedPage:
    warnings: list[str] = []
    articles = soup.find_all("article")
    if len(articles) > 1:
        warnings.append(f"page has {len(articles)} <article> elements; used the first")
    root = (articles[0] if articles else None) or soup.find("main") or soup.find(attrs={"role": "main"})
    kind = root.name if root is not None and root.name in ("article", "main") else "main"
    if root is None:
        root, kind = soup.body or soup, "body"
        warnings.append("HTML page without <article> or <main>; used the whole <body> text")
    paras = paragraphs(root, drop_header=(kind == "body"))
    h1 = root.find("h1") if isinstance(root, Tag) else None
    title = _text_of(h1) or _meta(soup, "og:title") or _text_of(soup.find("title"))
    author = _meta(soup, "author", "article:author", "byl")
    if author.startswith(("http://", "https://")):
        author = ""
    t = soup.find("time")
    raw_date = _meta(soup, "article:published_time", "date", "dc.date") or (
        str(t.get("datetime") or _text_of(t)) if t is not None else ""
    )
    date = parse_date(raw_date)
    if raw_date and not date:
        warnings.append(f"date {raw_date!r} not understood; left empty")
    text = "\n\n".join(paras) + ("\n" if paras else "")
    return ExtractedPage(text, kind, title, "", author, date, warnings)


def extract_page(html: str) -> ExtractedPage:
    """Article text and header metadata of a decoded HTML page (no network, no recursion)."""
    soup = BeautifulSoup(html, "html.parser")
    return _brunch(soup) if _is_brunch(soup) else _generic(soup)


_HTML_START = re.compile(r"\A\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)


def looks_like_html(text: str) -> bool:
    """True when a text starts like an HTML document (doctype or <html>)."""
    return bool(_HTML_START.match(text[:4096]))


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first 4 KiB, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None
