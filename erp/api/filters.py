"""Filter backends shared by every list endpoint."""

from rest_framework import filters
from rest_framework.exceptions import ValidationError


class SearchFilter(filters.SearchFilter):
    """`?search=` on the view's `search_fields`; a NUL character (which PostgreSQL refuses in
    any text) is dropped instead of turning a client's typo into a server error. A term DRF
    refuses (a control character, erp/text.py) is a 400 naming the parameter, like any
    other field: `{"search": ["..."]}`, not a bare list."""

    def get_search_terms(self, request) -> list[str]:
        try:
            terms = super().get_search_terms(request)
        except ValidationError as refused:
            raise ValidationError({self.search_param: refused.detail}) from None
        terms = [term.replace("\x00", "") for term in terms]
        return [term for term in terms if term]
