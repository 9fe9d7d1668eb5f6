"""The portfolio optimizer against a brute-force answer on small cases (no database)."""

import itertools
import random
from decimal import Decimal

import pytest

from production.planning.portfolio import Candidate, fits, greedy, optimize

D = Decimal


def brute_force(candidates, capacity) -> tuple[int, Decimal]:
    """The best (key-customer lines taken, total income) over every subset that fits and
    honours the forced lines."""
    best = None
    keys = [c.key for c in candidates if c.force != "out"]
    forced = {c.key for c in candidates if c.force == "in"}
    by_key = {c.key: c for c in candidates}
    for size in range(len(keys) + 1):
        for subset in itertools.combinations(keys, size):
            chosen = set(subset)
            if not forced <= chosen or not fits(chosen, candidates, capacity):
                continue
            score = (
                sum(1 for k in chosen if by_key[k].key_account),
                sum((by_key[k].income for k in chosen), D(0)),
            )
            if best is None or score > best:
                best = score
    return best


def score(assignment, candidates):
    return (
        sum(1 for c in candidates if c.key in assignment.chosen and c.key_account),
        assignment.total(candidates),
    )


def random_case(rng: random.Random, n: int):
    machines = [1, 2, 3]
    weeks = 4
    capacity = {}
    for m in machines:
        weekly = D(rng.randrange(300, 900))
        capacity[m] = [weekly * (b + 1) for b in range(weeks)]
    candidates = []
    for k in range(n):
        load = {m: D(rng.randrange(50, 700)) for m in rng.sample(machines, rng.randint(1, 2))}
        candidates.append(
            Candidate(
                key=k,
                key_account=rng.random() < 0.3,
                income=D(rng.randrange(-50, 1000)),
                bucket=rng.randrange(weeks),
                load=load,
                force=rng.choice(["", "", "", "", "out"]),
            )
        )
    return candidates, capacity


@pytest.mark.parametrize("seed", range(25))
def test_the_optimizer_finds_the_brute_force_optimum(seed):
    rng = random.Random(seed)
    candidates, capacity = random_case(rng, rng.randint(4, 11))
    assignment = optimize(candidates, capacity, time_limit=10)
    assert fits(assignment.chosen, candidates, capacity)
    assert not {c.key for c in candidates if c.force == "out"} & assignment.chosen
    assert score(assignment, candidates) == brute_force(candidates, capacity)
    assert assignment.solver == "highs"


def test_key_customers_first_even_at_lower_income():
    capacity = {1: [D(100)]}
    candidates = [
        Candidate(1, key_account=True, income=D(10), bucket=0, load={1: D(100)}),
        Candidate(2, key_account=False, income=D(1000), bucket=0, load={1: D(100)}),
    ]
    assert optimize(candidates, capacity).chosen == {1}
    assert greedy(candidates, capacity).chosen == {1}


def test_due_dates_respected_week_by_week():
    # 100 minutes a week: two lines of 100 due in week 1 cannot both be made by then,
    # although the month (200 minutes by week 2) would hold them.
    capacity = {1: [D(100), D(200)]}
    candidates = [
        Candidate(1, False, D(50), 0, {1: D(100)}),
        Candidate(2, False, D(60), 0, {1: D(100)}),
        Candidate(3, False, D(10), 1, {1: D(100)}),
    ]
    assignment = optimize(candidates, capacity)
    assert assignment.chosen == {2, 3}


def test_forced_lines_are_taken_or_reported():
    capacity = {1: [D(100)]}
    candidates = [
        Candidate(1, False, D(50), 0, {1: D(60)}, force="in"),
        Candidate(2, False, D(90), 0, {1: D(60)}),
    ]
    assert optimize(candidates, capacity).chosen == {1}
    both = [
        Candidate(1, False, D(50), 0, {1: D(60)}, force="in"),
        Candidate(2, False, D(90), 0, {1: D(60)}, force="in"),
    ]
    assignment = optimize(both, capacity)
    assert assignment.solver == "greedy" and len(assignment.forced_misfits) == 1


def test_greedy_fallback_is_feasible_and_close():
    rng = random.Random(99)
    candidates, capacity = random_case(rng, 10)
    fallback = greedy(candidates, capacity)
    assert fits(fallback.chosen, candidates, capacity)
    assert score(fallback, candidates) <= brute_force(candidates, capacity)
