"""Importing boundary files: formats, coordinate systems, the validation report, all-or-nothing."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, Polygon, box
from sqlalchemy import func, select

from services.actors import Actor
from services.area_import import ImportOptions, import_areas
from services.area_version import current_area_version
from services.geo.shapes import to_geojson, to_shape
from services.models.areas import Area, AreaLevel
from services.models.audit import AuditEntry
from tests.factories import make_area
from tests.fixtures.areas.truth import COMMUNITY_BOX, COUNTY, GRID_ISLAND, GRID_LAKE, GRIDS, STREETS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "areas"
ACTOR = Actor.system("test")
ESRI = {"crs": "EPSG:4528", "code_field": "GRID_CODE", "name_field": "GRID_NAME"}


def _import(session, name: str, **options):
    data = (FIXTURES / name).read_bytes()
    options.setdefault("crs", "wgs84")
    return import_areas(session, actor=ACTOR, data=data, options=ImportOptions(**options))


def _area(session, code: str) -> Area | None:
    session.expire_all()
    return session.scalar(select(Area).where(Area.code == code))


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Area))


def _metres(geometry):
    """Degrees to local metres around 34°N (good to well under a centimetre at this size)."""
    return shapely.transform(
        geometry, lambda c: c * [111_320 * math.cos(math.radians(33.96)), 110_940]
    )


def assert_close(stored: dict, truth, metres: float = 1.0) -> None:
    distance = shapely.hausdorff_distance(_metres(to_shape(stored)), _metres(truth))
    assert distance < metres, f"{distance:.3f} m from the truth"


@pytest.fixture
def city(session):
    area = make_area(session, "321300", name="宿迁市")
    area.level = AreaLevel.CITY  # the factory reads six digits as a district
    session.flush()
    return area


@pytest.fixture
def community(session, city):
    district = make_area(session, "321302", parent=city, name="宿城区")
    street = make_area(session, "321302001", parent=district, name="幸福街道")
    area = make_area(session, "321302001001", parent=street, name="幸福社区")
    area.geometry = to_geojson(box(*COMMUNITY_BOX))
    session.flush()
    return area


def test_datav_county_in_gcj02_lands_on_its_wgs84_truth(session, city):
    report = _import(session, "datav_county_gcj02.json", crs="gcj02")
    assert report.ok, report.lines()
    assert (report.format, report.crs, report.features) == ("geojson", "gcj02", 4)
    assert (report.created, report.changed, report.unchanged) == (4, 0, 0)
    county = _area(session, "321302")
    assert (county.name, county.level.value, county.parent.code) == ("宿城区", "district", "321300")
    assert county.path == "/321300/321302/"
    assert_close(county.geometry, box(*COUNTY["box"]))
    for street in STREETS:
        area = _area(session, street["code"])
        assert (area.name, area.level.value, area.parent.code) == (
            street["name"],
            "street",
            "321302",
        )
        assert area.path == f"/321300/321302/{street['code']}/"
        assert_close(area.geometry, box(*street["box"]))
        assert area.min_lng == pytest.approx(street["box"][0], abs=1e-5)
        assert area.max_lat == pytest.approx(street["box"][3], abs=1e-5)
        assert area.centroid_lng is not None


def test_esri_grids_in_cgcs2000_gauss_kruger_zone_40_with_a_hole(session, community):
    report = _import(session, "esri_grids_epsg4528.json", parent_field="COMMUNITY", **ESRI)
    assert report.ok, report.lines()
    assert (report.format, report.crs, report.created) == ("esri", "EPSG:4528", 3)
    assert report.warnings == []  # the file declares wkid 4528: it agrees with --crs
    for grid in GRIDS:
        area = _area(session, grid["code"])
        assert (area.level.value, area.parent.code) == ("grid", "321302001001")
        assert area.path == f"{community.path}{grid['code']}/"
    first = to_shape(_area(session, "321302001001001").geometry)
    # The lake is a hole of the grid, and the island inside the lake is part of the grid again.
    truth = box(*GRIDS[0]["boxes"][0]).difference(box(*GRID_LAKE)).union(box(*GRID_ISLAND))
    assert_close(_area(session, "321302001001001").geometry, truth)
    assert first.area == pytest.approx(truth.area, rel=1e-4)
    assert first.contains(Point(118.2005, 33.9005))  # land
    assert not first.contains(Point(118.2018, 33.9018))  # the lake
    assert first.contains(Point(118.2025, 33.9025))  # the island
    third = _area(session, "321302001001003").geometry
    assert third["type"] == "MultiPolygon"
    assert_close(third, shapely.union_all([box(*b) for b in GRIDS[2]["boxes"]]))


def test_the_parent_comes_from_the_code_when_no_parent_field_is_given(session, community):
    report = _import(session, "esri_grids_epsg4528.json", **ESRI)
    assert report.ok, report.lines()
    assert _area(session, "321302001001002").parent.code == "321302001001"


def test_reimporting_the_same_file_changes_nothing(session, city):
    version = current_area_version(session)
    first = _import(session, "datav_county_gcj02.json", crs="gcj02")
    assert first.created == 4
    assert current_area_version(session) == version + 1
    entries = session.scalar(select(func.count()).select_from(AuditEntry))
    second = _import(session, "datav_county_gcj02.json", crs="gcj02")
    assert (second.created, second.changed, second.unchanged) == (0, 0, 4)
    assert current_area_version(session) == version + 1
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries


def test_reimport_updates_names_and_boundaries_in_place(session, city):
    _import(session, "datav_county_gcj02.json", crs="gcj02")
    street = _area(session, "321302001")
    street_id, version = street.id, current_area_version(session)
    street.name = "旧名"
    street.geometry = to_geojson(box(118.2, 33.9, 118.21, 33.91))
    session.flush()
    report = _import(session, "datav_county_gcj02.json", crs="gcj02")
    assert (report.created, report.changed, report.unchanged) == (0, 1, 3)
    again = _area(session, "321302001")
    assert (again.id, again.name) == (street_id, "幸福街道")
    assert_close(again.geometry, box(*STREETS[0]["box"]))
    assert current_area_version(session) == version + 1
    updated = session.scalars(select(AuditEntry).where(AuditEntry.action == "area.updated")).all()
    assert [e.object_id for e in updated] == [str(street_id)]
    assert updated[0].after["name"] == "幸福街道"


def test_an_import_is_one_audit_summary_plus_one_entry_per_area(session, city):
    _import(session, "datav_county_gcj02.json", crs="gcj02", source_name="county.json")
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.at)).all()
    assert sorted(actions) == ["area.created"] * 4 + ["areas.imported"]
    summary = session.scalar(select(AuditEntry).where(AuditEntry.action == "areas.imported"))
    assert summary.after["source"] == "county.json" and summary.after["created"] == 4


def test_dry_run_reports_the_plan_and_writes_nothing(session, city):
    version, count = current_area_version(session), _count(session)
    report = _import(session, "datav_county_gcj02.json", crs="gcj02", dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert report.created == 4
    assert (_count(session), current_area_version(session)) == (count, version)


def test_wrong_crs_puts_coordinates_out_of_range_and_imports_nothing(session, community):
    report = _import(session, "esri_grids_epsg4528.json", **{**ESRI, "crs": "wgs84"})
    assert set(report.problem_keys()) >= {"geometry_out_of_range", "import_crs_declared_differs"}
    assert len([p for p in report.errors if p.key == "geometry_out_of_range"]) == 3
    assert _area(session, "321302001001001") is None


@pytest.mark.parametrize("crs", ["EPSG:999999", "nonsense", "+proj=nowhere", ""])
def test_an_unknown_crs_is_a_clear_error(session, city, crs):
    report = _import(session, "datav_county_gcj02.json", crs=crs)
    assert report.problem_keys() == ["import_crs_unknown"]
    assert "Unknown coordinate reference system" in report.lines()[0]
    assert _area(session, "321302") is None


def test_a_proj_string_is_accepted(session, community):
    proj = "+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=40500000 +y_0=0 +ellps=GRS80 +units=m"
    report = _import(session, "esri_grids_epsg4528.json", **{**ESRI, "crs": proj})
    assert report.ok, report.lines()
    assert_close(_area(session, "321302001001002").geometry, box(*GRIDS[1]["boxes"][0]))


def test_invalid_json_is_reported_and_nothing_is_read(session, city):
    report = _import(session, "broken_invalid.json")
    assert report.problem_keys() == ["import_unreadable"]
    assert report.lines()[0].startswith("ERROR   file: The file cannot be read: invalid JSON")


def test_a_bow_tie_is_repaired_with_a_warning_and_imported(session, tree):
    report = _import(session, "broken_bowtie.geojson")
    assert report.ok and report.problem_keys() == ["geometry_repaired"]
    (line,) = report.lines()
    assert line.startswith("WARNING #1 321302005 蝴蝶街道: The boundary was invalid (Self-inter")
    stored = _area(session, "321302005")
    assert stored.geometry["type"] == "MultiPolygon"
    assert to_shape(stored.geometry).is_valid


@pytest.mark.parametrize(
    ("name", "key", "feature", "text"),
    [
        ("broken_unknown_parent.geojson", "import_parent_unknown", 2, "321399 is neither in"),
        ("broken_duplicate.geojson", "import_duplicate_code", 1, "appears 2 times"),
        ("broken_point.geojson", "geometry_type", 2, "Geometry type Point cannot be used"),
        ("broken_overlap.geojson", "import_overlap", 2, "overlaps sibling 321302005 by 50%"),
        ("broken_outside.geojson", "import_outside_parent", 2, "outside its parent 321303"),
        ("broken_missing.geojson", "import_code_missing", 1, "No area code (field code)"),
        ("broken_missing.geojson", "import_name_missing", 2, "No area name (field name)"),
        ("broken_curves.json", "import_geometry_curves", 2, "true curves (curveRings)"),
    ],
)
def test_broken_files_are_reported_and_import_nothing(session, tree, name, key, feature, text):
    count, version = _count(session), current_area_version(session)
    report = _import(session, name)
    assert not report.ok
    problem = next(p for p in report.errors if p.key == key)
    assert problem.feature == feature
    assert text in problem.message()
    assert any(text in line and f"#{feature}" in line for line in report.lines())
    assert not report.written
    assert (_count(session), current_area_version(session)) == (count, version)


def test_the_outside_tolerance_is_an_option(session, tree):
    # Two thirds of the street lie outside its district: refused at 1 %, accepted at 70 %.
    report = _import(session, "broken_outside.geojson")
    (problem,) = report.errors
    assert problem.params["percent"] == "66.67"
    loose = _import(session, "broken_outside.geojson", outside_tolerance=0.7)
    assert loose.ok and loose.created == 2


def test_the_overlap_tolerance_is_an_option(session, tree):
    assert not _import(session, "broken_overlap.geojson").ok
    assert _import(session, "broken_overlap.geojson", overlap_tolerance=0.6).ok


def test_a_new_area_overlapping_a_sibling_in_the_database_is_refused(session, tree):
    tree["street"].geometry = to_geojson(box(118.395, 33.89, 118.405, 33.92))
    session.flush()
    report = _import(session, "broken_bowtie.geojson")
    assert "import_overlap" in report.problem_keys()
    assert any("321302001" in p.message() for p in report.errors)


def test_a_child_outside_its_parent_in_the_database_is_refused(session, community):
    community.geometry = to_geojson(box(118.20, 33.90, 118.203, 33.903))
    session.flush()
    report = _import(session, "esri_grids_epsg4528.json", **ESRI)
    assert [p.code for p in report.errors if p.key == "import_outside_parent"] == [
        "321302001001001",
        "321302001001002",
        "321302001001003",
    ]


def test_an_import_never_moves_an_existing_area(session, tree):
    make_area(session, "321302005", parent=tree["other_district"], name="错挂街道")
    report = _import(session, "broken_bowtie.geojson")
    assert "import_moves_area" in report.problem_keys()


def test_a_retired_area_is_not_changed_by_an_import(session, tree):
    retired = make_area(session, "321302005", parent=tree["district"], name="旧街道")
    retired.active = False
    session.flush()
    assert "import_area_retired" in _import(session, "broken_bowtie.geojson").problem_keys()


def test_level_option_must_match_the_codes(session, city):
    report = _import(session, "datav_county_gcj02.json", crs="gcj02", level=AreaLevel.STREET)
    assert report.problem_keys() == ["import_level_mismatch"]
    assert report.errors[0].message() == "Code 321302 is not a street code."


def test_parent_code_option_places_features_without_a_parent_field(session, community):
    make_area(session, "321302001002", parent=community.parent, name="另一社区")
    report = _import(session, "esri_grids_epsg4528.json", parent_code="321302001002", **ESRI)
    # The file's grids extend 321302001001, not the parent given: one clear error each.
    assert [p.key for p in report.errors] == ["import_parent_mismatch"] * 3
    assert "cannot sit under 321302001002" in report.errors[0].message()


def test_progress_is_reported_for_each_phase(session, city):
    calls = []
    data = (FIXTURES / "datav_county_gcj02.json").read_bytes()
    options = ImportOptions(crs="gcj02")
    import_areas(
        session, actor=ACTOR, data=data, options=options, progress=lambda *a: calls.append(a)
    )
    assert calls[-2:] == [("check", 4, 4), ("write", 4, 4)]


def test_holes_without_exterior_become_exteriors_with_a_warning(session, tree):
    ring = [[118.40, 33.90], [118.41, 33.90], [118.41, 33.91], [118.40, 33.91], [118.40, 33.90]]
    data = (
        '{"spatialReference": {"wkid": 4326}, "features": [{"attributes": {"code": "321302005",'
        f' "name": "逆时针街道"}}, "geometry": {{"rings": [{ring}]}}}}]}}'
    ).encode()
    report = import_areas(session, actor=ACTOR, data=data, options=ImportOptions(crs="wgs84"))
    assert report.ok and report.problem_keys() == ["import_orphan_hole"]
    assert to_shape(_area(session, "321302005").geometry).equals(Polygon(ring))


def test_the_gcj02_offset_is_removed_not_ignored(session, city):
    """Read as WGS-84, the same county lands hundreds of metres off its truth."""
    assert _import(session, "datav_county_gcj02.json", crs="wgs84").ok
    stored = _area(session, "321302").geometry
    distance = shapely.hausdorff_distance(_metres(to_shape(stored)), _metres(box(*COUNTY["box"])))
    assert 300 < distance < 1000
