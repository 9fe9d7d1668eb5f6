"""Serializer pieces every app's API shares: foreign keys by code, who-and-when, cost
fields only for people who may see costs."""

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from rest_framework import exceptions, serializers

from erp.roles import can_see_costs

AUDIT_FIELDS = ("updated_at", "updated_by")


class CodeRelatedField(serializers.SlugRelatedField):
    """A foreign key written and read as the related record's code (or another unique slug):
    `"component": "R1"`. An unknown code is a 400 naming the code."""

    default_error_messages = {
        "does_not_exist": "No {model} with {slug_name} “{value}”.",
        "invalid": "Expected a {slug_name} (text).",
        "null_character": "Null characters are not allowed.",
    }

    def __init__(self, slug_field: str = "code", **kwargs):
        super().__init__(slug_field=slug_field, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid", slug_name=self.slug_field)
        if isinstance(data, str) and "\x00" in data:
            self.fail("null_character")
        queryset = self.get_queryset()
        try:
            return queryset.get(**{self.slug_field: data})
        except queryset.model.DoesNotExist:
            self.fail(
                "does_not_exist",
                model=queryset.model._meta.verbose_name,
                slug_name=self.slug_field,
                value=data,
            )
        except (TypeError, ValueError):
            self.fail("invalid", slug_name=self.slug_field)


def user_by_username_field(**kwargs) -> CodeRelatedField:
    return CodeRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True), **kwargs
    )


class AuditedModelSerializer(serializers.ModelSerializer):
    # When a record was last changed and by whom (read-only). No docstring: the OpenAPI
    # schema would show it as every subclass's description.

    updated_at = serializers.DateTimeField(read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)


class HiddenCostsMixin:
    """Put before a Serializer class. `cost_fields` appear only for users who may see costs
    (erp.roles.can_see_costs: managers and administrators); anyone else who sends one is
    refused with 403, so a cost never changes behind a manager's back. The OpenAPI schema
    documents the fields."""

    cost_fields: tuple[str, ...] = ()
    costs_refused_message = "Only managers and administrators may see or set costs ({fields})."

    def sees_costs(self) -> bool:
        if getattr(self.context.get("view"), "swagger_fake_view", False):
            return True  # building the OpenAPI schema
        request = self.context.get("request")
        return request is not None and can_see_costs(request.user)

    def get_fields(self):
        fields = super().get_fields()
        if self.cost_fields and not self.sees_costs():
            for name in self.cost_fields:
                fields.pop(name, None)
        return fields

    def to_internal_value(self, data):
        if self.cost_fields and isinstance(data, Mapping) and not self.sees_costs():
            sent = sorted(set(self.cost_fields) & set(data))
            if sent:
                raise exceptions.PermissionDenied(
                    self.costs_refused_message.format(fields=", ".join(sent))
                )
        return super().to_internal_value(data)
