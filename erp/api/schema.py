"""The OpenAPI schema tells what the API answers (issue 11; tests/erp/test_api_schema_conformance.py
holds every operation to it).

drf-spectacular's AutoSchema, corrected where it cannot see what a response holds:

- A field read through a nullable foreign key or column (`updated_by`, `source="supplier.code"`,
  a read-only field with `default=None`) is null for some rows: it is `nullable` in responses.
- A read-only choice field of a `blank=True` model field answers "" for rows without a
  choice: the empty string is in its enum (drf-spectacular's BlankEnum).
- A serializer's `cost_fields` (erp.api.serializers.HiddenCostsMixin) and
  `role_hidden_fields` (a customer's contacts) are left out for roles that may not see
  them: they are never `required` in a response.
- Only a viewset's `list` action pages and filters (ListModelMixin); its other actions
  that answer many rows (`/plans/{id}/changes/`, `/contact-slips/propose/`) answer a
  plain list and take no filter or page parameters.
- Every operation documents the errors it may answer (erp/api/errors.py, CONTRACT.md
  section 7): 400 with field messages, 401, 403, 404 (also for an unknown `?format=`),
  409 and 429 with a `detail`.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions, serializers

ERROR_COMPONENT = "Error"
VALIDATION_ERROR_COMPONENT = "ValidationError"

ERROR_SCHEMA = {
    "type": "object",
    "description": "Why the request was refused. A refusal by a business rule may add the "
    "field it concerns (a list of messages) and `errors` (details).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "additionalProperties": True,
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Bad input: a list of messages per field (nested like the request body; "
    "`non_field_errors` for the request as a whole), or a `detail` for a body that could not "
    "be read or a business rule that refused it.",
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": True,
}

ERROR_DESCRIPTIONS = {
    "400": "Bad input.",
    "401": "Not authenticated (send `Authorization: Token KEY` or log in).",
    "403": "Your role may not do this.",
    "404": "Not found.",
    "409": "Conflicts with the current state (stock taken meanwhile, a document already "
    "applied, a record still in use, an Idempotency-Key reused).",
    "429": "Too many requests; retry after the `Retry-After` seconds.",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def model_fields_behind(field) -> list | None:
    """The model fields `field` reads through (`source="order.customer.code"`: the order,
    customer and code fields), or None when its parent is no ModelSerializer or the source
    is not made of model fields only."""
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or field.source == "*" or not getattr(field, "source_attrs", None):
        return None
    chain = []
    for attr in field.source_attrs:
        if model is None:
            return None
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        chain.append(model_field)
        model = model_field.related_model if model_field.is_relation else None
    return chain


def may_be_null(field, chain) -> bool:
    """A response may hold null for `field`: DRF answers None when any step of its source is
    None (a nullable column or foreign key, a missing one-to-one) or, for a read-only field
    with `default=None`, when the attribute is missing."""
    if field.read_only and field.default is None:
        return True
    for model_field in chain or ():
        if isinstance(model_field, models.ForeignObjectRel):
            # The reverse side of a one-to-one may not exist; of a foreign key (a manager),
            # it is a list.
            if isinstance(model_field, models.OneToOneRel):
                return True
        elif model_field.null:
            return True
    return False


def may_be_blank(field, chain) -> bool:
    """A choice field over a `blank=True` text column answers "" for rows without a choice."""
    if not isinstance(field, serializers.ChoiceField) or not chain:
        return False
    last = chain[-1]
    return isinstance(last, models.CharField | models.TextField) and last.blank


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if direction != "response" or not isinstance(field, serializers.Field):
            return super()._map_serializer_field(field, direction, bypass_extensions)
        chain = model_fields_behind(field)
        saved = field.allow_null, getattr(field, "allow_blank", None)
        try:
            if not field.allow_null and may_be_null(field, chain):
                field.allow_null = True
            if saved[1] is False and may_be_blank(field, chain):
                field.allow_blank = True
            return super()._map_serializer_field(field, direction, bypass_extensions)
        finally:
            field.allow_null = saved[0]
            if saved[1] is not None:
                field.allow_blank = saved[1]

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        hidden = {
            *getattr(serializer, "cost_fields", ()),
            *getattr(serializer, "role_hidden_fields", ()),
        }
        if direction == "response" and hidden and schema.get("required"):
            schema["required"] = [name for name in schema["required"] if name not in hidden]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _pages_and_filters(self) -> bool:
        action = getattr(self.view, "action", None)
        return action is None or action == "list"

    def get_filter_backends(self):
        return super().get_filter_backends() if self._pages_and_filters() else []

    def _get_paginator(self):
        return super()._get_paginator() if self._pages_and_filters() else None

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            component = self._error_component(code)
            responses[code] = {
                "content": {"application/json": {"schema": component.ref}},
                "description": ERROR_DESCRIPTIONS[code],
            }
        return responses

    def _error_codes(self) -> list[str]:
        method = self.method.upper()
        open_to_all = all(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )
        codes = []
        takes_query = any(p.get("in") == "query" for p in self._get_parameters())
        if method in WRITE_METHODS or takes_query:
            codes.append("400")
        if not open_to_all:
            codes += ["401", "403"]
        # No such record, a page past the last, and on any view an unknown `?format=`.
        codes.append("404")
        if method in WRITE_METHODS:
            codes.append("409")
        codes.append("429")
        return codes

    def _error_component(self, code: str) -> ResolvedComponent:
        name, schema = (
            (VALIDATION_ERROR_COMPONENT, VALIDATION_ERROR_SCHEMA)
            if code == "400"
            else (ERROR_COMPONENT, ERROR_SCHEMA)
        )
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component
