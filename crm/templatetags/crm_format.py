"""People as the pages name them."""

from django import template

register = template.Library()


@register.filter
def who(user) -> str:
    """Full name, else username; "—" for nobody."""
    if user is None or not getattr(user, "pk", None):
        return "—"
    return user.get_full_name() or user.username
