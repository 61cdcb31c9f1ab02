"""The demo city is a plausible map: 200+ grids tiling it exactly, with workers on duty."""

import re

import pytest
from shapely.strtree import STRtree
from sqlalchemy import func, select

from services.area_version import current_area_version
from services.models import Area, AreaLevel, GridAssignment, User
from services.seed import seed_demo
from services.seed_city import plan_city

LEVEL_CODE_LENGTH = {
    AreaLevel.CITY: 6,
    AreaLevel.DISTRICT: 6,
    AreaLevel.STREET: 9,
    AreaLevel.COMMUNITY: 12,
    AreaLevel.GRID: 15,
}


@pytest.fixture(scope="module")
def plan():
    return plan_city()


def test_the_plan_has_two_districts_and_at_least_200_grids(plan):
    levels = [p.level for p in plan]
    assert levels.count(AreaLevel.DISTRICT) >= 2
    assert levels.count(AreaLevel.GRID) >= 200


def test_codes_have_the_right_length_and_extend_their_parent(plan):
    codes = {p.code for p in plan}
    assert len(codes) == len(plan)
    for p in plan:
        assert re.fullmatch(r"\d+", p.code)
        assert len(p.code) == LEVEL_CODE_LENGTH[p.level]
        if p.level in (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID):
            assert p.code.startswith(p.parent_code)


def test_grids_do_not_overlap_and_cover_the_city_exactly(plan):
    grids = [p.shape for p in plan if p.level is AreaLevel.GRID]
    tree = STRtree(grids)
    for i, grid in enumerate(grids):
        assert grid.is_valid
        for j in tree.query(grid):
            if j != i:
                assert grid.intersection(grids[j]).area < 1e-12
    city = plan[0].shape
    assert abs(sum(g.area for g in grids) - city.area) < 1e-9


def test_every_child_lies_inside_its_parent(plan):
    shapes = {p.code: p.shape for p in plan}
    for p in plan:
        if p.parent_code:
            assert p.shape.difference(shapes[p.parent_code]).area < 1e-12


def test_seed_stores_shapes_assigns_workers_and_is_idempotent(session, hasher):
    before = current_area_version(session)
    seed_demo(session, hasher=hasher)
    grids = session.scalars(select(Area).where(Area.level == AreaLevel.GRID)).all()
    assert len(grids) >= 200
    for grid in grids[:20]:
        assert grid.geometry["type"] == "Polygon"
        assert grid.min_lng < grid.centroid_lng < grid.max_lng
        assert grid.min_lat < grid.centroid_lat < grid.max_lat
    assert current_area_version(session) == before + 1

    covered = set(
        session.scalars(select(GridAssignment.area_id).where(GridAssignment.ended_at.is_(None)))
    )
    assert {g.id for g in grids} <= covered
    for assignment in session.scalars(select(GridAssignment)).all()[:50]:
        worker = session.get(User, assignment.user_id)
        assert assignment.area.path.startswith(worker.area.path)

    counts = (
        session.scalar(select(func.count()).select_from(Area)),
        session.scalar(select(func.count()).select_from(User)),
        session.scalar(select(func.count()).select_from(GridAssignment)),
    )
    seed_demo(session, hasher=hasher)
    assert counts == (
        session.scalar(select(func.count()).select_from(Area)),
        session.scalar(select(func.count()).select_from(User)),
        session.scalar(select(func.count()).select_from(GridAssignment)),
    )
    assert current_area_version(session) == before + 1
