"""The Chinese of the factory's procedure: order changes are 变更 (never 切换), reason and
category codes are stored as codes and read in the reader's language, and the Excel headers
people download have their Chinese names."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from crm.models import ComplaintCategory
from orders.models import ChangeKind, ReturnReason
from orders.receivables.models import CreditNoteReason
from reports.exports import COLUMNS

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries() -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of the catalogue, continuation lines joined."""
    pairs, msgid, msgstr, current = [], "", "", None
    for line in PO.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            if current == "msgstr":
                pairs.append((msgid, msgstr))
            msgid, msgstr, current = line[7:-1], "", "msgid"
        elif line.startswith(("msgstr ", "msgstr[0] ")):
            msgstr, current = line.split(" ", 1)[1][1:-1], "msgstr"
        elif line.startswith('"') and current == "msgid":
            msgid += line[1:-1]
        elif line.startswith('"') and current == "msgstr":
            msgstr += line[1:-1]
    if current == "msgstr":
        pairs.append((msgid, msgstr))
    return pairs


def test_no_translation_says_qiehuan():
    assert [m for m, s in entries() if "切换" in s] == []


def test_order_changes_are_biangeng():
    changes = [(m, s) for m, s in entries() if re.search(r"\b(order )?change notice", m, re.I)]
    assert changes, "the catalogue has the order change notice strings"
    assert [(m, s) for m, s in changes if "变更" not in s] == []


@pytest.mark.parametrize(
    ("choices", "code", "chinese"),
    [
        (ChangeKind, "due_date", "交期变更"),
        (ChangeKind, "quantity", "数量变更"),
        (ChangeKind, "specification", "规格变更"),
        (ReturnReason, "defective", None),
        (ReturnReason, "surplus", None),
    ],
)
def test_reason_codes_are_stored_as_codes_and_read_in_the_language(choices, code, chinese):
    assert code in choices.values
    label = dict(choices.choices)[code]
    with translation.override("zh-hans"):
        shown = str(label)
    with translation.override("en"):
        english = str(label)
    assert shown != english and shown != code
    if chinese:
        assert shown == chinese


@pytest.mark.parametrize("choices", [ComplaintCategory, CreditNoteReason, ChangeKind, ReturnReason])
def test_every_reason_label_has_its_chinese(choices):
    with translation.override("zh-hans"):
        untranslated = [
            value
            for value, label in choices.choices
            if not re.search(r"[\u4e00-\u9fff]", str(label))
        ]
    assert untranslated == []


def test_every_excel_header_has_its_chinese():
    with translation.override("zh-hans"):
        missing = [
            key
            for key, column in COLUMNS.items()
            if not re.search(r"[\u4e00-\u9fff]", str(column.label))
            and not re.fullmatch(r"[\d\-\s]+\S*", str(column.label))
        ]
    assert missing == []
