"""The demo catalogue: realistic, complete, routed to existing departments, and idempotent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.actors import Actor
from services.catalogue_rules import FALLBACK_CATEGORY_CODE, validate_time_limits
from services.errors import PermissionDenied
from services.models.accounts import Role
from services.models.areas import Department
from services.models.audit import AuditEntry
from services.models.catalogue import Category, CategoryKind
from services.phones import normalise_service_phone
from services.queries.catalogue import fallback_category
from services.seed import DEPARTMENTS, seed_demo
from services.seed_catalogue import MAJORS, MINORS, load_standard_catalogue, seed_catalogue
from tests.factories import FAST_HASHER, make_area_tree, make_user

EVENT_CLASSES = {"市容环境", "宣传广告", "施工管理", "街面秩序", "突发事件", "其他"}
COMPONENTS = {"井盖", "消防栓", "路灯", "交通信号灯", "公交站亭", "垃圾箱", "行道树"}


@pytest.fixture
def seeded(session):
    seed_demo(session, hasher=FAST_HASHER)
    return {c.code: c for c in session.scalars(select(Category))}


def _created_entries(session) -> int:
    return session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "category.created")
    )


def test_the_demo_catalogue_has_at_least_forty_entries_on_two_levels(seeded):
    assert len(seeded) >= 40
    assert len(seeded) == len(MAJORS) + len(MINORS)
    majors = [c for c in seeded.values() if c.parent_id is None]
    assert {c.code for c in majors} == {code for code, *_ in MAJORS}
    for category in seeded.values():
        if category.parent_id is not None:
            parent = seeded[category.code[:2]]
            assert category.parent_id == parent.id and parent.parent_id is None
            assert category.kind is parent.kind


def test_all_six_event_classes_are_present(seeded):
    events = {
        c.name_zh for c in seeded.values() if c.parent_id is None and c.kind is CategoryKind.EVENT
    }
    assert events == EVENT_CLASSES


def test_the_common_components_are_present(seeded):
    components = [
        c.name_zh for c in seeded.values() if c.parent_id and c.kind is CategoryKind.COMPONENT
    ]
    for wanted in COMPONENTS:
        assert any(wanted in name for name in components), wanted
    assert sum("井盖" in name for name in components) >= 5


def test_every_minor_class_is_complete_and_routed_to_a_seeded_department(seeded):
    for category in seeded.values():
        assert category.name_zh.strip() and category.name_en.strip()
        assert category.name_zh != category.name_en
        if category.parent_id is None:
            assert category.time_limits == {} and category.default_department_id is None
            continue
        assert validate_time_limits(category.time_limits) == category.time_limits
        assert category.default_department is not None, category.code
        assert category.default_department.active


def test_the_fallback_category_exists_for_residents(session, seeded):
    fallback = fallback_category(session)
    assert fallback.code == FALLBACK_CATEGORY_CODE
    assert (fallback.name_zh, fallback.name_en) == ("其他问题", "Other problem")
    assert fallback.resident_selectable and fallback.active
    assert fallback.parent.name_zh == "其他"


def test_the_demo_departments_keep_the_original_four_and_have_valid_public_numbers(session, seeded):
    codes = [code for code, *_ in DEPARTMENTS]
    assert codes[:4] == ["SCQ-CG", "SCQ-ZJ", "SCQ-SW", "SCQ-JJ"]
    assert len(codes) == len(set(codes)) >= 10
    stored = {d.code: d for d in session.scalars(select(Department))}
    for code, _name, phone, _area in DEPARTMENTS:
        assert normalise_service_phone(phone) == phone == stored[code].phone


def test_seeding_twice_creates_nothing_the_second_time(session, seeded):
    entries = _created_entries(session)
    seed_demo(session, hasher=FAST_HASHER)
    assert session.scalar(select(func.count()).select_from(Category)) == len(seeded)
    assert _created_entries(session) == entries
    assert seed_catalogue(session) == 0


def test_existing_categories_are_left_as_they_are(session, seeded):
    seeded["0101"].name_zh = "上水井盖（已改名）"
    session.flush()
    assert seed_catalogue(session) == 0
    assert seeded["0101"].name_zh == "上水井盖（已改名）"


def test_the_catalogue_loads_without_departments_leaving_routing_open(session):
    created = seed_catalogue(session)
    assert created == len(MAJORS) + len(MINORS)
    minor = session.scalar(select(Category).where(Category.code == "0101"))
    assert minor.default_department_id is None


def test_loading_the_standard_catalogue_is_for_platform_administrators(session):
    district = make_area_tree(session)["district"]
    admin = make_user(session, role=Role.ADMIN, area=district)
    with pytest.raises(PermissionDenied):
        load_standard_catalogue(session, actor=Actor.for_user(admin))
    assert session.scalar(select(func.count()).select_from(Category)) == 0
    assert load_standard_catalogue(session, actor=Actor.system()) == len(MAJORS) + len(MINORS)
