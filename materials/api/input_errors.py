"""A 400 for a body that does not have the documented shape: the field messages (as DRF
gives them) plus `detail`, one sentence naming every bad field, so a client can rely on
`detail` for every refusal (CONTRACT.md section 7)."""

from rest_framework import status
from rest_framework.response import Response

MAX_DETAIL = 1000


def _flatten(errors, path: str = "") -> list[str]:
    if isinstance(errors, dict):
        return [m for key, value in errors.items() for m in _flatten(value, _join(path, key))]
    if isinstance(errors, list):
        if all(not isinstance(e, dict | list) for e in errors):
            return [f"{path}: {e}" if path else str(e) for e in errors]
        return [m for n, value in enumerate(errors) for m in _flatten(value, f"{path}[{n}]")]
    return [f"{path}: {errors}" if path else str(errors)]


def _join(path: str, key) -> str:
    if isinstance(key, int):  # a row of a list (DRF keys list errors by index)
        return f"{path}[{key}]"
    if key == "non_field_errors":
        return path
    return f"{path}.{key}" if path else str(key)


def invalid_input(errors) -> Response:
    """Answer 400 with `errors` (a serializer's) and a `detail` summing them up."""
    body = dict(errors) if isinstance(errors, dict) else {"non_field_errors": errors}
    detail = "; ".join(_flatten(errors)) or "The request is not valid."
    body["detail"] = detail[:MAX_DETAIL]
    return Response(body, status=status.HTTP_400_BAD_REQUEST)
