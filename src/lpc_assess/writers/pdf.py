"""PDF from the HTML reports, with WeasyPrint (the optional `pdf` extra).

The PDF is the HTML report laid out for A4 print: the same content, tagged for
accessibility (PDF/UA-1), its title and language taken from the HTML. Nothing
is fetched: the reports are self-contained, and the URL fetcher refuses every
address, network or file, except inline `data:` URLs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lpc_assess.writers.files import atomic_write

INSTALL_HINT = (
    "PDF needs the pdf extra: pip install 'lpc-assess[pdf]' (WeasyPrint, which needs Pango)"
)


class PdfUnavailable(Exception):
    """WeasyPrint (or a system library it needs) is not installed; str() says how to fix it."""


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango missing from the system
        raise PdfUnavailable(f"{INSTALL_HINT} ({error})") from None
    return weasyprint


def pdf_available() -> bool:
    """True when `--format pdf` can work here (checked before any output is written)."""
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def html_to_pdf(html: str) -> bytes:
    """The PDF of one self-contained HTML document."""
    weasyprint = _weasyprint()
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, timeout=1)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    data: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return data


def write_pdf(html: str, target: Path) -> None:
    """Writes the PDF of `html` to `target`, atomically and private (0600)."""
    atomic_write(target, html_to_pdf(html), private=True)
