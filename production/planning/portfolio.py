"""The key-customer monthly portfolio's optimizer. Pure: no database.

Which candidate order lines to make this month. Each candidate puts a load (minutes) on
machines and brings a marginal income. The assignment:
1. respects capacity and due dates: for every machine and every week of the month, the
   load of the chosen lines due by the end of that week fits the machine's capacity from
   the month's start to then (so an earliest-due-first schedule meets every due date);
2. takes key-customer orders first: as many as fit;
3. among those, maximizes the total marginal income;
4. honours requests: a line forced in is taken, a line forced out is not (a set of forced
   lines that cannot all fit is reported, not silently dropped).

Solved as a 0/1 integer program with HiGHS (highspy), in two stages (key-customer count,
then income with that count fixed). The solver works in binary floating point; every
answer is checked again in exact decimals, and a greedy assignment (key customers first,
then income per bottleneck hour) is used if the solver is missing, times out without a
solution, or answers something that does not fit.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)
EXACT_UP_TO = 200  # candidates; above, the solver may stop within 0.1 % of the optimum


@dataclass(frozen=True)
class Candidate:
    key: int  # the order line id
    key_account: bool
    income: Decimal  # marginal income
    bucket: int  # the week of the month it is due in (0 = first; overdue lines too)
    load: dict[int, Decimal]  # machine id -> minutes
    force: str = ""  # "in", "out" or ""
    tiebreak: tuple = ()


@dataclass
class Assignment:
    chosen: set[int]
    solver: str  # "highs", "highs (not proven optimal)", "greedy"
    seconds: float
    forced_misfits: set[int] = field(default_factory=set)  # forced in, but cannot all fit

    def total(self, candidates: Sequence[Candidate]) -> Decimal:
        return sum((c.income for c in candidates if c.key in self.chosen), ZERO)


Capacity = dict[int, list[Decimal]]  # machine id -> cumulative minutes at each week's end


def fits(chosen: set[int], candidates: Sequence[Candidate], capacity: Capacity) -> bool:
    """Exact check of the capacity-and-due-date rows."""
    buckets = max((len(c) for c in capacity.values()), default=0)
    used: dict[int, list[Decimal]] = {m: [ZERO] * buckets for m in capacity}
    for c in candidates:
        if c.key not in chosen:
            continue
        for machine, minutes in c.load.items():
            if minutes <= 0:
                continue
            if machine not in used:
                return False
            for b in range(min(c.bucket, buckets - 1), buckets):
                used[machine][b] += minutes
    return all(used[m][b] <= capacity[m][b] for m in capacity for b in range(len(capacity[m])))


def bottleneck(candidates: Sequence[Candidate], capacity: Capacity) -> int | None:
    demand: dict[int, Decimal] = {}
    for c in candidates:
        for machine, minutes in c.load.items():
            demand[machine] = demand.get(machine, ZERO) + minutes
    best, best_ratio = None, Decimal(-1)
    for machine in sorted(demand):
        total = capacity.get(machine, [ZERO])[-1] if capacity.get(machine) else ZERO
        ratio = demand[machine] / total if total > 0 else Decimal("Infinity")
        if demand[machine] > 0 and ratio > best_ratio:
            best, best_ratio = machine, ratio
    return best


def income_per_hour(c: Candidate, machine: int | None) -> Decimal | None:
    minutes = c.load.get(machine, ZERO) if machine is not None else ZERO
    return c.income / (minutes / 60) if minutes > 0 else None


def greedy(candidates: Sequence[Candidate], capacity: Capacity) -> Assignment:
    """Forced lines first, then key customers, then income per bottleneck hour (lines not
    using the bottleneck first), then income; each taken if it still fits."""
    began = time.monotonic()
    neck = bottleneck(candidates, capacity)

    def rank(c: Candidate) -> tuple:
        per_hour = income_per_hour(c, neck)
        return (
            c.force != "in",
            not c.key_account,
            per_hour is not None,
            -(per_hour if per_hour is not None else c.income),
            c.bucket,
            c.tiebreak,
            c.key,
        )

    chosen: set[int] = set()
    misfits: set[int] = set()
    for c in sorted((c for c in candidates if c.force != "out"), key=rank):
        if c.income <= 0 and not c.key_account and c.force != "in":
            continue
        if fits(chosen | {c.key}, candidates, capacity):
            chosen.add(c.key)
        elif c.force == "in":
            misfits.add(c.key)
    return Assignment(chosen, "greedy", time.monotonic() - began, misfits)


def optimize(
    candidates: Sequence[Candidate], capacity: Capacity, *, time_limit: float = 10.0
) -> Assignment:
    """The best assignment (see the module's docstring); greedy when HiGHS cannot say."""
    began = time.monotonic()
    forced = {c.key for c in candidates if c.force == "in"}
    if forced and not fits(forced, candidates, capacity):
        fallback = greedy(candidates, capacity)
        fallback.seconds = time.monotonic() - began
        return fallback
    try:
        chosen, proven = _solve(candidates, capacity, time_limit)
    except ImportError:  # highspy is not installed
        chosen, proven = None, False
    if chosen is None or not fits(chosen, candidates, capacity):
        fallback = greedy(candidates, capacity)
        fallback.seconds = time.monotonic() - began
        return fallback
    solver = "highs" if proven else "highs (not proven optimal)"
    return Assignment(chosen, solver, time.monotonic() - began)


def _solve(
    candidates: Sequence[Candidate], capacity: Capacity, time_limit: float
) -> tuple[set[int] | None, bool]:
    import highspy
    import numpy as np

    n = len(candidates)
    if n == 0:
        return set(), True
    rows: list[tuple[int, int]] = []  # (machine, bucket)
    row_of: dict[tuple[int, int], int] = {}
    for machine in sorted(capacity):
        for b in range(len(capacity[machine])):
            row_of[(machine, b)] = len(rows)
            rows.append((machine, b))
    columns: list[list[tuple[int, float]]] = []
    for c in candidates:
        column: list[tuple[int, float]] = []
        for machine, minutes in c.load.items():
            if minutes <= 0:
                continue
            if machine not in capacity:
                return None, False
            for b in range(min(c.bucket, len(capacity[machine]) - 1), len(capacity[machine])):
                column.append((row_of[(machine, b)], float(minutes)))
        columns.append(sorted(column))
    upper = np.array([float(capacity[m][b]) for m, b in rows], dtype=float)

    def model(costs: list[float], extra: tuple[list[float], float] | None):
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = len(rows) + (1 if extra else 0)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = np.array(costs, dtype=float)
        lp.col_lower_ = np.array([1.0 if c.force == "in" else 0.0 for c in candidates])
        lp.col_upper_ = np.array([0.0 if c.force == "out" else 1.0 for c in candidates])
        lower = [-highspy.kHighsInf] * len(rows)
        uppers = list(upper)
        starts, index, value = [0], [], []
        for j, column in enumerate(columns):
            for r, v in column:
                index.append(r)
                value.append(v)
            if extra:
                index.append(len(rows))
                value.append(extra[0][j])
            starts.append(len(index))
        if extra:
            lower.append(extra[1])
            uppers.append(highspy.kHighsInf)
        lp.row_lower_ = np.array(lower, dtype=float)
        lp.row_upper_ = np.array(uppers, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value, dtype=float)
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        return lp

    def run(lp, seconds: float):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", max(0.1, seconds))
        # exact on small cases; within 0.1 % of the optimum on large ones (seconds, not
        # minutes, for a thousand lines)
        h.setOptionValue("mip_rel_gap", 0.0 if n <= EXACT_UP_TO else 1e-3)
        h.passModel(lp)
        h.run()
        status = h.getModelStatus()
        if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
            return None, False
        info = h.getInfo()
        if info.primal_solution_status != 2:  # no feasible solution found
            return None, False
        values = h.getSolution().col_value
        return [v > 0.5 for v in values], status == highspy.HighsModelStatus.kOptimal

    deadline = time.monotonic() + time_limit
    key_costs = [1.0 if c.key_account else 0.0 for c in candidates]
    first, proven_first = run(model(key_costs, None), time_limit / 2)
    if first is None:
        return None, False
    keys_taken = sum(1 for c, x in zip(candidates, first, strict=True) if x and c.key_account)
    incomes = [float(c.income) for c in candidates]
    second, proven_second = run(
        model(incomes, (key_costs, keys_taken - 0.5)), deadline - time.monotonic()
    )
    chosen_flags = second if second is not None else first
    chosen = {c.key for c, x in zip(candidates, chosen_flags, strict=True) if x}
    # A line with no income left in by the solver (zero cost, free capacity) is dropped
    # unless it is a key customer's or forced: nothing is promised for nothing.
    chosen = {
        c.key
        for c in candidates
        if c.key in chosen and (c.income > 0 or c.key_account or c.force == "in")
    }
    return chosen, proven_first and proven_second and second is not None
