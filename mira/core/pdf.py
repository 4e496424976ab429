"""PDF rendering shared by every app: a Django template turned into a PDF by WeasyPrint.

Templates extend "core/pdf_base.html" (A4, centre letterhead, page numbers). Fonts ship
with the project in mira/core/static/fonts (Noto Sans for Latin, Cyrillic and Greek; Noto
Naskh Arabic for Arabic and Persian; SIL Open Font License, see OFL.txt there). A PDF
never loads anything from the network: the URL fetcher below serves only data: URLs
(e.g. signature images) and files inside the project's static folders.
"""

import logging
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

STATIC_DIR = Path(__file__).resolve().parent / "static"
FONT_DIR = STATIC_DIR / "fonts"

# WeasyPrint reports every layout step at INFO level; the application log needs none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _static_roots() -> list[Path]:
    roots = [STATIC_DIR.resolve(), *(Path(folder).resolve() for folder in settings.STATICFILES_DIRS)]
    roots.extend(path.resolve() for path in (Path(settings.BASE_DIR) / "mira").glob("*/static"))
    return roots


def _local_url_fetcher():
    from weasyprint.urls import URLFetcher

    class LocalURLFetcher(URLFetcher):
        """Fetches data: URLs and files below the project's static folders, nothing else."""

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in _static_roots()):
                    raise ValueError(f"PDF resources must be static files of the project: {url}")
            return super().fetch(url, headers)

    return LocalURLFetcher(allowed_protocols=("file", "data"))


def render_pdf(*, template_name: str, context: dict, language: str) -> bytes:
    """Renders template_name with context in `language` (labels via gettext) and returns the PDF.

    Relative URLs in the template (fonts/NotoSans-Regular.ttf) resolve against
    mira/core/static/. WeasyPrint is imported here, not at module level: it is heavy
    and only the PDF views need it.
    """
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template_name, {"pdf_language": language, **context})
    document = HTML(string=html, base_url=f"{STATIC_DIR.as_uri()}/", url_fetcher=_local_url_fetcher())
    return document.write_pdf()
