"""Reading documents: formats, encodings, and clear refusals that store nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.changes import Actor
from briefs.errors import BadInput
from briefs.ingest.extract import extract
from briefs.ingest.read import MAX_BYTES, content_hash, read_bytes, read_document
from briefs.ingest.review import ingest_document

ARTICLE = (
    "Kestrel licenses coating process\n"
    "Zhao Min BNW Published: 2024-03-05 10:00:00\n\n"
    "Kestrel Semiconductor licensed a coating process from Brava Materials AG on Tuesday.\n"
)
ACCENTED = (
    "Société Générale de Biotechnologie signe un accord\n\n"
    "La société Novexa Thérapeutiques a signé un accord de licence à Genève, "
    "prévoyant un paiement initial de 20 millions d'euros, « exclusif » et confirmé."
)


def test_plain_text_title_byline_and_date() -> None:
    doc = read_bytes(ARTICLE.encode(), "a.txt")
    assert doc.title == "Kestrel licenses coating process"
    assert (doc.outlet, doc.author, doc.published) == ("BNW", "Zhao Min", "2024-03-05")
    assert doc.published_date.isoformat() == "2024-03-05"
    assert "Brava Materials AG" in doc.text


def test_markdown_title_loses_its_hashes() -> None:
    doc = read_bytes(b"# Helio deal\n\nHelio Biotech licensed HX-2 to Novexa.", "a.md")
    assert doc.title == "Helio deal"


@pytest.mark.parametrize("lead", ["01:51", "1:02:33", "(3:05)", "—", "12", "##"])
def test_a_bare_time_or_scrap_before_the_title_is_skipped(lead: str) -> None:
    text = f"{lead}\n\nHelio licenses HX-2 to Novexa\nBy: Zhao Min\n\nHelio Biotech licensed HX-2."
    doc = read_bytes(text.encode(), "clip.txt")
    assert doc.title == "Helio licenses HX-2 to Novexa"
    assert doc.author == "Zhao Min"
    assert doc.text.startswith(lead)  # skipped for the title, kept in the text


def test_a_document_of_times_alone_is_titled_by_its_file_name() -> None:
    assert read_bytes(b"01:51\n\n02:10", "clip-0412.txt").title == "clip-0412"


def test_dateline_gives_the_date_and_outlet() -> None:
    text = "Deal news\n\nSHANGHAI, March 4, 2024 (Pharma Wire) -- Helio Biotech said..."
    doc = read_bytes(text.encode(), "a.txt")
    assert doc.published == "2024-03-04"
    assert doc.outlet == "Pharma Wire"


def test_html_article_and_metadata() -> None:
    html = (
        "<html><head><title>Helio licenses HX-2</title>"
        '<meta property="og:site_name" content="Pharma Wire">'
        '<meta name="date" content="2024-03-05">'
        '<link rel="canonical" href="https://example.com/helio"></head>'
        "<body><nav>Home | About</nav><article><h1>Helio licenses HX-2</h1>"
        "<p>Novexa Therapeutics licensed the antibody HX-2 from Helio Biotech.</p>"
        "<p>Terms were not disclosed.</p></article></body></html>"
    )
    doc = read_bytes(html.encode(), "a.html")
    assert doc.title == "Helio licenses HX-2"
    assert doc.outlet == "Pharma Wire"
    assert doc.published == "2024-03-05"
    assert doc.url == "https://example.com/helio"
    assert "licensed the antibody HX-2" in doc.text
    assert "<p>" not in doc.text


def test_an_html_page_keeps_its_standfirst_under_the_headline() -> None:
    html = (
        "<html><head><title>Quarry Optics licenses its lens coating</title></head><body>"
        "<main><h1>Quarry Optics licenses its lens coating</h1>"
        '<p class="standfirst">The Welsh coater pays Quarry &amp; Sons a flat fee for the rights.</p>'
        '<div class="byline">By Ann Reed</div><article>'
        "<p>Tarnwell Coatings Ltd has licensed an anti-glare coating from Quarry Optics for use "
        "in camera lenses sold across Europe, the two companies said on Tuesday morning.</p>"
        "<p>Tarnwell will make the coating at its plant and pay a royalty on each lens sold, "
        "and the first lenses are due to ship next spring to camera makers.</p>"
        "</article></main></body></html>"
    )
    text = read_bytes(html.encode(), "a.html").text
    assert text.startswith("Quarry Optics licenses its lens coating\n\n")
    standfirst = "The Welsh coater pays Quarry & Sons a flat fee for the rights."
    assert text.index(standfirst) < text.index("Tarnwell Coatings Ltd has licensed")


_TERMS_PAGE = (
    "<html><head><title>Arden licenses its gas sensor to Boreal</title></head><body><article>"
    "<h1>Arden licenses its gas sensor to Boreal</h1>"
    "<p>Arden Instruments has licensed its gas sensor design to Boreal Controls for Europe and "
    "North America, the two companies said on Monday in a joint statement to reporters.</p>"
    "<p>The main terms of the agreement, as the companies gave them, are set out below.</p>"
    "{terms}"
    "<p>Boreal expects to ship the first instruments built on the design next year, its chief "
    "executive said in an interview at the company's plant near Lyon.</p>"
    "</article></body></html>"
)


def test_a_table_of_terms_reads_as_lines_of_label_and_value() -> None:
    table = (
        "<table><tr><th>Item</th><th>Value</th></tr>"
        "<tr><td>Signing fee</td><td>$2 million</td></tr>"
        "<tr><td>Deal value</td><td>Up to $44 million</td></tr></table>"
    )
    text = read_bytes(_TERMS_PAGE.format(terms=table).encode(), "a.html").text
    assert "- Signing fee: $2 million.\n- Deal value: Up to $44 million.\n" in text
    assert "Item" not in text


def test_a_definition_list_of_terms_reads_as_lines_of_label_and_value() -> None:
    terms = (
        "<dl><dt>Upfront payment</dt><dd>$12 million</dd>"
        "<dt>Milestones</dt><dd>Up to $30 million on sales targets</dd></dl>"
    )
    text = read_bytes(_TERMS_PAGE.format(terms=terms).encode(), "a.html").text
    assert "- Upfront payment: $12 million.\n- Milestones: Up to $30 million on sales targets." in (
        text
    )


def test_the_terms_of_a_table_go_to_the_deal_the_page_tells() -> None:
    table = (
        "<table><thead><tr><th>Term</th><th>Detail</th></tr></thead><tbody>"
        "<tr><td>Assets</td><td>GasLine and VentroSuite product lines</td></tr>"
        "<tr><td>Cash consideration at completion</td><td>€9 million</td></tr>"
        "<tr><td>Contingent consideration</td><td>Up to €4 million, payable on milestones</td></tr>"
        "<tr><td>Total consideration</td><td>Up to €13 million</td></tr></tbody></table>"
    )
    doc = read_bytes(_TERMS_PAGE.format(terms=table).encode(), "a.html")
    (deal,) = [p for p in extract(doc.text) if p.licensee is not None]
    assert {f.role: f.value for f in deal.figures} == {
        "upfront": 9_000_000,
        "milestones": 4_000_000,
        "total": 13_000_000,
    }


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-8-sig"])
def test_western_encodings(encoding: str) -> None:
    doc = read_bytes(ACCENTED.encode(encoding), "a.txt")
    assert "Thérapeutiques" in doc.text
    assert "Genève" in doc.text


def test_cp1252_curly_quotes() -> None:
    text = "Helio’s “exclusive” licence — worth €20 million — was signed, Novexa’s chief said."
    doc = read_bytes(text.encode("cp1252"), "a.txt")
    assert doc.text == text


def test_gbk_chinese() -> None:
    text = (
        "恒瑞医药与海外公司签署了许可协议，首付款为五千万美元。该协议涵盖大中华区以外的全球权利。"
    )
    doc = read_bytes(text.encode("gbk"), "a.txt")
    assert doc.text == text


def test_same_text_same_hash_whatever_the_line_endings() -> None:
    a = read_bytes(b"Title\r\n\r\nSome  text here.\r\n", "a.txt")
    b = read_bytes(b"Title\n\nSome text here.\n", "b.txt")
    assert a.content_hash == b.content_hash == content_hash("Title Some text here.")


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "a.txt", "not_text"),
        (bytes(range(128, 256)) * 20, "a.txt", "not_text"),
        (b"", "a.txt", "empty_document"),
        (b"   \n\n\t ", "a.md", "empty_document"),
        (b"<html><body><script>var a = 1;</script></body></html>", "a.html", "bad_html"),
        (b"<<<<", "a.htm", "bad_html"),
        (b"hello", "a.pdf", "unsupported_type"),
        (b"x" * (MAX_BYTES + 1), "a.txt", "too_large"),
    ],
)
def test_bad_documents_are_refused_with_a_code(data: bytes, name: str, code: str) -> None:
    with pytest.raises(BadInput) as caught:
        read_bytes(data, name)
    assert caught.value.code == code


def test_a_20_mb_file_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(20 * 1024 * 1024)
    opened = []
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a) or None)
    with pytest.raises(BadInput) as caught:
        read_document(big)
    assert caught.value.code == "too_large"
    assert opened == []


def test_refused_files_store_nothing(db, tmp_path: Path) -> None:
    for name, data in [("bin.txt", b"\x00\x01\x02" * 100), ("empty.txt", b"")]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(BadInput):
            ingest_document(db, read_document(tmp_path / name), Actor("test"))
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM proposals").fetchone()[0] == 0


def test_an_html_page_reads_from_its_headline_as_plain_text_does() -> None:
    html = (
        "<html><head><title>Osterby takes HB-301 in $220 million pact - Pharma Wire</title>"
        '<meta name="date" content="2025-06-04"></head><body><nav>Home | News</nav>'
        "<header><h1>Osterby takes HB-301 in $220 million pact</h1></header>"
        "<article><p>Osterby Pharma has obtained rights in Europe to HB-301, a kinase inhibitor "
        "developed by Harwell Biologics, the companies said on Wednesday. Osterby will pay $20 "
        "million upfront.</p><p>Harwell keeps rights elsewhere and will supply the drug.</p>"
        "<p>The inhibitor is in a Phase 2 trial in lung cancer patients in Germany.</p>"
        "</article><footer>Related stories</footer></body></html>"
    )
    doc = read_bytes(html.encode(), "a.html")
    assert doc.text.split("\n")[0] == "Osterby takes HB-301 in $220 million pact"
    assert doc.text.count("Osterby takes HB-301") == 1
    # The page is known by its text alone, as it was before the headline was added, so a page
    # read again is still found to be the same document.
    assert doc.content_hash == content_hash(doc.text.split("\n", 2)[2])


def test_a_row_naming_the_licensor_gives_the_page_its_deal_direction() -> None:
    terms = (
        "<table><tr><th>Term</th><th>Detail</th></tr>"
        "<tr><td>Licensee</td><td>Boreal Controls Inc.</td></tr>"
        "<tr><td>Licensor</td><td>Arden Instruments Ltd.</td></tr></table>"
    )
    page = _TERMS_PAGE.format(terms=terms).replace(
        "Arden Instruments has licensed its gas sensor design to Boreal Controls",
        "Arden Instruments and Boreal Controls have signed a licence agreement for a gas sensor",
    )
    doc = read_bytes(page.encode(), "a.html")
    (deal,) = [p for p in extract(doc.text) if p.parties]
    assert (deal.licensor.name, deal.licensee.name) == ("Arden Instruments", "Boreal Controls Inc")


def test_a_table_whose_rows_begin_with_a_heading_cell_keeps_its_first_row() -> None:
    table = (
        "<table><tr><th>Upfront payment</th><td>$5 million</td></tr>"
        "<tr><th>Royalty</th><td>5%</td></tr></table>"
    )
    text = read_bytes(_TERMS_PAGE.format(terms=table).encode(), "a.html").text
    assert "- Upfront payment: $5 million.\n- Royalty: 5%.\n" in text
