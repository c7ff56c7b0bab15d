"""English spellings of a German transcription of a name from the Cyrillic script (and Georgian,
Armenian): the 2016 Wikidata crawl labels places with their German names ("Charzysk",
"Dserschinski", "Tscherwen Brjag"), which no gazetteer lists, while GeoNames spells them the
English way ("Khartsyzk", "Dzerzhinskiy", "Cherven Bryag").

German and English transcriptions differ letter by letter (Duden's ``sch``/``tsch``/``ch``/``w``/
``j``/``s``/``z`` against BGN/PCGN's ``sh``-``zh``/``ch``/``kh``/``v``/``y``/``z``/``ts``), and some
German letters stand for several English ones (``s`` is ``s`` or ``z``, ``sch`` is ``sh`` or ``zh``),
so :func:`english_spellings` gives every spelling the letters allow (bounded), most likely first.
The caller looks each up in the gazetteer within :data:`TRANSCRIBED_COUNTRIES` and decides with the
same evidence as for any other name.

>>> english_spellings("Charzysk")[:4]
['khartsysk', 'khartsyzk', 'khartsisk', 'khartsizk']
>>> "dzerzhinskiy" in english_spellings("Dserschinski"), "cherven bryag" in english_spellings("Tscherwen Brjag")
(True, True)
>>> "zalishchyky" in english_spellings("Salischtschyky"), "yaremche" in english_spellings("Jaremtsche")
(True, True)
>>> english_spellings("Łódź") == english_spellings("lodz")
True
"""

from __future__ import annotations

import itertools
import re

from graphkit.places.gazetteer import normalise_name

#: Countries whose place names German and English both transcribe from another script.
TRANSCRIBED_COUNTRIES: frozenset[str] = frozenset("RU UA BY BG KZ KG TJ UZ TM MN RS MK ME BA MD GE AM AZ".split())
#: At most this many spellings of one name.
MAX_SPELLINGS = 512

#: German letter groups and the English letters they may stand for, most likely first; longest
#: groups first so that ``schtsch`` is read before ``sch`` and ``tsch`` before ``ch``.
_GROUPS: dict[str, tuple[str, ...]] = {
    "schtsch": ("shch",),
    "tsch": ("ch",),
    "dsch": ("dzh", "j"),
    "sch": ("sh", "zh"),
    "ch": ("kh", "h"),
    "ja": ("ya", "ia"),
    "je": ("ye", "e", "ie"),
    "jo": ("yo", "e", "io"),
    "ju": ("yu", "iu"),
    "ss": ("s", "ss"),
    "s": ("s", "z"),
    "z": ("ts", "z"),
    "w": ("v",),
    "j": ("y", "i"),
    "y": ("y", "i"),
    "x": ("ks", "x"),
}
_FINAL_I = ("i", "iy", "y")
_TOKEN = re.compile("|".join(sorted(map(re.escape, _GROUPS), key=len, reverse=True)) + r"|.", re.S)


def _choices(word: str) -> list[tuple[str, ...]]:
    tokens = _TOKEN.findall(word)
    out: list[tuple[str, ...]] = [_GROUPS.get(t, (t,)) for t in tokens]
    if tokens and tokens[-1] == "i" and len(tokens) > 1:  # -ski: -skiy, -sky
        out[-1] = _FINAL_I
    return out


def english_spellings(name: str, limit: int = MAX_SPELLINGS) -> list[str]:
    """The English spellings (normalised as :func:`~graphkit.places.gazetteer.normalise_name` does)
    that the German transcription ``name`` allows, at most ``limit``, most likely first; [] for an
    empty name."""
    key = normalise_name(name)
    if not key:
        return []
    choices: list[tuple[str, ...]] = []
    for i, word in enumerate(key.split(" ")):
        if i:
            choices.append((" ",))
        choices.extend(_choices(word))
    return ["".join(parts) for parts in itertools.islice(itertools.product(*choices), limit)]
