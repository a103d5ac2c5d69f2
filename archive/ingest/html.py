"""A saved news page: metadata from its markup, the article from its main text.

Metadata follow the order publishers fill them in: Open Graph and article
meta tags, JSON-LD (schema.org NewsArticle), then the visible page (h1,
<time>, bylines). The main text is found by trafilatura (a maintained
boilerplate remover that beats hand-written heuristics on real pages), then
cleaned by the same line rules as pasted text. Only text leaves this
module: scripts, styles and event handlers never reach the archive.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from archive.ingest.dates import parse_date_text, parse_iso_datetime
from archive.ingest.extracted import Extracted
from archive.ingest.text import article_lines, normalize_lines
from archive.textnorm import title_from_body

_TITLE_SEPARATORS = re.compile(r"\s+[|–—:-]\s+|\s+::\s+|\s+«\s+")
_ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "BlogPosting",
    "AnalysisNewsArticle",
}
_NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "form",
    "nav",
    "header",
    "footer",
    "aside",
)


def _attribute(tag: object, name: str) -> str:
    """An attribute of a tag as one string (bs4 gives multi-valued ones such as
    class as lists); "" when the tag or the attribute is missing."""
    if not isinstance(tag, Tag):
        return ""
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def _meta(soup: BeautifulSoup, *keys: str) -> str:
    for key in keys:
        tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
        if tag is None:
            tag = soup.find("meta", attrs={"itemprop": key})
        content = " ".join(_attribute(tag, "content").split())
        if content:
            return content
    return ""


def _json_ld(soup: BeautifulSoup) -> Iterator[dict]:
    """schema.org article objects from the page's JSON-LD blocks (bad JSON skipped)."""
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            kinds = item.get("@type", [])
            kinds = {kinds} if isinstance(kinds, str) else set(kinds)
            if kinds & _ARTICLE_TYPES:
                yield item


def _names(value) -> list[str]:
    """Author or publisher names from a JSON-LD value (string, object or list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [value["name"]] if isinstance(value.get("name"), str) else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _text(tag) -> str:
    return " ".join(tag.get_text(" ").split()) if tag is not None else ""


def _strip_site_suffix(title: str, site: str) -> str:
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    folded_site = site.casefold()
    kept = [p for p in parts if p.strip() and p.strip().casefold() not in (folded_site, "")]
    if len(kept) < len(parts):  # a part is the site name
        return " – ".join(kept) if kept else title
    # Otherwise a short last part is most often the site ("… - Le Monde").
    return " – ".join(parts[:-1]) if len(parts[-1]) <= 30 < len(" ".join(parts[:-1])) else title


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def _published(soup: BeautifulSoup, articles: list[dict]) -> datetime.date | None:
    for value in (
        _meta(soup, "article:published_time", "og:article:published_time", "datePublished"),
        *(a.get("datePublished", "") for a in articles if isinstance(a.get("datePublished"), str)),
        *(_attribute(t, "datetime") for t in soup.find_all("time", attrs={"datetime": True})[:3]),
        _meta(
            soup,
            "date",
            "pubdate",
            "publishdate",
            "DC.date.issued",
            "dcterms.created",
            "parsely-pub-date",
        ),
    ):
        found = parse_iso_datetime(value)
        if found:
            return found
    # Dates written on the page near the article: <time>, or an element whose
    # class names it a date ("date", "published", "post-meta"…).
    for tag in soup.find_all(["time", "span", "div", "p", "li"], limit=4000):
        classes = _attribute(tag, "class").lower()
        if tag.name == "time" or re.search(r"date|time|publi|meta|posted", classes):
            text = _text(tag)
            if len(text) <= 120:
                found = parse_date_text(text)
                if found:
                    return found
    return None


def _author(soup: BeautifulSoup, articles: list[dict]) -> str:
    author = _meta(soup, "author", "article:author", "dc.creator", "parsely-author")
    if author and not author.startswith("http"):
        return author
    for article in articles:
        names = _names(article.get("author"))
        if names:
            return ", ".join(dict.fromkeys(n.strip() for n in names if n.strip()))
    for tag in soup.select('[rel~="author"], [itemprop="author"], .author, .byline, .signature'):
        text = _text(tag)
        if 2 <= len(text) <= 80:
            return re.sub(r"^(par|by|بقلم)\s*:?\s*", "", text, flags=re.I)
    return ""


def _main_text(html: str, soup: BeautifulSoup) -> str:
    import trafilatura

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True, deduplicate=True
    )
    if text and len(text) >= 200:
        return text
    # Fallback: the paragraphs of the page without its furniture.
    for tag in soup.find_all(_NOISE_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    paragraphs = [_text(p) for p in root.find_all(["p", "h2", "h3", "blockquote", "li"])]
    return "\n".join(p for p in paragraphs if p) or (text or "")


def extract_html(html: str, *, known_sources: Iterable[str] = ()) -> Extracted:
    """Title, body, source, author, date and canonical URL of a saved page."""
    soup = BeautifulSoup(html, "lxml")
    articles = list(_json_ld(soup))
    found = Extracted()
    found.url = next(
        (
            u
            for u in (
                _attribute(soup.find("link", rel="canonical"), "href"),
                _meta(soup, "og:url"),
                *(a.get("url", "") for a in articles if isinstance(a.get("url"), str)),
            )
            if u.startswith(("http://", "https://"))
        ),
        "",
    )
    publisher = next((n for a in articles for n in _names(a.get("publisher"))), "")
    found.source = (
        _meta(soup, "og:site_name", "application-name") or publisher or _domain(found.url)
    )
    page_title = _text(soup.title)
    found.title = (
        _meta(soup, "og:title", "twitter:title")
        or next((a["headline"] for a in articles if isinstance(a.get("headline"), str)), "")
        or _text(soup.find("h1"))
        or page_title
    )
    found.title = _strip_site_suffix(" ".join(found.title.split()), found.source)
    found.published_at = _published(soup, articles)
    found.author = _author(soup, articles)
    lang = _attribute(soup.html, "lang").split("-")[0].lower()
    found.language = lang if lang in ("ar", "fr", "en") else ""

    lines = normalize_lines(_main_text(html, soup))
    while lines and lines[0] in (found.title, page_title):
        lines.pop(0)
    body_meta = Extracted()
    lines = article_lines(lines, body_meta, known_sources)
    found.body = "\n\n".join(lines)
    found.author = found.author or body_meta.author
    found.published_at = found.published_at or body_meta.published_at
    if not found.title:
        found.title = title_from_body(found.body)
    return found
