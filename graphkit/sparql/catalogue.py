"""The analysts' query catalogue: ``queries/*.rq`` files with a comment header.

Each file starts with comment lines such as::

    # title: Who represented a municipality at events, in which office
    # description: Participations on behalf of a municipality, with person, event and post.
    # param: municipality iri = gkid:place/Q20103 -- the municipality (IRI or prefixed name)
    # example: graphkit query representatives --param municipality=gkid:place/Q20103
    # headline: yes

``headline: yes`` marks the queries whose results ``graphkit build`` writes to ``out/queries/``.
A parameter ``NAME`` binds the query variable ``?NAME`` to an RDF term of the declared type
(never by pasting text into the query). Types: ``iri``, ``string``, ``integer``, ``decimal``,
``year``, ``date``, ``country`` (ISO 3166-1 alpha-2), ``qid``, ``boolean``, ``lang`` (a language
tag, bound as a plain string).

>>> q = parse_query_text("x", "# title: T\\n# param: n integer = 3 -- how many\\nSELECT * {}")
>>> q.title, [(p.name, p.type, p.default) for p in q.params]
('T', [('n', 'integer', '3')])
>>> bind_parameters(q, {"n": "5"})["n"]
rdflib.term.Literal('5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graphkit.errors import InputError, ParameterError
from graphkit.paths import QUERIES_DIR
from graphkit.rdf.namespaces import PREFIXES, expand, is_qid, wikidata_iri
from graphkit.sparql.results import QueryResult
from graphkit.sparql.vocabulary import check_closed_value
from graphkit.store.embedded import Store

PARAM_TYPES: tuple[str, ...] = (
    "iri",
    "string",
    "integer",
    "decimal",
    "year",
    "date",
    "country",
    "qid",
    "boolean",
    "lang",
)
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>[a-z]+)(?:\s*=\s*(?P<default>.*?))?\s*(?:--\s*(?P<doc>.*))?$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Parameter:
    """A declared query parameter."""

    name: str
    type: str
    default: str | None
    description: str

    @property
    def required(self) -> bool:
        """True when the parameter has no default (an optional one is declared ``= ?``)."""
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """A query of the catalogue: its name (file stem), header fields and SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[Parameter, ...]
    examples: tuple[str, ...]
    text: str
    path: Path | None = None
    headline: bool = False

    def param(self, name: str) -> Parameter:
        """The declared parameter ``name``; ParameterError when there is none."""
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def parse_query_text(name: str, text: str, path: Path | None = None) -> NamedQuery:
    """Read the header of a query file's text."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = re.match(r"#\s*([a-z]+)\s*:\s*(.*)$", stripped)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
    params = []
    for spec in fields.get("param", []):
        m = _PARAM.match(spec)
        if not m or m.group("type") not in PARAM_TYPES:
            raise InputError(
                f"{path or name}: bad parameter declaration {spec!r} "
                f"(expected 'NAME TYPE [= DEFAULT] [-- description]', TYPE one of "
                f"{', '.join(PARAM_TYPES)})"
            )
        default = m.group("default")
        params.append(
            Parameter(
                m.group("name"), m.group("type"), None if default in (None, "") else default, m.group("doc") or ""
            )
        )
    if "title" not in fields:
        raise InputError(f"{path or name}: the query header has no '# title:' line")
    return NamedQuery(
        name=name,
        title=fields["title"][0],
        description=" ".join(fields.get("description", [])),
        params=tuple(params),
        examples=tuple(fields.get("example", [])),
        text=text,
        path=path,
        headline=fields.get("headline", ["no"])[0].lower() in ("yes", "true"),
    )


def list_queries(directory: str | Path = QUERIES_DIR) -> list[NamedQuery]:
    """Every query in ``directory``, sorted by name."""
    d = Path(directory)
    if not d.is_dir():
        raise InputError(f"{d}: no such query directory")
    return [load_query_file(p) for p in sorted(d.glob("*.rq"))]


def load_query_file(path: str | Path) -> NamedQuery:
    """Read one ``.rq`` file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{p}: cannot read query file ({e.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{p}: query file is not UTF-8 text") from None
    return parse_query_text(p.stem, text, p)


def get_query(name: str, directory: str | Path = QUERIES_DIR) -> NamedQuery:
    """The catalogue query called ``name`` (file ``queries/<name>.rq``)."""
    if not _NAME.match(name):
        raise InputError(f"not a query name: {name!r}")
    path = Path(directory) / f"{name}.rq"
    try:
        found = path.is_file()
    except OSError as e:  # a catalogue folder this user may not read
        raise InputError(f"{path}: cannot read the query catalogue ({e.strerror})") from None
    if not found:
        names = ", ".join(q.name for q in list_queries(directory))
        raise InputError(f"no query named {name!r}; known queries: {names}")
    return load_query_file(path)


def convert_parameter(param: Parameter, raw: str) -> Node:
    """The RDF term for a raw text value of a parameter, checked against its type."""
    value = raw.strip() if param.type != "string" else raw
    t = param.type
    try:
        if t == "iri":
            return iri_from_text(value)
        if t == "qid":
            if not is_qid(value):
                raise ValueError("expected a Wikidata QID such as Q20103")
            return wikidata_iri(value)
        if t == "country":
            if not re.fullmatch(r"[A-Za-z]{2}", value):
                raise ValueError("expected a two-letter ISO 3166-1 code such as IT or JP")
            return Literal(value.upper())
        if t == "integer":
            return Literal(str(int(value)), datatype=XSD.integer)
        if t == "decimal":
            float(value)
            if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value):
                raise ValueError("expected a decimal number such as 12.5")
            return Literal(value, datatype=XSD.decimal)
        if t == "year":
            if not re.fullmatch(r"-?\d{4}", value):
                raise ValueError("expected a four-digit year such as 2009")
            return Literal(value, datatype=XSD.gYear)
        if t == "date":
            import datetime

            datetime.date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
        if t == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError("expected true or false")
            return Literal(value.lower(), datatype=XSD.boolean)
        if t == "lang":
            if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", value):
                raise ValueError("expected a language tag such as en, it or ja")
            return Literal(value.lower())
        return Literal(value)
    except ValueError as e:
        raise ParameterError(f"parameter {param.name!r} ({t}): {raw!r} is not valid: {e}") from None


#: SPARQL's escapes in the local part of a prefixed name (PN_LOCAL_ESC): ``gkid:place\/Q20103``.
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")
_PREFIXED = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*)?:(?!//)(.*)$", re.DOTALL)
_BREAKS_IRI = re.compile(r'[<>"{}|^`\\\s]')


def iri_from_text(value: str) -> URIRef:
    """An IRI as a user writes it: ``<https://…>``, ``https://…``, or a prefixed name with a known prefix,
    with a slash as in the README (``gkid:place/Q20103``) or escaped as SPARQL requires (``gkid:place\\/Q20103``).

    In the text of a SPARQL query, ``gkid:place/Q20103`` is not a prefixed name (``/`` is a property path);
    write ``gkid:place\\/Q20103`` or the full IRI there. A parameter accepts every form.

    >>> forms = ["gkid:place/Q20103", "gkid:place\\\\/Q20103", "<https://w3id.org/graphkit/id/place/Q20103>"]
    >>> {str(iri_from_text(f)) for f in forms}
    {'https://w3id.org/graphkit/id/place/Q20103'}
    """
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    m = _PREFIXED.match(value)
    if m and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
        prefix = m.group(1) or ""
        if prefix not in PREFIXES:
            raise ValueError(f"unknown prefix {prefix + ':'!r}; known: {', '.join(p + ':' for p in PREFIXES)}")
        iri = expand(f"{prefix}:{_LOCAL_ESCAPE.sub(lambda e: e.group(1), m.group(2))}")
    elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", value):
        iri = URIRef(value)
    else:
        raise ValueError("expected an absolute IRI (https://...) or a prefixed name such as gkid:place/Q20103")
    if _BREAKS_IRI.search(str(iri)):
        raise ValueError('an IRI cannot contain spaces or any of <>"{}|^`\\')
    return iri


def bind_parameters(query: NamedQuery, raw: Mapping[str, str]) -> dict[str, Node]:
    """Convert raw text parameters to RDF terms; apply defaults; refuse unknown or missing ones."""
    for name in raw:
        query.param(name)
    bound: dict[str, Node] = {}
    for p in query.params:
        if p.name in raw:
            bound[p.name] = convert_parameter(p, raw[p.name])
            check_closed_value(p.name, bound[p.name], p.type)
        elif p.default is not None and p.default != "?":
            bound[p.name] = convert_parameter(p, p.default)
        elif p.default is None:
            raise ParameterError(f"query {query.name!r} needs parameter {p.name!r} ({p.type}): give {p.name}=VALUE")
    return bound


def run_named_query(
    store: Store, name: str, params: Mapping[str, str] | None = None, *, directory: str | Path = QUERIES_DIR
) -> QueryResult:
    """Run catalogue query ``name`` with text parameters converted to typed RDF terms.

    Example (with a built graph)::

        run_named_query(store, "representatives", {"municipality": "gkid:place/Q20103"}).records()
    """
    query = get_query(name, directory)
    return store.query(query.text, bindings=bind_parameters(query, params or {}))


def describe_catalogue(fmt: str = "table", directory: str | Path = QUERIES_DIR) -> str:
    """The catalogue as text (name, title, parameters) or JSON."""
    import json

    queries = list_queries(directory)
    if fmt == "json":
        return (
            json.dumps(
                [
                    {
                        "name": q.name,
                        "title": q.title,
                        "description": q.description,
                        "headline": q.headline,
                        "params": [
                            {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                            for p in q.params
                        ],
                        "examples": list(q.examples),
                    }
                    for q in queries
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    lines = []
    for q in queries:
        lines.append(f"{q.name}\n    {q.title}")
        for p in q.params:
            default = "optional" if p.default == "?" else ("required" if p.default is None else f"default {p.default}")
            lines.append(f"    --param {p.name}=<{p.type}>  ({default}) {p.description}")
    return "\n".join(lines) + "\n"
