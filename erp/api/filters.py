"""Filter backends shared by every list endpoint."""

from rest_framework import filters


class SearchFilter(filters.SearchFilter):
    """`?search=` on the view's `search_fields`; a NUL character (which PostgreSQL refuses in
    any text) is dropped instead of turning a client's typo into a server error."""

    def get_search_terms(self, request) -> list[str]:
        terms = [term.replace("\x00", "") for term in super().get_search_terms(request)]
        return [term for term in terms if term]
