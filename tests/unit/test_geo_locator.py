"""The spatial index's rules, on shapes built in memory (no database)."""

import uuid

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Polygon, box

from services.geo.coords import haversine_m
from services.geo.locator import AreaRef, LocateStatus, SpatialIndex
from services.models.areas import AreaLevel

CITY = "321300"
COMMUNITY_PATH = "/321300/321302/321302001/321302001001/"
X0, Y0 = 118.30, 33.90
D = 0.01  # grid cell size in degrees


def ref(code: str, path: str, level: AreaLevel) -> AreaRef:
    return AreaRef(uuid.uuid4(), code, f"区域{code}", level, path)


def grid_ref(n: int) -> AreaRef:
    code = f"321302001001{n:03d}"
    return ref(code, f"{COMMUNITY_PATH}{code}/", AreaLevel.GRID)


def cell(col: int, row: int) -> Polygon:
    return box(X0 + col * D, Y0 + row * D, X0 + (col + 1) * D, Y0 + (row + 1) * D)


@pytest.fixture
def city_ref():
    return ref(CITY, f"/{CITY}/", AreaLevel.CITY)


@pytest.fixture
def community_ref():
    return ref("321302001001", COMMUNITY_PATH, AreaLevel.COMMUNITY)


@pytest.fixture
def lattice(city_ref, community_ref):
    """Four grids in a 2x2 block, numbered so that the *larger* code is listed first (the index
    must not depend on input order): 4 (0,0), 3 (1,0), 2 (0,1), 1 (1,1)."""
    grids = [(grid_ref(4), cell(0, 0)), (grid_ref(3), cell(1, 0))]
    grids += [(grid_ref(2), cell(0, 1)), (grid_ref(1), cell(1, 1))]
    areas = [
        (city_ref, box(X0 - 1, Y0 - 1, X0 + 1, Y0 + 1)),
        (community_ref, box(X0, Y0, X0 + 5 * D, Y0 + 5 * D)),
    ]
    district = ref("321302", "/321300/321302/", AreaLevel.DISTRICT)
    street = ref("321302001", "/321300/321302/321302001/", AreaLevel.STREET)
    known = {r.code: r for r in (city_ref, community_ref, district, street)}
    return SpatialIndex(grids, areas, all_areas=known, max_distance_m=100)


def codes_of(index: SpatialIndex, points):
    lngs, lats = zip(*points, strict=True)
    return [loc.area.code if loc.area else None for loc in index.locate_many(lngs, lats)]


def test_point_inside_one_grid_is_in_that_grid(lattice):
    loc = lattice.locate(X0 + 0.5 * D, Y0 + 0.5 * D)
    assert loc.status is LocateStatus.GRID
    assert loc.area.code == "321302001001004"
    assert loc.distance_m is None


def test_ancestors_run_from_the_city_down_to_the_parent(lattice):
    loc = lattice.locate(X0 + 0.5 * D, Y0 + 0.5 * D)
    assert [a.code for a in loc.ancestors] == ["321300", "321302", "321302001", "321302001001"]
    assert [a.level for a in loc.ancestors] == [
        AreaLevel.CITY,
        AreaLevel.DISTRICT,
        AreaLevel.STREET,
        AreaLevel.COMMUNITY,
    ]


def test_point_on_an_outer_boundary_belongs_to_the_grid(lattice):
    loc = lattice.locate(X0, Y0 + 0.5 * D)  # the west edge of grid 4, shared with no grid
    assert (loc.status, loc.area.code) == (LocateStatus.GRID, "321302001001004")


def test_shared_edge_of_two_grids_goes_to_the_smaller_code(lattice):
    # Between grid 4 (0,0) and grid 3 (1,0): 3 is smaller.
    point = (X0 + D, Y0 + 0.5 * D)
    assert lattice.locate(*point).area.code == "321302001001003"
    assert codes_of(lattice, [point]) == ["321302001001003"]


def test_shared_vertex_of_four_grids_goes_to_the_smallest_code(lattice):
    point = (X0 + D, Y0 + D)
    assert lattice.locate(*point).area.code == "321302001001001"
    assert codes_of(lattice, [point]) == ["321302001001001"]


def test_shared_vertex_of_two_grids_goes_to_the_smaller_code(lattice):
    point = (X0 + D, Y0)  # the bottom corner between grids 4 and 3
    assert lattice.locate(*point).area.code == "321302001001003"


def test_border_answer_does_not_depend_on_the_order_grids_were_loaded(city_ref):
    grids = [(grid_ref(1), cell(0, 0)), (grid_ref(2), cell(1, 0))]
    for order in (grids, grids[::-1]):
        index = SpatialIndex(order, [(city_ref, box(117, 33, 119, 35))])
        assert index.locate(X0 + D, Y0 + 0.5 * D).area.code == "321302001001001"


def test_point_in_no_grid_but_close_goes_to_the_nearest_grid_with_its_distance(lattice):
    # 0.0005 degrees east of grid 3 at 33.905N: about 46 m.
    lng, lat = X0 + 2 * D + 0.0005, Y0 + 0.5 * D
    loc = lattice.locate(lng, lat)
    assert (loc.status, loc.area.code) == (LocateStatus.NEAREST, "321302001001003")
    assert loc.distance_m == pytest.approx(haversine_m(lng, lat, X0 + 2 * D, lat), rel=5e-3)


def test_distance_is_measured_in_metres_not_degrees(city_ref):
    # One grid to the west at 0.0009 degrees of longitude (~83 m at 33.9N) and one to the north
    # at 0.0008 degrees of latitude (~89 m). In degrees north is nearer; in metres west is.
    x, y = X0 + 0.5, Y0 + 0.5
    west = (grid_ref(1), box(x - 0.01, y - 0.005, x - 0.0009, y + 0.005))
    north = (grid_ref(2), box(x - 0.005, y + 0.0008, x + 0.005, y + 0.01))
    index = SpatialIndex([west, north], [(city_ref, box(117, 33, 120, 35))])
    loc = index.locate(x, y)
    assert loc.status is LocateStatus.NEAREST
    assert loc.area.code == "321302001001001"
    assert loc.distance_m == pytest.approx(haversine_m(x, y, x - 0.0009, y), rel=5e-3)


def test_nearest_distance_limit_is_respected_on_both_sides(city_ref):
    x, y = X0, Y0 + 0.5 * D
    index = SpatialIndex([(grid_ref(1), cell(0, 0))], [(city_ref, box(117, 33, 120, 35))])
    per_metre = 1 / haversine_m(x, y, x + 1, y)  # degrees of longitude per metre here
    near = index.locate(x - 99 * per_metre, y)
    far = index.locate(x - 101 * per_metre, y)
    assert near.status is LocateStatus.NEAREST and near.distance_m == pytest.approx(99, abs=0.5)
    assert far.status is LocateStatus.UNASSIGNED and far.area.code == CITY


def test_max_distance_zero_disables_nearest(city_ref):
    index = SpatialIndex(
        [(grid_ref(1), cell(0, 0))], [(city_ref, box(117, 33, 120, 35))], max_distance_m=0
    )
    assert index.locate(X0 - 0.00001, Y0 + 0.005).status is LocateStatus.UNASSIGNED


def test_far_from_grids_is_unassigned_to_the_smallest_enclosing_area(lattice):
    loc = lattice.locate(X0 + 4 * D, Y0 + 4 * D)  # in the community, 2 cells from any grid
    assert (loc.status, loc.area.code) == (LocateStatus.UNASSIGNED, "321302001001")
    assert [a.code for a in loc.ancestors] == ["321300", "321302", "321302001"]
    assert lattice.locate(X0 + 0.5, Y0).area.code == CITY  # in the city only


def test_point_in_no_area_is_outside(lattice):
    loc = lattice.locate(120.0, 30.0)
    assert (loc.status, loc.area, loc.ancestors) == (LocateStatus.OUTSIDE, None, ())


def test_hole_of_a_multipolygon_is_not_part_of_the_grid(city_ref):
    outer = box(X0, Y0, X0 + 3 * D, Y0 + 3 * D)
    ring = Polygon(outer.exterior.coords, [cell(1, 1).exterior.coords])
    multi = MultiPolygon([ring, cell(5, 5)])
    index = SpatialIndex([(grid_ref(1), multi)], [(city_ref, box(117, 33, 120, 35))])
    centre_of_hole = (X0 + 1.5 * D, Y0 + 1.5 * D)  # ~500 m from the hole's edge
    assert index.locate(*centre_of_hole).status is LocateStatus.UNASSIGNED
    assert index.locate(X0 + 0.5 * D, Y0 + 0.5 * D).status is LocateStatus.GRID
    assert index.locate(X0 + 5.5 * D, Y0 + 5.5 * D).status is LocateStatus.GRID
    # Inside the hole but near its edge: the grid is the nearest one.
    near_edge = index.locate(X0 + D + 0.0002, Y0 + 1.5 * D)
    assert near_edge.status is LocateStatus.NEAREST


def test_another_grid_filling_the_hole_wins_inside_it(city_ref):
    ring = Polygon(
        box(X0, Y0, X0 + 3 * D, Y0 + 3 * D).exterior.coords, [cell(1, 1).exterior.coords]
    )
    index = SpatialIndex(
        [(grid_ref(1), ring), (grid_ref(9), cell(1, 1))], [(city_ref, box(117, 33, 120, 35))]
    )
    assert index.locate(X0 + 1.5 * D, Y0 + 1.5 * D).area.code == "321302001001009"


def test_batch_answers_in_order_and_agrees_with_single_points(lattice):
    rng = np.random.default_rng(5)
    lngs = rng.uniform(X0 - 0.02, X0 + 0.07, 2000)
    lats = rng.uniform(Y0 - 0.02, Y0 + 0.07, 2000)
    # Borders and vertices too.
    lngs = np.r_[lngs, X0 + D, X0 + D, X0, X0 + 2 * D]
    lats = np.r_[lats, Y0 + D, Y0 + 0.5 * D, Y0, Y0 + 2 * D]
    batch = lattice.locate_many(lngs, lats)
    assert len(batch) == len(lngs)
    for loc, x, y in zip(batch, lngs, lats, strict=True):
        single = lattice.locate(float(x), float(y))
        assert (loc.lng, loc.lat) == (x, y)
        assert (loc.status, loc.area, loc.distance_m) == (
            single.status,
            single.area,
            single.distance_m,
        )
    statuses = {loc.status for loc in batch}
    assert {LocateStatus.GRID, LocateStatus.NEAREST, LocateStatus.UNASSIGNED} <= statuses


def test_empty_index_finds_nothing():
    index = SpatialIndex([], [])
    assert index.locate(X0, Y0).status is LocateStatus.OUTSIDE
    assert index.locate_many([], []) == []


def test_invalid_self_intersecting_grid_still_locates(city_ref):
    bow_tie = Polygon([(X0, Y0), (X0 + D, Y0 + D), (X0 + D, Y0), (X0, Y0 + D)])
    index = SpatialIndex([(grid_ref(1), bow_tie)], [(city_ref, box(117, 33, 120, 35))])
    assert index.locate(X0 + 0.1 * D, Y0 + 0.5 * D).status is LocateStatus.GRID
