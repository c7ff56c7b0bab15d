"""The dossier as one self-contained HTML page: no script, no request, every text escaped.

Rendered with an autoescaping Jinja template (``graphkit/viz/templates/dossier.html``, its CSS
inlined); the map is inline SVG. The Content-Security-Policy allows no script and no request at all
(only the inline style), so a hostile label can neither run nor load anything.

>>> from graphkit.dossier.model import Dossier, Identity
>>> page = dossier_html(Dossier(Identity("https://x.org/p", "<b>Łódź</b>", "municipality", "PL", "Poland")))
>>> "&lt;b&gt;Łódź&lt;/b&gt;" in page, "<b>Łódź" in page, "<script" in page, "script-src" in page
(True, False, False, False)
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from graphkit.dossier.model import Dossier

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from graphkit.viz.render import TEMPLATE_DIR

    return Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, undefined=StrictUndefined, trim_blocks=False
    )


@functools.lru_cache(maxsize=1)
def _css() -> str:
    from graphkit.viz.render import TEMPLATE_DIR

    return (TEMPLATE_DIR / "dossier.css").read_text(encoding="utf-8")


def dossier_html(d: Dossier, *, links: Mapping[str, str] | None = None, index_href: str = "") -> str:
    """The page (a string). ``links``: place IRI → relative address of that place's own dossier (a batch
    links partners that have one); ``index_href``: the address of the index page, when there is one."""
    from markupsafe import Markup

    template = _environment().get_template("dossier.html")
    return template.render(d=d, css=Markup(_css()), csp=CSP, links=dict(links or {}), index_href=index_href)
