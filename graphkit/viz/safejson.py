"""JSON that is safe inside an HTML ``<script>`` element, and plain-text helpers for labels.

A view embeds its data as JSON in ``<script type="application/json">`` blocks. JSON alone is not
enough there: a label containing ``</script>`` would end the element, and ``<!--`` changes how the
HTML parser reads it. :func:`script_json` escapes ``<``, ``>`` and ``&`` as ``\\u003c``-style
escapes (still valid JSON, decoded back by ``JSON.parse``), and U+2028/U+2029 (line terminators
in older JavaScript), so any string comes back unchanged and nothing in it is ever markup.

>>> script_json({"label": "</script><img src=x onerror=alert(1)>"})
'{"label":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
>>> import json; json.loads(script_json(["Łódź & 高野町"])) == ["Łódź & 高野町"]
True
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

_SCRIPT_ESCAPES: tuple[tuple[str, str], ...] = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(value: Any) -> str:
    """``value`` as compact JSON safe to place inside a ``<script>`` element (UTF-8, not ASCII-only)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _SCRIPT_ESCAPES:  # str.replace is C-speed on multi-megabyte pages
        text = text.replace(char, escape)
    return text


def clean_text(value: object, *, limit: int = 300) -> str:
    """A label or tooltip line as plain text: NFC, control characters dropped, whitespace collapsed,
    cut at ``limit`` characters. Markup stays as literal characters (it is shown, never parsed).

    >>> clean_text("  São\\x00 Paulo\\n<b>x</b> ")
    'São Paulo <b>x</b>'
    >>> clean_text("a" * 10, limit=4)
    'aaa…'
    """
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\t\n")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names (as the page's search box does).

    >>> fold("Łódź") == fold("lodz"), fold("São Paulo"), fold("高野町")
    (True, 'sao paulo', '高野町')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.translate(_FOLD_EXTRA).split())


# Letters NFKD does not decompose into a base letter + combining mark.
_FOLD_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe"})
