"""A small demo city for `make run`: areas, departments and one account per role. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.models.accounts import Role, User
from services.models.areas import Area, Department, GridAssignment, GridDuty
from services.passwords import PasswordHasher
from services.seed_catalogue import seed_catalogue
from services.seed_city import seed_city
from services.seed_people import seed_grid_workers

DEMO_PASSWORD = "Onegrid-demo-2026"

# (code, name, phone, jurisdiction area)
DEPARTMENTS = [
    ("SCQ-CG", "宿城区城市管理局", "0527-84000001", "321302"),
    ("SCQ-ZJ", "宿城区住房和城乡建设局", "0527-84000002", "321302"),
    ("SCQ-SW", "宿城区水务局", "0527-84000003", "321302"),
    ("SCQ-JJ", "宿城交警大队", "0527-84000004", "321302"),
    ("SCQ-SJ", "宿城区市场监督管理局", "0527-84000005", "321302"),
    ("SCQ-HB", "宿迁市宿城生态环境局", "0527-84000006", "321302"),
    ("SCQ-GD", "国网宿迁市宿城区供电公司", "95598", "321302"),
    ("SCQ-TX", "宿城区通信管线管理办公室", "0527-84000008", "321302"),
    ("SCQ-YL", "宿城区园林绿化管理处", "0527-84000009", "321302"),
    ("SCQ-RQ", "宿城区燃气服务中心", "0527-84000010", "321302"),
    ("SCQ-JT", "宿城区交通运输局", "0527-84000011", "321302"),
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
    areas = seed_city(session)
    # One hash for every demo account: they share the demo password, and seeding stays fast.
    password_hash = hasher.hash(DEMO_PASSWORD)
    departments = {d.code: d for d in session.scalars(select(Department))}
    for code, name, phone, area_code in DEPARTMENTS:
        if code not in departments:
            departments[code] = Department(code=code, name=name, phone=phone, area=areas[area_code])
            session.add(departments[code])
    session.flush()
    seed_catalogue(session, actor=actor)

    result = []
    for username, display_name, roles, area_code, dept_code in ACCOUNTS:
        user = session.scalar(select(User).where(User.username == username))
        created = user is None
        if created:
            user = User(
                username=username,
                display_name=display_name,
                password_hash=password_hash,
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
    _assign_demo_grid_worker(session, areas)
    seed_grid_workers(session, areas, password_hash)
    session.commit()
    return result


def _assign_demo_grid_worker(session: Session, areas: dict[str, Area]) -> None:
    """The `grid_worker` demo account leads its own grid."""
    worker = session.scalar(select(User).where(User.username == "grid_worker"))
    grid = areas.get("321302001001001")
    if worker is None or grid is None:
        return
    exists = session.scalar(
        select(GridAssignment.id).where(
            GridAssignment.user_id == worker.id, GridAssignment.area_id == grid.id
        )
    )
    if exists is None:
        session.add(GridAssignment(user_id=worker.id, area_id=grid.id, duty=GridDuty.LEADER))
