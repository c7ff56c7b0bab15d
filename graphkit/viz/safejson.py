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
from typing import Any

from graphkit.relations.labels import clean_text, fold

__all__ = ["clean_text", "fold", "script_json"]

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
