"""The per-language word lists of the extractor, read from ``graphkit/extract/lexicons/<lang>.toml``.

Every cue the rules look for (relation types, status words, offices, meeting words, months, country
adjectives...) lives in a lexicon file, not in code: a third language is a new file.

>>> lex = load_lexicon("it")
>>> lex.relation_types["protocollo d'intesa"], lex.offices["sindaco"], lex.months["maggio"]
('memorandum-of-understanding', 'mayor', 5)
>>> sorted(available_languages())
['en', 'it']
>>> guess_language("Il sindaco di Assisi ha firmato il protocollo con la città di Koya.")
'it'
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphkit.errors import InputError

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"


@dataclass(frozen=True)
class Lexicon:
    """The cues of one language. Phrases are lower case, with ``'`` for every apostrophe."""

    language: str
    function_words: frozenset[str]
    not_names: frozenset[str]
    name_connectors: frozenset[str]
    elisions: frozenset[str]
    body_prefixes: tuple[str, ...]
    relation_types: dict[str, str]
    relation_words: tuple[str, ...]
    relation_anaphora: tuple[str, ...]
    with_markers: tuple[str, ...]
    between_markers: tuple[str, ...]
    and_markers: tuple[str, ...]
    skip_words: frozenset[str]
    locative: frozenset[str]
    visitor_markers: frozenset[str]
    negations: frozenset[str]
    denials: frozenset[str]
    dropped: frozenset[str]
    relatives: tuple[str, ...]
    list_openers: tuple[str, ...]
    among_own: tuple[str, ...]
    auxiliaries: frozenset[str]
    place_nouns: frozenset[str]
    area_words: frozenset[str]
    region_words: frozenset[str]
    articles: frozenset[str]
    origin_markers: frozenset[str]
    town_bodies: frozenset[str]
    name_heads: frozenset[str]
    status_cues: dict[str, str]
    since_words: tuple[str, ...]
    date_words: tuple[str, ...]
    weekdays: frozenset[str]
    relative_days: frozenset[str]
    months: dict[str, int]
    offices: dict[str, str]
    portfolios: dict[str, str]
    portfolio_markers: tuple[str, ...]
    body_markers: tuple[str, ...]
    diplomatic_roles: frozenset[str]
    plural_offices: frozenset[str]
    titles: frozenset[str]
    host_markers: frozenset[str]
    acting_for: frozenset[str]
    led_by: frozenset[str]
    own_town: tuple[str, ...]
    municipal_roles: frozenset[str]
    municipal_words: frozenset[str]
    regional_words: frozenset[str]
    foreign_offices: frozenset[str]
    represented_by: tuple[str, ...]
    roll_calls: tuple[str, ...]
    home_countries: frozenset[str]
    side_words: frozenset[str]
    roll_call_office: str
    meetings: dict[str, str]
    venue_cues: tuple[str, ...]
    promoter_cues: tuple[str, ...]
    participate_cues: tuple[str, ...]
    group_words: frozenset[str]
    topics: dict[str, str]
    sectors: dict[str, str]
    heritage: dict[str, str]
    countries: dict[str, str]
    organisations: dict[str, str]


def norm_phrase(text: str) -> str:
    """A phrase as lexicons write it: lower case, one kind of apostrophe, single spaces.

    >>> norm_phrase("Protocollo  d’Intesa")
    "protocollo d'intesa"
    """
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").lower().split())


def available_languages() -> list[str]:
    """The languages that have a lexicon file."""
    return sorted(p.stem for p in LEXICON_DIR.glob("*.toml"))


@functools.lru_cache(maxsize=8)
def load_lexicon(language: str) -> Lexicon:
    """The lexicon of ``language`` (``it``, ``en``...); InputError when there is none."""
    path = LEXICON_DIR / f"{language}.toml"
    if not path.is_file():
        raise InputError(f"no lexicon for language {language!r}; available: {', '.join(available_languages())}")
    try:
        with path.open("rb") as f:
            raw = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{path}: not valid TOML ({e}); fix the lexicon file") from None
    return _lexicon(raw, path)


def _lexicon(raw: dict[str, Any], path: Path) -> Lexicon:
    def table(name: str) -> dict[str, Any]:
        value = raw.get(name, {})
        if not isinstance(value, dict):
            raise InputError(f"{path}: [{name}] must be a table")
        return value

    def phrases(values: Any) -> tuple[str, ...]:
        return tuple(norm_phrase(v) for v in values or ())

    def mapping(name: str) -> dict[str, Any]:
        return {norm_phrase(k): v for k, v in table(name).items()}

    markers, dates, rules, roles = (
        table("party_markers"),
        table("date_cues"),
        table("office_rules"),
        table("meeting_roles"),
    )
    return Lexicon(
        language=str(raw.get("language", path.stem)),
        function_words=frozenset(phrases(raw.get("function_words"))),
        not_names=frozenset(phrases(raw.get("not_names"))),
        name_connectors=frozenset(phrases(raw.get("name_connectors"))),
        elisions=frozenset(phrases(raw.get("elisions"))),
        body_prefixes=phrases(raw.get("body_prefixes")),
        relation_types=mapping("relation_types"),
        relation_words=phrases(table("relation_words").get("phrases")),
        relation_anaphora=phrases(table("relation_anaphora").get("phrases")),
        with_markers=phrases(markers.get("with")),
        between_markers=phrases(markers.get("between")),
        and_markers=phrases(markers.get("and")),
        skip_words=frozenset(phrases(markers.get("skip"))),
        locative=frozenset(phrases(markers.get("locative"))),
        visitor_markers=frozenset(phrases(markers.get("visitors"))),
        negations=frozenset(phrases(markers.get("negations"))),
        denials=frozenset(phrases(markers.get("denials"))),
        dropped=frozenset(phrases(markers.get("dropped"))),
        relatives=phrases(markers.get("relatives")),
        list_openers=phrases(markers.get("list_openers")),
        among_own=phrases(markers.get("among_own")),
        auxiliaries=frozenset(phrases(markers.get("auxiliaries"))),
        place_nouns=frozenset(phrases(markers.get("place_nouns"))),
        area_words=frozenset(phrases(markers.get("area_words"))),
        region_words=frozenset(phrases(markers.get("region_words"))),
        articles=frozenset(phrases(raw.get("articles"))),
        origin_markers=frozenset(phrases(markers.get("origin"))),
        town_bodies=frozenset(phrases(raw.get("town_bodies"))),
        name_heads=frozenset(phrases(raw.get("name_heads"))),
        status_cues=mapping("status_cues"),
        since_words=phrases(dates.get("since_words")),
        date_words=phrases(dates.get("date_words")),
        weekdays=frozenset(phrases(dates.get("weekdays"))),
        relative_days=frozenset(phrases(dates.get("relative_days"))),
        months={norm_phrase(k): int(v) for k, v in table("months").items()},
        offices=mapping("offices"),
        portfolios=mapping("portfolios"),
        portfolio_markers=phrases(rules.get("portfolio_markers")),
        body_markers=phrases(rules.get("body_markers")),
        diplomatic_roles=frozenset(rules.get("diplomatic_roles", ())),
        plural_offices=frozenset(phrases(rules.get("plural_offices"))),
        titles=frozenset(phrases(rules.get("titles"))),
        host_markers=frozenset(phrases(rules.get("host_markers"))),
        acting_for=frozenset(phrases(rules.get("acting_for"))),
        led_by=frozenset(phrases(rules.get("led_by"))),
        own_town=phrases(rules.get("own_town")),
        municipal_roles=frozenset(rules.get("municipal_roles", ())),
        municipal_words=frozenset(phrases(rules.get("municipal_words"))),
        regional_words=frozenset(phrases(rules.get("regional_words"))),
        foreign_offices=frozenset(phrases(rules.get("foreign_offices"))),
        represented_by=phrases(rules.get("represented_by")),
        roll_calls=phrases(rules.get("roll_calls")),
        home_countries=frozenset(str(c).upper() for c in raw.get("home_countries", ())),
        side_words=frozenset(phrases(rules.get("side_words"))),
        roll_call_office=str(rules.get("roll_call_office", "council member")),
        meetings=mapping("meetings"),
        venue_cues=phrases(roles.get("venue")),
        promoter_cues=phrases(roles.get("promoter")),
        participate_cues=phrases(roles.get("participate")),
        group_words=frozenset(phrases(table("participants").get("group_words"))),
        topics=mapping("topics"),
        sectors=mapping("sectors"),
        heritage=mapping("heritage"),
        countries={k: str(v).upper() for k, v in mapping("countries").items()},
        organisations=mapping("organisations"),
    )


def guess_language(text: str) -> str:
    """The lexicon language whose function words are most frequent in ``text`` (first on a tie)."""
    words = norm_phrase(text[:5000]).replace("'", " ").split()
    scores = {lang: sum(w in load_lexicon(lang).function_words for w in words) for lang in available_languages()}
    return max(sorted(scores), key=lambda lang: scores[lang])
