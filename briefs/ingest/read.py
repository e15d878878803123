"""Read documents people hand in (.txt, .md, .html) into clean text plus what we can tell about them.

Everything here is offline and refuses bad files with a clear ``BadInput`` before anything is
stored: binary data, empty files, files over the size limit, HTML with nothing readable left.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

from charset_normalizer import from_bytes

from ..errors import BadInput, DealbriefError
from .dates import dateline_date

MAX_BYTES = 5 * 1024 * 1024  # far above any article; keeps a stray dump from filling the store

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_MULTIBYTE = ("utf", "gb", "big5", "shift_jis", "euc", "cp932", "cp949", "cp950", "iso2022")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_PUBLISHED_LINE = re.compile(
    r"^(?P<lead>.*?)\s*\b(?:Published|Updated|Posted|Date)\s*:\s*(?P<date>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_FIELD_LINE = re.compile(r"^(?P<name>Source|Outlet|By|Author|URL)\s*:\s*(?P<value>.+)$", re.I)
# A line that is only a clock reading or a duration ("01:51", "1:02:33", "(3:05)"): pages copied
# from a video site often start with the clip's length, which is no title.
_TIME_ONLY = re.compile(r"^\(?\d{1,2}(?::\d{2}){1,2}\)?$")
MIN_TITLE_LETTERS = 3  # fewer letters than this ("—", "12", "AB") is page furniture, not a title
TITLE_SEARCH_LINES = 15  # the title is among the first lines or the file name stands in for it
_DATELINE_OUTLET = re.compile(
    r"^[A-Z][A-Z .'-]{2,30},[^()\n]{0,30}\((?P<outlet>[A-Z][\w .]{1,30})\)"
)


@dataclass(frozen=True)
class Document:
    """A readable document: its text and whatever metadata it states about itself."""

    title: str
    text: str
    content_hash: str
    outlet: str | None = None
    published: str | None = None  # ISO date, or the period text the document gives
    url: str | None = None
    author: str | None = None
    path: str | None = None

    @property
    def published_date(self) -> date | None:
        """The publication day when it is a full ISO date (relative dates are read against it)."""
        match = _ISO_DATE.fullmatch(self.published or "")
        if not match:
            return None
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            return None


def check_file(filename: str, size: int) -> None:
    """Refuse a file by its name and size, so callers can refuse before reading a byte."""
    if Path(filename).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise BadInput(
            f"{filename}: only .txt, .md and .html files can be read",
            code="unsupported_type",
            file=filename,
        )
    if size > MAX_BYTES:
        raise BadInput(
            f"{filename} is {size // 1024} KB; the limit is {MAX_BYTES // 1024} KB",
            code="too_large",
            file=filename,
            size=size,
            limit=MAX_BYTES,
        )


def read_document(path: str | Path) -> Document:
    """Read a file from disk; refuse unsupported types and oversized files before reading them."""
    file = Path(path)
    check_file(file.name, file.stat().st_size)
    with open(file, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    return read_bytes(data, file.name, path=str(file))


def read_bytes(data: bytes, filename: str, *, path: str | None = None) -> Document:
    """Turn raw bytes named ``filename`` into a Document, or raise BadInput with a clear code."""
    check_file(filename, len(data))
    suffix = Path(filename).suffix.lower()
    if not data.strip():
        raise BadInput(f"{filename} is empty", code="empty_document", file=filename)
    raw = decode(data, filename)
    if suffix in HTML_SUFFIXES:
        return _from_html(raw, filename, path)
    return _from_plain(raw, filename, path)


def decode(data: bytes, filename: str = "document") -> str:
    """Decode bytes as text: BOM, then UTF-8, then a detected encoding; refuse binary data.

    When detection offers only single-byte code pages, Windows-1252 is preferred if it reads the
    bytes cleanly: English articles saved outside UTF-8 almost always use it, and detectors often
    mistake its curly quotes for a Baltic or Central European page.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), filename)
            except UnicodeDecodeError as exc:
                raise _not_text(filename) from exc
    if b"\x00" in data:
        raise _not_text(filename)
    try:
        return _checked(data.decode("utf-8"), filename)
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None and best.encoding.lower().startswith(_MULTIBYTE):
        return _checked(str(best), filename)
    try:
        return _checked(data.decode("cp1252"), filename)
    except UnicodeDecodeError:
        if best is None:
            raise _not_text(filename) from None
        return _checked(str(best), filename)


def content_hash(text: str) -> str:
    """sha256 of the text with whitespace folded, so line endings and wrapping do not matter."""
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def normalise_text(text: str) -> str:
    """NFC, Unix line ends, single spaces, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "").replace("\x0c", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _checked(text: str, filename: str) -> str:
    """Refuse text that is mostly control characters: binary data that happened to decode."""
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise _not_text(filename)
    return _CONTROL.sub(" ", text)


def _html_reader() -> ModuleType:
    """trafilatura, imported on first use (it is slow to import and only HTML needs it).

    A virtualenv can lack one of its parts: an older pip does not match justext's
    ``lxml[html_clean]`` to lxml's ``html-clean`` extra, so lxml_html_clean is never installed.
    Then the reader is refused in one line naming the package to install, not a traceback.
    """
    try:
        import trafilatura
    except ImportError as exc:
        raise DealbriefError(
            f"reading HTML needs the package {_missing_part(exc)}",
            code="reader_missing",
            kind="HTML",
            package=_missing_part(exc),
        ) from exc
    return trafilatura


def _missing_part(exc: ImportError) -> str:
    """The package to install: lxml's cleaner (whose own error names no module) or the one named."""
    try:
        import lxml_html_clean  # noqa: F401
    except ImportError:
        return "lxml_html_clean"
    return (exc.name or "trafilatura").split(".")[0]


def _from_html(raw: str, filename: str, path: str | None) -> Document:
    trafilatura = _html_reader()
    try:
        extracted = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    except Exception as exc:  # the parser raises assorted lxml errors on mangled markup
        raise _bad_html(filename) from exc
    body = normalise_text(extracted.text or "") if extracted is not None else ""
    if not body:
        raise _bad_html(filename)
    title = _meta(extracted, "title") or _first_line(body) or Path(filename).stem
    return Document(
        title=title[:300],
        text=_with_standfirst(
            _with_headline(_rows_as_lines(body, raw), _meta(extracted, "title")), raw
        ),
        content_hash=content_hash(body),  # of the page's text alone, as pages read before were
        outlet=_html_outlet(raw, _meta(extracted, "sitename"), _meta(extracted, "author"), title),
        published=_meta(extracted, "date"),
        url=_meta(extracted, "url"),
        author=_meta(extracted, "author"),
        path=path,
    )


# A table of two columns as the reader gives it: "| Upfront payment | $20 million |", its header
# row above a rule ("|---|---|").
_TWO_CELLS = re.compile(r"\|\s*([^|\n]+?)\s*\|\s*([^|\n]+?)\s*\|")
_RULE_ROW = re.compile(r"\|(?:\s*:?-{2,}:?\s*\|)+")
# A definition list ("<dt>Upfront payment</dt><dd>$20 million</dd>"), which the reader gives as
# two items of a list, the label's and the value's.
_TERM_AND_DETAIL = re.compile(
    r"<dt\b[^>]*>\s*([^<]{1,80}?)\s*</dt>\s*<dd\b[^>]*>\s*([^<]{1,300}?)\s*</dd>", re.I
)


def _rows_as_lines(body: str, raw: str) -> str:
    """The body with each row of a table of terms and each term of a definition list told as a
    line of text, label then value ("- Upfront payment: $20 million."), as a plain-text article
    lists its terms: the rules then read the value by its label, as in running text."""
    if "|" in body:
        body = _table_rows_as_lines(body, _header_rows(raw))
    if "<dt" in raw or "<DT" in raw:
        for term, detail in _TERM_AND_DETAIL.findall(raw):
            term, detail = (" ".join(html.unescape(part).split()) for part in (term, detail))
            body = body.replace(f"- {term}\n- {detail}", _as_line(term, detail), 1)
    return body


# A row of headings only ("<tr><th>Term</th><th>Detail</th></tr>"): a table's header, which the
# reader sets above its rule; a row that only begins with a heading cell is a row of terms.
_HEADER_ROW = re.compile(r"<tr\b[^>]*>\s*((?:<th\b[^>]*>[^<]*</th>\s*)+)</tr>", re.I)
_HEADING_CELL = re.compile(r"<th\b[^>]*>([^<]*)</th>", re.I)


def _header_rows(raw: str) -> set[tuple[str, ...]]:
    """The cells of each row of the page's tables that holds headings alone."""
    if "<th" not in raw and "<TH" not in raw:
        return set()
    return {
        tuple(" ".join(html.unescape(cell).split()) for cell in _HEADING_CELL.findall(row[1]))
        for row in _HEADER_ROW.finditer(raw)
    }


def _table_rows_as_lines(body: str, headers: set[tuple[str, ...]]) -> str:
    lines = body.split("\n")
    kept: list[str] = []
    for at, line in enumerate(lines):
        if _RULE_ROW.fullmatch(line):
            continue
        row = _TWO_CELLS.fullmatch(line)
        ruled = at + 1 < len(lines) and _RULE_ROW.fullmatch(lines[at + 1])
        if row and ruled and (row[1], row[2]) in headers:
            continue  # the header row above the rule: "| Term | Detail |"
        kept.append(_as_line(row[1], row[2]) if row else line)
    return "\n".join(kept)


def _as_line(label: str, value: str) -> str:
    """ "- Label: value." as an item of a list, closed by a stop like a sentence."""
    return f"- {label}: {value}" + ("" if value.endswith((".", "!", "?")) else ".")


def _with_headline(body: str, headline: str | None) -> str:
    """The page's text beginning with its headline, as a plain-text article does: the reader
    often leaves the <h1> out, and a headline may be the only place a deal's value or parties
    are given in full."""
    if not headline:
        return body
    head = " ".join(headline.split())
    opening = " ".join(body[: len(head) + 400].split())
    if head in opening:
        return body
    return f"{head}\n\n{body}"


# The summary line under a page's headline ("standfirst", "dek"), which the reader leaves out.
_STANDFIRST = re.compile(
    r"<(?P<tag>p|h2|div)\b[^>]*class=[\"'][^\"']*\b(?:standfirst|dek|deck|subtitle|subhead|"
    r"summary|strap)\b[^\"']*[\"'][^>]*>(?P<text>[^<]{10,400})</(?P=tag)>",
    re.I,
)


def _with_standfirst(body: str, raw: str) -> str:
    """The body with the page's standfirst before it, as a plain-text article gives it under
    the headline: it often names the parties or the price in other words than the body."""
    found = _STANDFIRST.search(raw) if "class=" in raw else None
    if found is None:
        return body
    standfirst = " ".join(html.unescape(found["text"]).split())
    if standfirst in " ".join(body[: len(standfirst) + 400].split()):
        return body
    headline, _, rest = body.partition("\n\n")  # the headline stays first
    if rest and "\n" not in headline:
        return f"{headline}\n\n{standfirst}\n{rest}"
    return f"{standfirst}\n{body}"


_SITE_NAME = re.compile(
    r"<meta\s+[^>]*(?:property|name)=[\"'](?:og:site_name|application-name)[\"'][^>]*"
    r"content=[\"'](?P<name>[^\"'<>]{2,80})[\"']",
    re.I,
)
_TITLE = re.compile(r"<title[^>]*>(?P<title>[^<]{3,300})</title>", re.I)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")
_BRAND = re.compile(
    r"class=[\"'][^\"']*\b(?:brand|logo|site-name|sitename|masthead)\b[^\"']*[\"'][^>]*>"
    r"(?:\s*<a\b[^>]*>)?\s*(?P<name>[^<]{2,80}?)\s*<",
    re.I,
)


def _html_outlet(raw: str, sitename: str | None, author: str | None, title: str) -> str | None:
    """The publication: the page's site name, else the end of its <title> ("... | AgriGene
    Today"), else its brand or logo text; never the byline and never the headline."""
    found = _SITE_NAME.search(raw)
    if found:
        return html.unescape(found["name"]).strip()
    page_title = _TITLE.search(raw)
    if page_title:
        parts = _TITLE_SEPARATOR.split(html.unescape(page_title["title"]).strip())
        if len(parts) > 1 and len(parts[-1]) <= 60:
            return parts[-1]
    brand = _BRAND.search(raw)
    if brand:
        return html.unescape(brand["name"]).strip()
    if sitename and sitename not in (author, title) and not title.startswith(sitename):
        return sitename
    return None


def _from_plain(raw: str, filename: str, path: str | None) -> Document:
    body = normalise_text(raw)
    if not body:
        raise BadInput(f"{filename} is empty", code="empty_document", file=filename)
    lines = [line for line in body.split("\n")[:TITLE_SEARCH_LINES] if line]
    at = _title_index(lines)
    title = lines[at].lstrip("#").strip() if at is not None else Path(filename).stem
    outlet, author, published, url = None, None, None, None
    for line in (line for i, line in enumerate(lines) if i != at):
        published_match = _PUBLISHED_LINE.match(line)
        if published_match and published is None:
            published = published_match["date"]
            outlet, author = _split_byline(published_match["lead"])
            continue
        field = _FIELD_LINE.match(line)
        if field:
            name, value = field["name"].lower(), field["value"].strip()
            if name in ("source", "outlet"):
                outlet = outlet or value
            elif name in ("by", "author"):
                author = author or value
            elif name == "url":
                url = url or value
            continue
        dateline = _DATELINE_OUTLET.match(line)
        if dateline and outlet is None:
            outlet = dateline["outlet"].strip()
    if published is None:
        day = dateline_date(body)
        published = day.isoformat() if day else None
    return Document(
        title=title[:300],
        text=body,
        content_hash=content_hash(body),
        outlet=outlet,
        published=published,
        url=url,
        author=author,
        path=path,
    )


def _split_byline(lead: str) -> tuple[str | None, str | None]:
    """'Zou Yue CGTN' -> outlet CGTN, author Zou Yue: an all-capitals last word is the outlet."""
    words = lead.split()
    if not words:
        return None, None
    if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 10:
        return words[-1], " ".join(words[:-1])
    return None, " ".join(words)


def _first_line(text: str) -> str:
    """The first line that can be a title (see :func:`_could_be_title`), or ""."""
    lines = [line.strip() for line in text.split("\n")[:TITLE_SEARCH_LINES]]
    at = _title_index(lines)
    return lines[at] if at is not None else ""


def _title_index(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if _could_be_title(line)), None)


def _could_be_title(line: str) -> bool:
    """Not a bare time or duration, and enough letters to name something."""
    text = line.lstrip("#").strip()
    if not text or _TIME_ONLY.match(text):
        return False
    return sum(char.isalpha() for char in text) >= MIN_TITLE_LETTERS


def _meta(extracted: object, name: str) -> str | None:
    value = getattr(extracted, name, None)
    return str(value).strip() or None if value else None


def _not_text(filename: str) -> BadInput:
    return BadInput(
        f"{filename} is not a text document (binary data or an unreadable encoding)",
        code="not_text",
        file=filename,
    )


def _bad_html(filename: str) -> BadInput:
    return BadInput(
        f"{filename}: no readable article text in this HTML", code="bad_html", file=filename
    )
