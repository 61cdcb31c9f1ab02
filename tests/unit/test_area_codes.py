"""Area codes: levels from lengths, and how a child's code extends its parent's."""

import pytest

from services.area_codes import code_extends, derived_parent_code, infer_level, is_code
from services.models.areas import AreaLevel as L


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("321300", L.CITY),
        ("320100", L.CITY),
        ("321302", L.DISTRICT),
        ("321322", L.DISTRICT),
        ("321302001", L.STREET),
        ("321302001001", L.COMMUNITY),
        ("321302001001001", L.GRID),
    ],
)
def test_level_follows_from_the_code(code, level):
    assert infer_level(code) is level


@pytest.mark.parametrize(
    "code",
    [
        "",
        "3213",
        "32130",
        "3213020",
        "3213020010",
        "1" * 16,
        "32130a",
        "３２１３００",
        "٣٢١٣٠٢",
        None,
        321300,
    ],
)
def test_other_strings_are_not_area_codes(code):
    assert not is_code(code)
    assert infer_level(code) is None


@pytest.mark.parametrize(
    ("parent", "parent_level", "code", "level", "ok"),
    [
        ("321300", L.CITY, "321302", L.DISTRICT, True),
        ("321300", L.CITY, "320102", L.DISTRICT, False),  # another city's district
        ("321302", L.DISTRICT, "321302001", L.STREET, True),
        ("321302", L.DISTRICT, "321311001", L.STREET, False),
        ("321300", L.CITY, "321300001", L.STREET, False),  # skips the district level
        ("321302001", L.STREET, "321302001001", L.COMMUNITY, True),
        ("321302001", L.STREET, "321302002001", L.COMMUNITY, False),
        ("321302001001", L.COMMUNITY, "321302001001001", L.GRID, True),
        ("321302001", L.STREET, "321302001001001", L.GRID, False),  # grid under a street
        ("321302001001", L.COMMUNITY, "321302001002001", L.GRID, False),
    ],
)
def test_a_child_code_extends_its_parent_code(parent, parent_level, code, level, ok):
    assert code_extends(parent, parent_level, code, level) is ok


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("321300", None),
        ("321302", "321300"),
        ("321302001", "321302"),
        ("321302001001", "321302001"),
        ("321302001001001", "321302001001"),
        ("bogus", None),
    ],
)
def test_the_parent_code_is_spelled_by_the_code(code, parent):
    assert derived_parent_code(code) == parent
