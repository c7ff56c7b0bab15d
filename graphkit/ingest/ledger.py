"""What the cleaning and merging did: a count and examples per rule, rows read, and the rejects.

Every rule that changes, merges, flags or drops something records it here; the quality report
and ``rejects.csv`` are written from a ledger, so nothing is changed or dropped silently.

>>> led = Ledger()
>>> led.count("country-typo", "Grece", "GR")
>>> led.reject("hekman-twincities", "twin_cities_raw.csv:12", "X / ''", "unresolved-country", "no country")
>>> led.rules["country-typo"].count, led.rules["country-typo"].examples, len(led.rejects)
(1, [('Grece', 'GR')], 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_EXAMPLES = 6


@dataclass
class RuleStat:
    """How often one rule fired, with a few before → after examples."""

    count: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Reject:
    """Something a rule dropped or could not resolve: where it came from and why."""

    source: str
    where: str
    item: str
    reason: str
    detail: str


@dataclass
class Ledger:
    """Counts per rule, rows read per source, rejects, and final counts."""

    rules: dict[str, RuleStat] = field(default_factory=dict)
    rows_read: Counter[str] = field(default_factory=Counter)
    rejects: list[Reject] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)

    def count(self, rule: str, before: object = None, after: object = None, n: int = 1) -> None:
        """Record that ``rule`` fired ``n`` times (with one example when given)."""
        stat = self.rules.get(rule)
        if stat is None:
            stat = self.rules[rule] = RuleStat()
        stat.count += n
        if before is not None and len(stat.examples) < MAX_EXAMPLES:
            example = (str(before), str(after))
            if example not in stat.examples:
                stat.examples.append(example)

    def count_lazy(self, rule: str, example: Callable[[], tuple[object, object]]) -> None:
        """Like :meth:`count`, computing the example only while the rule still collects examples."""
        stat = self.rules.get(rule)
        if stat is not None and len(stat.examples) >= MAX_EXAMPLES:
            stat.count += 1
        else:
            self.count(rule, *example())

    def reject(self, source: str, where: str, item: str, reason: str, detail: str = "") -> None:
        """Record a dropped or unresolved item."""
        self.rejects.append(Reject(source, where, item, reason, detail))

    def absorb(self, other: Ledger) -> None:
        """Add what ``other`` recorded, as if its calls had been made on this ledger now (in their order).

        Lets a rule run before its turn, on its own ledger, without changing the report's order.

        >>> a, b = Ledger(), Ledger()
        >>> a.count("x", "1", "one"); b.count("y", "2", "two"); b.count("x", "1", "one"); b.count("x", "3", "three")
        >>> a.absorb(b)
        >>> list(a.rules), a.rules["x"].count, a.rules["x"].examples
        (['x', 'y'], 3, [('1', 'one'), ('3', 'three')])
        """
        for rule, stat in other.rules.items():
            mine = self.rules.setdefault(rule, RuleStat())
            mine.count += stat.count
            for example in stat.examples:
                if len(mine.examples) < MAX_EXAMPLES and example not in mine.examples:
                    mine.examples.append(example)
        for source, n in other.rows_read.items():
            self.rows_read[source] = n
        self.rejects += other.rejects
        self.facts.update(other.facts)

    def reject_counts(self) -> Counter[str]:
        """Number of rejects per reason."""
        return Counter(r.reason for r in self.rejects)
