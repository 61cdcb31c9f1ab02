"""A small demo city for `make run`: areas, departments and one account per role. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.models.accounts import Role, User
from services.models.areas import Area, AreaLevel, Department
from services.passwords import PasswordHasher

DEMO_PASSWORD = "Onegrid-demo-2026"

# (code, name, level, parent code)
AREAS = [
    ("321300", "宿迁市", AreaLevel.CITY, None),
    ("321302", "宿城区", AreaLevel.DISTRICT, "321300"),
    ("321311", "宿豫区", AreaLevel.DISTRICT, "321300"),
    ("321302001", "幸福街道", AreaLevel.STREET, "321302"),
    ("321302001001", "幸福社区", AreaLevel.COMMUNITY, "321302001"),
    ("321302001001001", "幸福社区第一网格", AreaLevel.GRID, "321302001001"),
    ("321302001001002", "幸福社区第二网格", AreaLevel.GRID, "321302001001"),
]

# (code, name, phone, jurisdiction area)
DEPARTMENTS = [
    ("SCQ-CG", "宿城区城市管理局", "0527-84000001", "321302"),
    ("SCQ-ZJ", "宿城区住房和城乡建设局", "0527-84000002", "321302"),
    ("SCQ-SW", "宿城区水务局", "0527-84000003", "321302"),
    ("SCQ-JJ", "宿城交警大队", "0527-84000004", "321302"),
]

# (username, display name, roles, area code, department code)
ACCOUNTS = [
    ("admin", "平台管理员", {Role.ADMIN}, None, None),
    ("district_admin", "宿城区管理员", {Role.ADMIN}, "321302", None),
    ("city_dispatcher", "市指挥中心调度员", {Role.DISPATCHER}, "321300", None),
    ("street_dispatcher", "幸福街道调度员", {Role.DISPATCHER}, "321302001", None),
    ("grid_worker", "第一网格网格员", {Role.GRID_WORKER}, "321302001001001", None),
    ("cg_handler", "城管处置员", {Role.DEPARTMENT_HANDLER}, None, "SCQ-CG"),
    ("emergency_officer", "应急办值班员", {Role.EMERGENCY_OFFICER}, "321300", None),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    roles: tuple[str, ...]
    scope: str
    created: bool


def seed_demo(session: Session, *, hasher: PasswordHasher) -> list[DemoAccount]:
    """Create what is missing of the demo city; existing rows are left as they are."""
    actor = Actor.system("seed-demo")
    areas: dict[str, Area] = {a.code: a for a in session.scalars(select(Area))}
    for code, name, level, parent_code in AREAS:
        if code not in areas:
            parent = areas.get(parent_code) if parent_code else None
            area = Area(
                code=code, name=name, level=level, parent=parent, path=Area.child_path(parent, code)
            )
            session.add(area)
            areas[code] = area
    departments = {d.code: d for d in session.scalars(select(Department))}
    for code, name, phone, area_code in DEPARTMENTS:
        if code not in departments:
            departments[code] = Department(code=code, name=name, phone=phone, area=areas[area_code])
            session.add(departments[code])
    session.flush()

    result = []
    for username, display_name, roles, area_code, dept_code in ACCOUNTS:
        user = session.scalar(select(User).where(User.username == username))
        created = user is None
        if created:
            user = User(
                username=username,
                display_name=display_name,
                password_hash=hasher.hash(DEMO_PASSWORD),
                area=areas.get(area_code) if area_code else None,
                department=departments.get(dept_code) if dept_code else None,
            )
            user.set_roles(roles)
            session.add(user)
            session.flush()
            audit.record(
                session,
                actor,
                "user.created",
                object_type="user",
                object_id=user.id,
                area_path=user.area.path if user.area else None,
                after={"username": username, "roles": sorted(roles), "demo": True},
            )
        scope = area_code or dept_code or "platform"
        result.append(DemoAccount(username, DEMO_PASSWORD, tuple(sorted(roles)), scope, created))
    session.commit()
    return result
