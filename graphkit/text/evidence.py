"""Check the graph's text evidence: on its own, and against the source text when you have it.

Each ``gk:TextEvidence`` cites a span of a source text by sentence number, character offsets
(``oa:start`` inclusive, ``oa:end`` exclusive, Unicode code points) and a short quote (``oa:exact``),
plus ``gk:sentenceSha256``: the SHA-256 of the whole sentence after :func:`normalise_sentence`. The
text itself is never in the project, so two kinds of check:

- :func:`check_spans` needs no text: offsets fit the quote and are ordered like the sentence numbers,
  quotes are at most 120 characters, spans of one sentence carry one digest.
- :func:`verify_spans` (and :func:`verify_evidence`, what ``graphkit validate --evidence ARTICLE.txt``
  runs) checks every span against a given text: the quote is at its offsets, inside its sentence, and
  the sentence's digest matches.

>>> text = "A title\\nRome hosted the meeting. Assisi took part."
>>> span = span_for(text, "Assisi took part", iri="ev/1")
>>> (span.sentence, span.start, span.end)
(3, 33, 49)
>>> check_spans([span]), verify_spans([span], text)
([], [])
>>> verify_spans([span], text.replace("Assisi", "Perugia"))[0].problem
"the quote is not at 33–49 (the text has 'Perugia took par')"
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from graphkit.errors import InputError
from graphkit.rdf.namespaces import curie, expand
from graphkit.store.embedded import Store
from graphkit.text.sentences import locate_quote, split_sentences

#: The longest quote the graph may hold (a short phrase, never the text).
MAX_QUOTE = 120
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

_SPANS = """
SELECT ?ev ?source ?n ?start ?end ?exact ?digest WHERE {
  ?ev a gk:TextEvidence ; oa:hasSource ?source .
  OPTIONAL { ?ev gk:sentenceNumber ?n } OPTIONAL { ?ev oa:start ?start } OPTIONAL { ?ev oa:end ?end }
  OPTIONAL { ?ev oa:exact ?exact } OPTIONAL { ?ev gk:sentenceSha256 ?digest }
}
"""
_SOURCES = """
SELECT ?source ?title ?file WHERE {
  ?ev a gk:TextEvidence ; oa:hasSource ?source .
  OPTIONAL { ?source dct:title ?title } OPTIONAL { ?source gk:fileName ?file }
}
"""


@dataclass(frozen=True)
class EvidenceSpan:
    """One quoted span as the graph states it (``None`` where the graph lacks the value)."""

    iri: str
    source: str
    sentence: int | None
    start: int | None
    end: int | None
    exact: str | None
    digest: str | None


@dataclass(frozen=True)
class SpanProblem:
    """What is wrong with one span (``iri``), in words."""

    iri: str
    problem: str

    def __str__(self) -> str:
        return f"{self.iri}: {self.problem}"


@dataclass(frozen=True)
class EvidenceReport:
    """The outcome of checking the spans of one source against a text."""

    source: str
    article: str
    checked: int
    problems: tuple[SpanProblem, ...]

    @property
    def ok(self) -> bool:
        return self.checked > 0 and not self.problems

    def summary(self) -> str:
        """One line per problem, then the verdict."""
        head = f"{self.checked} quoted span(s) of {curie(URIRef(self.source))} checked against {self.article}"
        if self.ok:
            return f"{head}: every quote, offset and sentence digest matches.\n"
        lines = [f"{curie(URIRef(p.iri))}: {p.problem}" for p in self.problems]
        return "\n".join(lines) + f"\n{head}: {len(self.problems)} problem(s).\n"


def normalise_sentence(sentence: str) -> str:
    """The form a sentence is hashed in: NFC, white-space runs as one space, no outer space.

    >>> normalise_sentence("  Caffe\\u0300   a\\tRoma. ")
    'Caffè a Roma.'
    """
    return " ".join(unicodedata.normalize("NFC", sentence).split())


def sentence_digest(sentence: str) -> str:
    """SHA-256 (lower-case hex) of the normalised sentence: the value of ``gk:sentenceSha256``.

    >>> sentence_digest("Assisi  took part.") == sentence_digest("Assisi took part.")
    True
    >>> len(sentence_digest("Assisi took part."))
    64
    """
    return hashlib.sha256(normalise_sentence(sentence).encode("utf-8")).hexdigest()


def span_for(text: str, phrase: str, *, iri: str, source: str = "", occurrence: int = 1) -> EvidenceSpan:
    """The span citing ``phrase`` in ``text``: sentence number, offsets, quote and sentence digest."""
    q = locate_quote(text, phrase, occurrence)
    s = split_sentences(text)[q.sentence - 1]
    return EvidenceSpan(iri, source, q.sentence, q.start, q.end, q.exact, sentence_digest(text[s.start : s.end]))


def read_spans(store: Store, source: str | None = None) -> list[EvidenceSpan]:
    """Every ``gk:TextEvidence`` of the graph (of ``source`` only, when given), in offset order."""
    bindings = {"source": URIRef(source)} if source else None
    r = store.select(_SPANS, bindings=bindings)
    spans = [
        EvidenceSpan(
            str(ev),
            str(src),
            _int(n),
            _int(start),
            _int(end),
            None if exact is None else str(exact),
            None if digest is None else str(digest),
        )
        for ev, src, n, start, end, exact, digest in r.rows
    ]
    return sorted(spans, key=lambda s: (s.source, s.start if s.start is not None else -1, s.iri))


def check_spans(spans: Iterable[EvidenceSpan]) -> list[SpanProblem]:
    """What is wrong with the spans, seen without the text (an empty list when nothing is).

    Per span: sentence number ≥ 1, ``0 ≤ start < end``, ``end - start`` equal to the quote's length,
    a quote of at most :data:`MAX_QUOTE` characters, a well-formed digest. Per source: spans in the
    same sentence carry the same digest, and a later sentence never starts before an earlier one ends.

    >>> a = EvidenceSpan("ev/a", "src", 2, 10, 14, "Roma", "0" * 64)
    >>> b = EvidenceSpan("ev/b", "src", 1, 20, 24, "Roma", "1" * 64)
    >>> [str(p) for p in check_spans([a, b])]
    ['ev/a: sentence 2 starts at 10, before sentence 1 (at 20)']
    """
    problems: list[SpanProblem] = []
    by_source: dict[str, list[EvidenceSpan]] = defaultdict(list)
    for s in spans:
        problems += [SpanProblem(s.iri, p) for p in _span_problems(s)]
        if s.sentence is not None and s.start is not None and s.end is not None:
            by_source[s.source].append(s)
    for group in by_source.values():
        problems += _order_problems(group)
    return problems


def verify_spans(spans: Sequence[EvidenceSpan], text: str) -> list[SpanProblem]:
    """What does not match ``text``: quote at its offsets, inside its sentence, sentence digest."""
    sentences = split_sentences(text)
    problems: list[SpanProblem] = []
    for sp in spans:
        if sp.sentence is None or sp.start is None or sp.end is None or sp.exact is None:
            problems.append(SpanProblem(sp.iri, "incomplete evidence (sentence, offsets or quote missing)"))
            continue
        found = text[sp.start : sp.end]
        if found != sp.exact:
            problems.append(SpanProblem(sp.iri, f"the quote is not at {sp.start}–{sp.end} (the text has {found!r})"))
        if not 1 <= sp.sentence <= len(sentences):
            problems.append(SpanProblem(sp.iri, f"sentence {sp.sentence}: the text has {len(sentences)} sentences"))
            continue
        s = sentences[sp.sentence - 1]
        if not (s.start <= sp.start and sp.end <= s.end):
            problems.append(
                SpanProblem(sp.iri, f"{sp.start}–{sp.end} is not inside sentence {sp.sentence} ({s.start}–{s.end})")
            )
        if sp.digest is None:
            problems.append(SpanProblem(sp.iri, "no gk:sentenceSha256 to check the sentence against"))
        elif sp.digest != sentence_digest(text[s.start : s.end]):
            problems.append(SpanProblem(sp.iri, f"sentence {sp.sentence} differs from the one cited (SHA-256)"))
    return problems


def evidence_sources(store: Store) -> dict[str, tuple[str, str]]:
    """Source IRI → (title, file name) of every source the graph's text evidence cites."""
    r = store.select(_SOURCES)
    out: dict[str, tuple[str, str]] = {}
    for src, title, file in r.rows:
        old = out.get(str(src), ("", ""))
        out[str(src)] = (old[0] or (str(title) if title is not None else ""), old[1] or (str(file) if file else ""))
    return out


def pick_source(store: Store, article: Path, text: str, source: str | None = None) -> str:
    """The source whose spans ``article`` should be checked against: ``source``, the only one, the one
    whose ``gk:fileName`` is the article's file name, or the one whose title is the article's first line."""
    sources = evidence_sources(store)
    if source and "://" not in source:
        source = str(expand(source))  # a CURIE such as gkid:source/seed-article
    if source:
        if source not in sources:
            raise InputError(f"no text evidence cites {source}; cited: {', '.join(sorted(sources)) or 'none'}")
        return source
    if not sources:
        raise InputError("the graph has no gk:TextEvidence to check (is data/seed/evidence.ttl in the build?)")
    if len(sources) == 1:
        return next(iter(sources))
    first = normalise_sentence(next((line for line in text.splitlines() if line.strip()), ""))
    for test in (lambda t, f: f == article.name, lambda t, f: normalise_sentence(t) == first):
        found = [s for s, (t, f) in sources.items() if test(t, f)]
        if len(found) == 1:
            return found[0]
    listed = "; ".join(f"{s} ({t or 'no title'})" for s, (t, _) in sorted(sources.items()))
    raise InputError(
        f"the graph cites several texts and none is plainly {article.name}: name the source, one of {listed}"
    )


def verify_evidence(store: Store, article: str | Path, *, source: str | None = None) -> EvidenceReport:
    """Check every quoted span of ``source`` (see :func:`pick_source`) against the text in ``article``:
    the checks of :func:`check_spans` and :func:`verify_spans` together."""
    path = Path(article)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the article {path}: {e.__class__.__name__}; give a UTF-8 text file") from e
    chosen = pick_source(store, path, text, source)
    spans = read_spans(store, chosen)
    problems = check_spans(spans) + verify_spans(spans, text)
    unique = tuple(dict.fromkeys(problems))  # an offset problem may be seen by both checks
    return EvidenceReport(chosen, str(path), len(spans), unique)


def _span_problems(s: EvidenceSpan) -> list[str]:
    out = []
    if s.sentence is None or s.sentence < 1:
        out.append(f"sentence number {s.sentence} (must be 1 or more)")
    start, end = s.start, s.end
    if start is None or end is None or not 0 <= start < end:
        out.append(f"offsets {s.start}–{s.end} (need 0 ≤ start < end)")
        start = end = None
    if s.exact is None or not s.exact:
        out.append("no quote (oa:exact)")
    else:
        if len(s.exact) > MAX_QUOTE:
            out.append(f"the quote has {len(s.exact)} characters (at most {MAX_QUOTE})")
        if start is not None and end is not None and end - start != len(s.exact):
            out.append(f"offsets {start}–{end} span {end - start} characters, the quote has {len(s.exact)}")
    if s.digest is None:
        out.append("no gk:sentenceSha256 (the quote cannot be checked against the text)")
    elif not _HEX64.match(s.digest):
        out.append(f"gk:sentenceSha256 {s.digest!r} is not 64 lower-case hex digits")
    return out


def _order_problems(spans: list[EvidenceSpan]) -> list[SpanProblem]:
    out: list[SpanProblem] = []
    digests: dict[int, set[str]] = defaultdict(set)
    first: dict[int, EvidenceSpan] = {}
    last_end: dict[int, int] = {}
    for s in spans:
        assert s.sentence is not None and s.start is not None and s.end is not None
        if s.digest:
            digests[s.sentence].add(s.digest)
        if s.sentence not in first or s.start < (first[s.sentence].start or 0):
            first[s.sentence] = s
        last_end[s.sentence] = max(last_end.get(s.sentence, s.end), s.end)
    for n, ds in sorted(digests.items()):
        if len(ds) > 1:
            out.append(SpanProblem(first[n].iri, f"the spans of sentence {n} carry {len(ds)} different digests"))
    numbers = sorted(first)
    for a, b in zip(numbers, numbers[1:], strict=False):
        # sentence b begins at least one separator per sentence after sentence a's last quoted character
        start_b, start_a = first[b].start or 0, first[a].start or 0
        if start_b < start_a:
            problem = f"sentence {b} starts at {start_b}, before sentence {a} (at {start_a})"
            out.append(SpanProblem(first[b].iri, problem))
        elif start_b < last_end[a] + (b - a):
            out.append(
                SpanProblem(
                    first[b].iri, f"sentence {b} starts at {start_b}, before sentence {a}'s quote ends ({last_end[a]})"
                )
            )
    return out


def _int(term: object) -> int | None:
    if term is None:
        return None
    try:
        return int(str(term))
    except ValueError:
        return None
