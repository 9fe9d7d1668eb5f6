"""The home page as a work queue: each app registers the panels of the roles it serves
(in its AppConfig.ready()), so the core never imports the apps above it.

A panel function takes (user, today) and answers a `Queue`: how many things wait, up to a
few of them with links, and where to see all. It runs a fixed, small number of queries
(a count and one LIMITed row query) whatever the size of the factory. It answers None to
hide the panel from this user altogether; an empty queue shows the panel's `empty` text.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from erp.roles import Role, has_role

ROWS = 5  # rows a panel lists; "see all" leads to the full page


@dataclass(frozen=True)
class Row:
    label: str  # the document or thing: an order number, a machine, a customer code
    url: str = ""
    detail: str = ""  # what it is about, in a few words
    figure: str = ""  # a number or date shown at the right
    tone: str = ""  # "danger" (late, overdue), "warning" (at risk) or ""


@dataclass(frozen=True)
class Queue:
    count: int
    rows: list[Row] = field(default_factory=list)
    see_all: str = ""  # the page listing all of them
    see_all_label: str = ""  # its name when not simply "See all"
    note: str = ""  # one line under the title, e.g. "as of the MRP run of 3 May"


PanelFunc = Callable[[object, dt.date], Queue | None]


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    func: PanelFunc
    roles: tuple[str, ...]
    order: int
    empty: str = ""


_PANELS: dict[str, Panel] = {}


def register_panel(
    roles: str | Iterable[str],
    key: str,
    title,
    func: PanelFunc,
    order: int = 100,
    empty="",
) -> None:
    """Show `func`'s queue, titled `title`, on the home page of `roles` (administrators see
    every panel). Registering the same key again replaces the panel (reloads, tests)."""
    roles = (roles,) if isinstance(roles, str) else tuple(roles)
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles for panel {key}: {sorted(unknown)}")
    _PANELS[key] = Panel(key=key, title=title, func=func, roles=roles, order=order, empty=empty)


def unregister_panel(key: str) -> None:
    _PANELS.pop(key, None)


def registered() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def panels_for(user, today: dt.date) -> list[dict]:
    """The panels `user` sees, in order, each with its queue."""
    shown = []
    for panel in registered():
        if not has_role(user, *panel.roles):
            continue
        queue = panel.func(user, today)
        if queue is None:
            continue
        shown.append({"key": panel.key, "title": panel.title, "empty": panel.empty, "queue": queue})
    return shown


def sees_only_own(user) -> bool:
    """A salesperson's queues list their own customers' work; a manager or administrator
    without the sales role sees everyone's."""
    from erp.roles import user_roles

    return Role.SALES.value in user_roles(user)
