"""The base of every master-data endpoint: role permissions, filters, lookups by code, and
writes that go through a service (the viewset only translates)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, viewsets

from erp.api.filters import SearchFilter
from erp.api.permissions import ModelPermissions


@dataclass(frozen=True)
class Writes:
    """The services behind a viewset's POST, PUT/PATCH and DELETE.

    create(user=..., **validated_data) -> record
    update(<instance>=record, user=..., **validated_data) -> record
    delete(<instance>=record, user=...) -> None
    """

    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., None]
    instance: str  # the keyword the update and delete services take the record by


class MasterDataViewSet(viewsets.ModelViewSet):
    permission_classes = [ModelPermissions]
    filter_backends = [DjangoFilterBackend, SearchFilter, filters.OrderingFilter]
    # Codes may contain dots ("M6.5"); only a slash cannot be addressed in a URL.
    lookup_value_regex = "[^/]+"
    writes: Writes

    def perform_create(self, serializer) -> None:
        serializer.instance = self.writes.create(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = self.writes.update(
            **{self.writes.instance: serializer.instance},
            user=self.request.user,
            **serializer.validated_data,
        )

    def perform_destroy(self, instance) -> None:
        self.writes.delete(**{self.writes.instance: instance}, user=self.request.user)
