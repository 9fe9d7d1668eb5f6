"""Screens name people by their names (`|person`), never by a username, and show money and
ratios through the format library, not raw `floatformat` (grep-style checks)."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# A username may still travel in a link or a form value (it identifies the person in a
# query string), never as text on the page.
USERNAME = re.compile(r"\{\{[^}]*\.username[^}]*\}\}")
MACHINE_USE = re.compile(r"\{\{[^}]*\.username\|urlencode[^}]*\}\}")


def templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_shows_a_username_for_a_person():
    shown = []
    for path in templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in USERNAME.finditer(line):
                if MACHINE_USE.fullmatch(match.group(0)):
                    continue
                before = line[: match.start()]
                if re.search(r'value="$', before):
                    continue
                shown.append(f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}")
    assert shown == [], "use |person:\n" + "\n".join(shown)


def test_money_is_not_formatted_by_hand():
    hand_made = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"\{\{[^}]*(amount|income|total|value|exposure|limit|open)"
            r"[^}]*\|floatformat:\"?2g?\"?[^}]*\}\}",
            text,
        ):
            hand_made.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert hand_made == [], "use |money:\n" + "\n".join(hand_made)
