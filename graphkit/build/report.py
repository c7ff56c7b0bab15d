"""What a build did: one :class:`StepReport` per step, and the :class:`BuildReport` of the whole build.

>>> StepReport("load RDF files", 0.5, {"files": 2}).counts
{'files': 2}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class StepReport:
    """What one build step did: a name, counts, and the seconds it took."""

    name: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class BuildReport:
    """The outcome of a build."""

    snapshot: Path
    quads: int
    graphs: dict[str, int]
    steps: list[StepReport]
    conforms: bool
    violations: int
    outputs: list[Path]

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = [f"Built {self.snapshot}: {self.quads} triples in {len(self.graphs)} named graphs."]
        lines += [
            f"  {s.name:<22} {s.seconds:6.2f} s  " + ", ".join(f"{k}={v}" for k, v in s.counts.items())
            for s in self.steps
        ]
        lines.append("Validation: conforms." if self.conforms else f"Validation: {self.violations} violation(s).")
        lines += [f"  wrote {p}" for p in self.outputs]
        return "\n".join(lines) + "\n"

    def as_json(self) -> dict[str, object]:
        """The report as JSON-ready data (what ``out/build.json`` holds)."""
        d = asdict(self)
        d["snapshot"] = str(self.snapshot)
        d["outputs"] = [str(p) for p in self.outputs]
        return d
