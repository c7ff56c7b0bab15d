"""The comparison key of a name (one function every ingest module compares names with).

>>> fold("Sault Ste. Marie")
'sault-ste-marie'
"""

from __future__ import annotations

import functools
import re

from graphkit.rdf.namespaces import slugify

_NON_WORD = re.compile(r"[^a-z0-9_]+")


@functools.lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """The comparison key of a name: lower-case ASCII slug, diacritics dropped ("" when nothing is left).

    >>> fold("Ploiești") == fold("Ploieşti") == fold("PLOIESTI")
    True
    """
    if text.isascii():
        return _NON_WORD.sub("-", text.lower()).strip("-_")
    try:
        return slugify(text)
    except Exception:  # noqa: BLE001 - slugify refuses names with no letters at all
        return ""
