"""BOM graph helpers shared by every writer of BOM lines (services, the workbook import)."""

from collections.abc import Iterable, Mapping


def find_cycle(children: Mapping[str, Iterable[str]]) -> list[str] | None:
    """Return one cycle as a path [a, b, ..., a] in a parent -> components graph, or None.

    Iterative depth-first search, so a 20-level BOM of thousands of items cannot overflow
    the stack.
    """
    WHITE, GREY, BLACK = 0, 1, 2
    colour: dict[str, int] = {}
    for root in list(children):
        if colour.get(root, WHITE) != WHITE:
            continue
        path: list[str] = [root]
        stack = [iter(children.get(root, ()))]
        colour[root] = GREY
        while stack:
            child = next(stack[-1], None)
            if child is None:
                colour[path.pop()] = BLACK
                stack.pop()
                continue
            state = colour.get(child, WHITE)
            if state == GREY:
                return path[path.index(child) :] + [child]
            if state == WHITE:
                colour[child] = GREY
                path.append(child)
                stack.append(iter(children.get(child, ())))
    return None


def describe_cycle(cycle: list[str]) -> str:
    return "BOM cycle: " + " -> ".join(cycle)
