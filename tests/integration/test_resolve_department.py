"""resolve_department: the deepest area override along the area's path wins, else the default."""

from __future__ import annotations

import pytest

from services.catalogue import ancestor_paths, resolve_department
from services.models.catalogue import CategoryDepartmentOverride
from tests.catalogue_factories import make_category
from tests.factories import make_area, make_area_tree, make_department


@pytest.fixture
def world(session):
    tree = make_area_tree(session)
    city = tree["city"]
    depts = {
        name: make_department(session, f"R-{name.upper()}", area=area)
        for name, area in [
            ("default", city),
            ("city", city),
            ("district", tree["district"]),
            ("street", tree["street"]),
            ("other", tree["other_district"]),
        ]
    }
    make_category(session, "01")
    category = make_category(session, "0101", department=depts["default"])
    return tree, depts, category


def _override(session, category, area, department):
    session.add(
        CategoryDepartmentOverride(
            category_id=category.id, area_id=area.id, department_id=department.id
        )
    )
    session.flush()


def test_ancestor_paths_list_the_area_and_everything_above_it():
    assert ancestor_paths("/321300/321302/321302001/") == [
        "/321300/",
        "/321300/321302/",
        "/321300/321302/321302001/",
    ]
    assert ancestor_paths("/321300/") == ["/321300/"]


def test_without_overrides_the_default_department_handles_it(session, world):
    tree, depts, category = world
    assert resolve_department(session, category, tree["grid"]) == depts["default"]


def test_an_override_on_an_ancestor_applies_to_the_whole_subtree(session, world):
    tree, depts, category = world
    _override(session, category, tree["district"], depts["district"])
    for area in ("district", "street", "community", "grid", "grid2"):
        assert resolve_department(session, category, tree[area]) == depts["district"]
    # Above and beside the overridden area, the default still holds.
    assert resolve_department(session, category, tree["city"]) == depts["default"]
    assert resolve_department(session, category, tree["other_street"]) == depts["default"]


def test_the_deepest_override_along_the_path_wins(session, world):
    tree, depts, category = world
    _override(session, category, tree["city"], depts["city"])
    _override(session, category, tree["street"], depts["street"])
    _override(session, category, tree["district"], depts["district"])
    assert resolve_department(session, category, tree["grid"]) == depts["street"]
    assert resolve_department(session, category, tree["street"]) == depts["street"]
    assert resolve_department(session, category, tree["district"]) == depts["district"]
    assert resolve_department(session, category, tree["other_street"]) == depts["city"]


def test_an_area_whose_code_merely_starts_like_an_overridden_one_is_not_below_it(session, world):
    tree, depts, category = world
    lookalike = make_area(session, "3213021", parent=tree["city"])  # "/321300/3213021/"
    _override(session, category, tree["district"], depts["district"])
    assert resolve_department(session, category, lookalike) == depts["default"]


def test_overrides_of_other_categories_do_not_apply(session, world):
    tree, depts, category = world
    other = make_category(session, "0102", department=depts["default"])
    _override(session, other, tree["district"], depts["district"])
    assert resolve_department(session, category, tree["grid"]) == depts["default"]


def test_a_deactivated_department_is_passed_over_for_the_next_one_up(session, world):
    tree, depts, category = world
    _override(session, category, tree["district"], depts["district"])
    _override(session, category, tree["street"], depts["street"])
    depts["street"].active = False
    assert resolve_department(session, category, tree["grid"]) == depts["district"]
    depts["district"].active = False
    assert resolve_department(session, category, tree["grid"]) == depts["default"]
    depts["default"].active = False
    assert resolve_department(session, category, tree["grid"]) is None


def test_a_category_without_default_or_override_has_no_department(session, world):
    tree, _, _ = world
    lonely = make_category(session, "0103")
    assert resolve_department(session, lonely, tree["grid"]) is None
