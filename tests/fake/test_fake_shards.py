"""`gxschema fake` in pieces: any split of a table's units gives exactly its rows.

Worker processes generate the pieces of a table side by side (`TableSpec.pieces`),
so the rows of consecutive pieces, concatenated, must be the rows of the table in
one go, in the same order. No database: only the generators run.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest

from gxschema.fake import FakeOptions, TableSpec, build_plan, make_pools
from gxschema.fake.core import Row
from gxschema.fake.pools import Pools

UNSHARDED: frozenset[str] = frozenset()
"""The tables generated in one piece (their generators carry state from unit to unit)."""
SMALL = 2000
"""A table without `shard` must stay under this many rows at 100,000 users."""


@pytest.fixture(scope="module")
def pools() -> Pools:
    return make_pools(1)


def _rows(spec: TableSpec, bounds: list[tuple[int, int]]) -> list[Row]:
    return [row for start, stop in bounds for row in spec.piece(start, stop)]


def _splits(spec: TableSpec) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    for rows_per_piece in (1, 3, 17, 10**9):
        yield f"pieces({rows_per_piece})", spec.pieces(rows_per_piece)
    if spec.shard is None:
        return
    # finer than `pieces` can ask for: one unit each, and pieces of 1, 2, 3, ... units
    yield "one unit each", [(unit, unit + 1) for unit in range(spec.units)]
    bounds, size = [0], 1
    while bounds[-1] < spec.units:
        bounds.append(min(spec.units, bounds[-1] + size))
        size += 1
    yield "growing", list(pairwise(bounds))


@pytest.mark.parametrize(
    ("users", "per_user", "tenants"),
    [
        (1, 0, 1),
        (1, 1, 1),
        (2, 3, 2),
        (3, 1, 3),
        (7, 0, 3),
        (7, 1, 1),
        (7, 3, 3),
        (41, 0, 1),
        (41, 1, 3),
        (41, 3, 1),
        (41, 3, 3),
        # several organisations, in tenants too small for their members (3 users each)
        (120, 1, 40),
        (203, 2, 7),
    ],
)
def test_pieces_concatenated_are_the_table(
    pools: Pools, users: int, per_user: int, tenants: int
) -> None:
    options = FakeOptions(users=users, transactions_per_user=per_user, tenants=tenants)
    for spec in build_plan(options, pools):
        whole = list(spec.rows())
        assert len(whole) == spec.count, spec.table
        for name, bounds in _splits(spec):
            if spec.shard is not None and bounds:  # no bounds: a table of no units
                # consecutive, from the first unit to the last
                assert [start for start, _stop in bounds[1:]] == [stop for _s, stop in bounds[:-1]]
                assert bounds[0][0] == 0, (spec.table, name)
                assert bounds[-1][1] == max(1, spec.units), (spec.table, name)
            assert _rows(spec, bounds) == whole, (spec.table, name)


def test_only_small_tables_are_generated_in_one_piece(pools: Pools) -> None:
    """A table without `shard` is one worker's job: it must stay small (counts only)."""
    specs = build_plan(FakeOptions(users=100_000), pools)
    assert {spec.table for spec in specs if spec.shard is None} == UNSHARDED
    for spec in specs:
        if spec.shard is None:
            assert spec.count < SMALL, spec.table
        else:
            assert spec.units >= 1, spec.table
            assert len(spec.pieces(5000)) >= min(spec.units, spec.count // 5000), spec.table
