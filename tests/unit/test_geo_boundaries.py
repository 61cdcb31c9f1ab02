"""Boundary geometry: strict GeoJSON parsing, repair, CRS parsing and the file readers."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point, Polygon, box

from services.geo.crs import CrsError, parse_crs
from services.geo.polygons import GeometryError, clean, wgs84_polygonal
from services.geo.readers import ReadError, esri_polygon, read_boundaries, signed_area

SQUARE = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]


def _key(fn, *args) -> str:
    with pytest.raises((GeometryError, ReadError)) as info:
        fn(*args)
    return info.value.key


def test_a_valid_polygon_passes_unchanged_and_unrepaired():
    result = wgs84_polygonal({"type": "Polygon", "coordinates": [SQUARE]})
    assert result.repaired is None
    assert result.shape.equals(box(0, 0, 1, 1))
    assert result.shape.exterior.is_ccw  # RFC 7946: exteriors counter-clockwise


def test_a_clockwise_polygon_is_reoriented():
    result = wgs84_polygonal({"type": "Polygon", "coordinates": [SQUARE[::-1]]})
    assert result.shape.exterior.is_ccw


def test_a_bow_tie_is_repaired_into_two_triangles_and_says_why():
    bow_tie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    result = wgs84_polygonal({"type": "Polygon", "coordinates": [bow_tie]})
    assert result.repaired.startswith("Self-intersection")
    assert result.shape.geom_type == "MultiPolygon" and len(result.shape.geoms) == 2
    assert result.shape.area == pytest.approx(0.5)


def test_a_repair_that_leaves_only_lines_is_refused():
    spike = Polygon([(0, 0), (1, 0), (2, 0), (0, 0)])
    assert _key(clean, spike) == "geometry_empty"


def test_coordinates_are_kept_to_a_centimetre():
    ring = [[118.123456789, 33.9], [118.2, 33.9], [118.2, 34.0], [118.123456789, 34.0]]
    result = wgs84_polygonal({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    assert result.shape.bounds[0] == pytest.approx(118.1234568, abs=1e-12)


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"type": "Point", "coordinates": [1, 2]}, "geometry_type"),
        ({"type": "GeometryCollection", "geometries": []}, "geometry_type"),
        ({"type": "Polygon", "coordinates": []}, "geometry_malformed"),
        ({"type": "Polygon", "coordinates": [SQUARE[:3]]}, "geometry_ring_short"),
        ({"type": "Polygon", "coordinates": [[*SQUARE[:-1], [0, 0.5]]]}, "geometry_ring_open"),
        ({"type": "Polygon", "coordinates": [[[0, "0"], *SQUARE[1:]]]}, "geometry_malformed"),
        (
            {"type": "Polygon", "coordinates": [[[0, float("nan")], *SQUARE[1:]]]},
            "geometry_malformed",
        ),
        ({"type": "Polygon", "coordinates": [[[10**400, 0], *SQUARE[1:]]]}, "geometry_malformed"),
        ({"type": "MultiPolygon", "coordinates": [SQUARE]}, "geometry_malformed"),
        (
            {"type": "Polygon", "coordinates": [[[200, 0], [201, 0], [201, 1], [200, 0]]]},
            "geometry_out_of_range",
        ),
        ({"type": 5}, "geometry_malformed"),
        ([], "geometry_malformed"),
    ],
)
def test_unusable_geometries_say_why(doc, key):
    assert _key(wgs84_polygonal, doc) == key


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("wgs84", "wgs84"),
        ("GCJ02", "gcj02"),
        ("bd09", "bd09"),
        ("EPSG:4528", "EPSG:4528"),
        ("epsg:4490", "EPSG:4490"),
    ],
)
def test_crs_names_and_codes_are_understood(text, label):
    assert parse_crs(text).label == label


@pytest.mark.parametrize(
    "text", ["", "wgs", "EPSG:123456789", "+proj=nothing", "EPSG:5703", "x" * 20_000]
)
def test_unknown_or_unusable_crs_is_refused(text):
    with pytest.raises(CrsError):
        parse_crs(text)


def test_gauss_kruger_zone_40_converts_to_longitude_first_wgs84():
    import numpy as np

    lng, lat = parse_crs("EPSG:4528").transformer()(np.array([40500000.0]), np.array([3762000.0]))
    assert lng[0] == pytest.approx(120.0, abs=1e-9)  # the zone's central meridian
    assert 33.9 < lat[0] < 34.1


def _clockwise(b):
    x0, y0, x1, y1 = b
    return [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]


def test_esri_rings_clockwise_exterior_counter_clockwise_hole():
    outer, hole = _clockwise((0, 0, 10, 10)), _clockwise((2, 2, 4, 4))[::-1]
    assert signed_area(outer) < 0 < signed_area(hole)
    shape, orphans = esri_polygon({"rings": [outer, hole]})
    assert orphans == 0
    assert shape.equals(box(0, 0, 10, 10).difference(box(2, 2, 4, 4)))


def test_esri_holes_go_to_the_exterior_that_contains_them():
    a, b = _clockwise((0, 0, 10, 10)), _clockwise((20, 0, 30, 10))
    hole_in_b = _clockwise((22, 2, 24, 4))[::-1]
    island = _clockwise((22.5, 2.5, 23.5, 3.5))
    shape, _ = esri_polygon({"rings": [a, hole_in_b, b, island]})
    assert shape.geom_type == "MultiPolygon" and len(shape.geoms) == 3
    assert not shape.contains(Point(22.2, 2.2))  # in b's hole
    assert shape.contains(Point(23, 3))  # on the island inside that hole
    assert shape.contains(Point(5, 5))


def test_esri_signed_area_is_exact_for_big_projected_eastings():
    ring = _clockwise((40_340_000.0, 3_760_000.0, 40_340_001.0, 3_760_001.0))
    assert signed_area(ring) == pytest.approx(-1.0)


@pytest.mark.parametrize(
    ("geometry", "key"),
    [
        ({"x": 1, "y": 2}, "geometry_type"),
        ({"paths": [[[0, 0], [1, 1]]]}, "geometry_type"),
        ({"points": [[0, 0]]}, "geometry_type"),
        ({"curveRings": [[[0, 0], {"c": [[1, 1], [1, 0]]}, [0, 0]]]}, "import_geometry_curves"),
        ({"curvePaths": []}, "import_geometry_curves"),
        ({"rings": []}, "geometry_malformed"),
        ({"rings": "x"}, "geometry_malformed"),
        (None, "import_geometry_missing"),
    ],
)
def test_esri_geometries_other_than_polygons_are_refused(geometry, key):
    assert _key(esri_polygon, geometry) == key


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"{", "import_unreadable"),
        (b"\xff\xfe", "import_unreadable"),
        (b"[" * 100_000, "import_unreadable"),
        (b'{"features": [' + b"1" * 5000 + b"]}", "import_unreadable"),
        (b"[]", "import_format_unknown"),
        (b'{"type": "Topology"}', "import_format_unknown"),
        (b'{"features": [{"foo": 1}]}', "import_format_unknown"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(data, key):
    assert _key(read_boundaries, data) == key


def test_geojson_reader_keeps_feature_order_and_problems():
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4528"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "1"},
                "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
            },
            {"type": "Feature", "properties": None, "geometry": None},
            "not a feature",
        ],
    }
    source = read_boundaries(("\ufeff" + json.dumps(doc)).encode())
    assert source.format == "geojson" and source.declared_crs.to_epsg() == 4528
    first, second, third = source.features
    assert (first.index, first.properties, first.problem) == (1, {"code": "1"}, None)
    assert second.problem == ("import_geometry_missing", {})
    assert third.problem[0] == "geometry_malformed"


def test_esri_reader_reads_the_declared_wkid():
    doc = {
        "spatialReference": {"wkid": 4528},
        "features": [{"attributes": {}, "geometry": {"rings": [_clockwise((0, 0, 1, 1))]}}],
    }
    source = read_boundaries(json.dumps(doc).encode())
    assert source.format == "esri" and source.declared_crs.to_epsg() == 4528
