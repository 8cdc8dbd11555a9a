"""The display order of an ordering question: shuffled uniformly over every order (the right one included),
so the order on the screen says nothing about the key. Deterministic: fixed seeds, fixed bounds."""

import math
import random
from collections import Counter
from itertools import permutations

import pytest

from quizzes import responses


def ordering(n: int) -> dict:
    return {"type": "ordering", "options": [{"id": 100 + i, "text": f"Langkah {i}"} for i in range(n)]}


def layouts(n: int, seeds: int) -> list[tuple]:
    data = ordering(n)
    return [
        tuple(responses.build_layout(data, shuffle=False, rng=random.Random(seed))["items"]) for seed in range(seeds)
    ]


def test_two_items_are_shown_either_way_about_equally_often():
    """Before: always the reverse of the right order, which is the right order read backwards."""
    shown = Counter(layouts(2, 4000))
    right = (100, 101)
    assert set(shown) == {right, (101, 100)}
    assert 0.46 < shown[right] / 4000 < 0.54


def test_three_items_every_order_appears_about_equally_often():
    shown = Counter(layouts(3, 6000))
    assert set(shown) == set(permutations((100, 101, 102)))  # the right order is possible
    for order, count in shown.items():
        assert 0.14 < count / 6000 < 0.195, (order, count)


@pytest.mark.parametrize("n", [5, 8, 12])
def test_many_items_each_lands_in_each_place_about_equally_often(n):
    seeds = 3000
    shown = layouts(n, seeds)
    if math.factorial(n) <= seeds:
        assert len(set(shown)) == math.factorial(n)  # every order, the right one included
    else:
        assert len(set(shown)) > seeds * 0.9  # nearly all different
    for item in range(100, 100 + n):
        places = Counter(order.index(item) for order in shown)
        for place in range(n):
            assert abs(places[place] / seeds - 1 / n) < 0.035, (item, place, places[place])
    # Nothing in the shown order points at the key: on average the items are as often in their right
    # place as chance says (one item per order).
    fixed = sum(sum(order[i] == 100 + i for i in range(n)) for order in shown) / seeds
    assert 0.9 < fixed < 1.1


def test_the_order_is_stable_for_one_attempt_and_shuffled_even_without_option_shuffling():
    data = ordering(6)
    first = responses.build_layout(data, shuffle=False, rng=random.Random(42))
    again = responses.build_layout(data, shuffle=False, rng=random.Random(42))
    assert first == again
    assert sorted(first["items"]) == [option["id"] for option in data["options"]]
    assert any(
        responses.build_layout(data, shuffle=False, rng=random.Random(seed))["items"] != first["items"]
        for seed in range(5)
    )


def test_one_item_is_shown_as_it_is():
    assert responses.build_layout(ordering(1), shuffle=True, rng=random.Random(0)) == {"items": [100]}
