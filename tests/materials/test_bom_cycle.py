from materials.bom import describe_cycle, find_cycle


def test_no_cycle_in_a_tree():
    assert find_cycle({"F": ["S", "R"], "S": ["R"]}) is None


def test_cycle_is_named_in_order():
    cycle = find_cycle({"F": ["S"], "S": ["R"], "R": ["F"]})
    assert cycle == ["F", "S", "R", "F"]
    assert describe_cycle(cycle) == "BOM cycle: F -> S -> R -> F"


def test_deep_chain_does_not_overflow():
    chain = {f"I{i}": [f"I{i + 1}"] for i in range(5000)}
    assert find_cycle(chain) is None
    chain["I5000"] = ["I0"]
    assert find_cycle(chain)[0] == "I0"
