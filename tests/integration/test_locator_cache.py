"""The locator built from the database, and its rebuild when the area map's version changes."""

import threading
import time

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

from services.area_version import bump_area_version, current_area_version
from services.geo import locator_cache
from services.geo.locator import LocateStatus, SpatialIndex
from services.geo.locator_cache import LocatorCache
from tests.geo_factories import CELL, ORIGIN_LAT, ORIGIN_LNG, cell, make_shaped_area, set_shape
from tests.geo_factories import make_shaped_tree as tree_with_shapes


def centre(col: int, row: int) -> tuple[float, float]:
    return ORIGIN_LNG + (col + 0.5) * CELL, ORIGIN_LAT + (row + 0.5) * CELL


@pytest.fixture
def areas(session):
    return tree_with_shapes(session)


@pytest.fixture
def cache():
    return LocatorCache(max_distance_m=100)


def test_grids_from_the_database_locate_points_with_their_ancestors(session, areas, cache):
    loc = cache.get(session).locate(*centre(1, 1))
    assert (loc.status, loc.area.code) == (LocateStatus.GRID, areas["grid4"].code)
    assert loc.area.id == areas["grid4"].id
    assert loc.area.name == "第4网格"
    assert [(a.code, a.name, a.level) for a in loc.ancestors] == [
        (areas[k].code, areas[k].name, areas[k].level)
        for k in ("city", "district", "street", "community")
    ]


def test_unassigned_points_go_to_the_deepest_enclosing_area_from_the_database(
    session, areas, cache
):
    index = cache.get(session)
    assert index.locate(*centre(2, 2)).area.code == areas["community"].code
    assert index.locate(*centre(4, 1)).area.code == areas["street"].code
    assert index.locate(*centre(-5, 5)).area.code == areas["district"].code
    assert index.locate(118.48, 34.08).area.code == areas["city"].code
    assert index.locate(118.6, 34.0).status is LocateStatus.OUTSIDE


def test_retired_and_deactivated_grids_are_ignored(session, areas, cache):
    make_shaped_area(session, "321302001001009", cell(4, 0), parent=areas["street"], retired=True)
    off = make_shaped_area(session, "321302001001008", cell(4, 2), parent=areas["street"])
    off.active = False
    session.flush()
    index = cache.get(session)
    for point in (centre(4, 0), centre(4, 2)):
        loc = index.locate(*point)
        assert (loc.status, loc.area.code) == (LocateStatus.UNASSIGNED, areas["street"].code)
    assert index.grid_count == 4


def test_areas_without_a_polygon_are_left_out(session, areas, cache):
    make_shaped_area(session, "321302001001007", None, parent=areas["community"])
    make_shaped_area(session, "321302001001006", Point(*centre(2, 0)), parent=areas["community"])
    index = cache.get(session)
    assert index.grid_count == 4
    assert index.locate(*centre(2, 0)).status is LocateStatus.UNASSIGNED


def test_multipolygon_grid_with_a_hole_from_the_database(session, areas, cache):
    ring = Polygon(
        [(118.40, 33.95), (118.43, 33.95), (118.43, 33.98), (118.40, 33.98)],
        [[(118.41, 33.96), (118.42, 33.96), (118.42, 33.97), (118.41, 33.97)]],
    )
    islet = Polygon([(118.44, 33.95), (118.445, 33.95), (118.445, 33.955), (118.44, 33.955)])
    grid = make_shaped_area(
        session, "321302001001010", MultiPolygon([ring, islet]), parent=areas["community"]
    )
    index = cache.get(session)
    assert index.locate(118.405, 33.955).area.code == grid.code
    assert index.locate(118.4425, 33.9525).area.code == grid.code
    hole = index.locate(118.415, 33.965)
    assert (hole.status, hole.area.code) == (LocateStatus.UNASSIGNED, areas["district"].code)


def test_index_is_reused_while_the_version_is_unchanged(session, areas, cache):
    first = cache.get(session)
    assert cache.get(session) is first
    assert cache.builds == 1


def test_index_is_rebuilt_after_another_process_changes_areas_and_bumps(
    session_factory, areas, cache
):
    with session_factory() as reader:
        before = cache.get(reader)
        assert before.locate(*centre(3, 0)).status is LocateStatus.UNASSIGNED
    # Another process (another session, another cache) moves grid 2 and commits with a bump.
    other_process_cache = LocatorCache()
    with session_factory() as writer:
        grid = writer.get(type(areas["grid2"]), areas["grid2"].id)
        other_process_cache.get(writer)
        set_shape(grid, cell(3, 0))
        bump_area_version(writer)
        writer.commit()
    with session_factory() as reader:
        after = cache.get(reader)
        assert after is not before and after.version == current_area_version(reader)
        moved = after.locate(*centre(3, 0))
        assert (moved.status, moved.area.code) == (LocateStatus.GRID, areas["grid2"].code)
        assert after.locate(*centre(1, 0)).status is not LocateStatus.GRID
        # The other process's cache follows too.
        assert other_process_cache.get(reader).locate(*centre(3, 0)).area.code == grid.code
    assert cache.builds == 2


def test_change_without_a_bump_is_not_seen(session, areas, cache):
    cache.get(session)
    set_shape(areas["grid2"], cell(3, 0))
    session.flush()
    assert cache.get(session).locate(*centre(3, 0)).status is LocateStatus.UNASSIGNED
    bump_area_version(session)
    session.flush()
    assert cache.get(session).locate(*centre(3, 0)).status is LocateStatus.GRID


def test_retiring_a_grid_takes_effect_after_the_bump(session, areas, cache):
    assert cache.get(session).locate(*centre(0, 0)).area.code == areas["grid1"].code
    areas["grid1"].active = False
    bump_area_version(session)
    session.flush()
    loc = cache.get(session).locate(*centre(0, 0))
    assert (loc.status, loc.area.code) == (LocateStatus.UNASSIGNED, areas["community"].code)


def test_concurrent_users_of_a_stale_cache_trigger_a_single_rebuild(monkeypatch):
    builds = []

    def slow_build(_session, *, version, max_distance_m):
        builds.append(version)
        time.sleep(0.05)
        return SpatialIndex([], [], version=version, max_distance_m=max_distance_m)

    monkeypatch.setattr(locator_cache, "current_area_version", lambda _session: 7)
    monkeypatch.setattr(locator_cache, "build_index", slow_build)
    cache = LocatorCache()
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(cache.get(None))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == [7]
    assert len({id(index) for index in seen}) == 1
