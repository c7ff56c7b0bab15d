"""``python -m graphkit.cli``."""

from graphkit.cli import run

run()
