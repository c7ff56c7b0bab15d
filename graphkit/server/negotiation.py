"""Content negotiation: which serialisation answers a query, from the Accept header and the query form.

>>> negotiate("application/sparql-results+json, */*;q=0.1", "SELECT")
'json'
>>> negotiate("text/csv;q=0.5, text/tab-separated-values", "SELECT")
'tsv'
>>> negotiate("*/*", "CONSTRUCT"), negotiate(None, "ASK"), negotiate("image/png", "SELECT")
('ttl', 'json', None)
"""

from __future__ import annotations

#: Media types the endpoint can produce, in order of preference, per kind of result.
RESULT_MEDIA: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
)
GRAPH_MEDIA: tuple[tuple[str, str], ...] = (
    ("text/turtle", "ttl"),
    ("application/x-turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/xml", "rdfxml"),
)

#: Result formats for SELECT/ASK: key → (pyoxigraph format name, media type sent).
RESULT_FORMATS: dict[str, tuple[str, str]] = {
    "json": ("JSON", "application/sparql-results+json"),
    "xml": ("XML", "application/sparql-results+xml"),
    "csv": ("CSV", "text/csv; charset=utf-8"),
    "tsv": ("TSV", "text/tab-separated-values; charset=utf-8"),
}
#: RDF formats for CONSTRUCT/DESCRIBE: key → (pyoxigraph format name, media type sent).
GRAPH_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("TURTLE", "text/turtle; charset=utf-8"),
    "nt": ("N_TRIPLES", "application/n-triples"),
    "jsonld": ("JSON_LD", "application/ld+json"),
    "rdfxml": ("RDF_XML", "application/rdf+xml"),
}


def offers(form: str) -> tuple[tuple[str, str], ...]:
    """The media types a query of ``form`` can be answered in."""
    return RESULT_MEDIA if form in ("SELECT", "ASK") else GRAPH_MEDIA


def not_acceptable(accept: str | None, form: str) -> str:
    """The 406 message: what was asked and what is available.

    >>> not_acceptable("image/png", "ASK")[:40]
    'cannot answer a ASK query as image/png; '
    """
    return f"cannot answer a {form} query as {accept}; available: " + ", ".join(m for m, _ in offers(form))


def negotiate(accept: str | None, form: str) -> str | None:
    """The result format key for an Accept header and a query form, or None when nothing fits (406)."""
    choices = offers(form)
    if not accept or not accept.strip():
        return choices[0][1]
    ranges: list[tuple[str, str, float]] = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        major, _, minor = media.partition("/")
        ranges.append((major, minor, q))
    best: tuple[float, int, str] | None = None
    for rank, (media, key) in enumerate(choices):
        major, _, minor = media.partition("/")
        q_here: float | None = None
        specificity = -1
        for rmajor, rminor, q in ranges:
            spec = 2 if (rmajor, rminor) == (major, minor) else 1 if (rmajor == major and rminor == "*") else 0
            if spec == 0 and not (rmajor == "*" and rminor == "*"):
                continue
            if spec > specificity:
                specificity, q_here = spec, q
        if q_here is None or q_here <= 0:
            continue
        candidate = (q_here, -rank, key)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else None
