"""``python -m symfisher`` runs the CLI."""

from symfisher.cli import run

run()
