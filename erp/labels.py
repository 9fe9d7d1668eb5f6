"""Codes read in the reader's language. A code (a tier, a grade, a source) is stored as a
code; the app that defines it registers its labels here in its AppConfig.ready(), and a
template of any layer shows `{{ code|label:"tier" }}` without importing that app (a lower
layer never imports a higher one). An unknown code is shown as it is."""

from collections.abc import Iterable
from typing import Any

_LABELS: dict[str, dict[str, Any]] = {}


def register_labels(name: str, choices: Iterable[tuple[str, Any]]) -> None:
    """`choices` as a TextChoices' `.choices`: (code, lazy label) pairs."""
    _LABELS[name] = dict(choices)


def label(name: str, code) -> str:
    if code is None or code == "":
        return ""
    found = _LABELS.get(name, {}).get(str(code))
    return str(found) if found is not None else str(code)
