"""Text people write: no control characters. One rule for every way in.

A control character (U+0000-U+001F, U+007F-U+009F) is never part of a name, a code or a
note; pasted from another system it breaks exports (Excel refuses most of them) and hides
in the data. Tab, line feed and carriage return are allowed in multi-line text (notes,
reasons: the model's `TextField`, a `Textarea` on a page), nowhere else.

`install()` (called once from `ErpConfig.ready`) applies the rule to every Django form
`CharField` (pages and the admin) and every DRF `CharField` (the API), so no form or
serializer has to remember it; the workbook import calls `check_text` per cell.
"""

import re
from functools import cache, wraps

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINE_CHARACTERS = "\t\n\r"
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

CONTROL_MESSAGE = _(
    "Remove the control character %(character)s (position %(position)d): it is not allowed in text."
)
ONE_LINE_MESSAGE = _(
    "This is one line of text: remove the line break or tab (position %(position)d)."
)


def find_control_character(value: str, *, multiline: bool = False) -> re.Match | None:
    pattern = _CONTROL_BUT_LINES if multiline else _ANY_CONTROL
    return pattern.search(value)


def check_text(value: str, *, multiline: bool = False) -> None:
    """Raise ValidationError (code "control_character") naming the first bad character."""
    found = find_control_character(value, multiline=multiline)
    if found is None:
        return
    character = found.group()
    position = found.start() + 1
    if character in LINE_CHARACTERS:
        raise ValidationError(
            ONE_LINE_MESSAGE, code="control_character", params={"position": position}
        )
    raise ValidationError(
        CONTROL_MESSAGE,
        code="control_character",
        params={"character": f"U+{ord(character):04X}", "position": position},
    )


def control_character_message(value: str, *, multiline: bool = False) -> str | None:
    """The message `check_text` would raise, or None when the text is fine."""
    try:
        check_text(value, multiline=multiline)
    except ValidationError as exc:
        return exc.messages[0]
    return None


def strip_control_characters(value: str) -> str:
    """`value` without control characters other than tab and line breaks: how text already
    stored (from before the rule) is written out."""
    return _CONTROL_BUT_LINES.sub("", value)


@cache
def multiline_field_names() -> frozenset[str]:
    """Names of the product's multi-line text fields (model `TextField`s): an API field of
    that name (`note`, `reason`, `outcome`, ...) takes line breaks too."""
    from django.apps import apps
    from django.db import models

    ours = ("erp", "customers", "crm", "materials", "orders", "production", "reports")
    return frozenset(
        field.name
        for label in ours
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
    )


class NoControlCharacters:
    """DRF validator for a CharField: multi-line when the field is a textarea (a model
    `TextField`) or named like one of the product's multi-line fields."""

    requires_context = True

    def __call__(self, value, field) -> None:
        if not isinstance(value, str):
            return
        style = getattr(field, "style", {}) or {}
        if style.get("input_type") == "password":
            return  # hashed, never shown or exported
        check_text(value, multiline=_api_multiline(field, style))

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters)

    def __hash__(self) -> int:
        return hash(NoControlCharacters)


def _api_multiline(field, style: dict) -> bool:
    if style.get("base_template") == "textarea.html":
        return True
    names = multiline_field_names()
    source = getattr(field, "source", None) or ""
    return field.field_name in names or source.rsplit(".", 1)[-1] in names


def _form_to_python(original):
    from django.forms import PasswordInput, Textarea

    @wraps(original)
    def to_python(self, value):
        value = original(self, value)
        if isinstance(value, str) and value and not isinstance(self.widget, PasswordInput):
            check_text(value, multiline=isinstance(self.widget, Textarea))
        return value

    to_python.checks_control_characters = True
    return to_python


def _drf_init(original):
    @wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.validators.append(NoControlCharacters())

    __init__.checks_control_characters = True
    return __init__


def install() -> None:
    """Apply the rule to every form CharField and every DRF CharField (and subclasses)."""
    from django import forms
    from rest_framework import fields

    if not getattr(forms.CharField.to_python, "checks_control_characters", False):
        forms.CharField.to_python = _form_to_python(forms.CharField.to_python)
    if not getattr(fields.CharField.__init__, "checks_control_characters", False):
        fields.CharField.__init__ = _drf_init(fields.CharField.__init__)
