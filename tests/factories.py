"""Plain factory functions for tests: ``make_x(session, **overrides)``."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from services.models.accounts import Role, User
from services.models.areas import Area, AreaLevel, Department
from services.passwords import PasswordHasher

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "Passw0rd-for-tests"
_seq = itertools.count(1)

_LEVEL_BY_LENGTH = {
    4: AreaLevel.CITY,
    6: AreaLevel.DISTRICT,
    9: AreaLevel.STREET,
    12: AreaLevel.COMMUNITY,
    15: AreaLevel.GRID,
}


def make_area(
    session: Session, code: str, *, parent: Area | None = None, name: str | None = None
) -> Area:
    level = _LEVEL_BY_LENGTH.get(len(code), AreaLevel.CITY)
    area = Area(
        code=code,
        name=name or f"区域{code}",
        level=level,
        parent=parent,
        path=Area.child_path(parent, code),
    )
    session.add(area)
    session.flush()
    return area


def make_area_tree(session: Session) -> dict[str, Area]:
    """city 3213 → districts 321302, 321311 → street → community → two grids."""
    city = make_area(session, "321300", name="宿迁市")
    city.level = AreaLevel.CITY
    d1 = make_area(session, "321302", parent=city, name="宿城区")
    d2 = make_area(session, "321311", parent=city, name="宿豫区")
    street = make_area(session, "321302001", parent=d1, name="幸福街道")
    community = make_area(session, "321302001001", parent=street, name="幸福社区")
    g1 = make_area(session, "321302001001001", parent=community)
    g2 = make_area(session, "321302001001002", parent=community)
    other_street = make_area(session, "321311001", parent=d2, name="顺河街道")
    return {
        "city": city,
        "district": d1,
        "other_district": d2,
        "street": street,
        "community": community,
        "grid": g1,
        "grid2": g2,
        "other_street": other_street,
    }


def make_department(
    session: Session, code: str | None = None, *, area: Area | None = None, name: str | None = None
) -> Department:
    code = code or f"DEPT{next(_seq)}"
    dept = Department(code=code, name=name or f"部门{code}", area=area)
    session.add(dept)
    session.flush()
    return dept


def make_user(
    session: Session,
    *,
    role: Role | set[Role] = Role.DISPATCHER,
    area: Area | None = None,
    department: Department | None = None,
    username: str | None = None,
    password: str | None = PASSWORD,
    phone: str | None = None,
    active: bool = True,
) -> User:
    roles = {role} if isinstance(role, Role) else set(role)
    if username is None and Role.RESIDENT not in roles:
        username = f"user{next(_seq)}"
    user = User(
        username=username,
        display_name=username or "居民",
        password_hash=FAST_HASHER.hash(password) if password and username else None,
        area=area,
        department=department,
        phone=phone,
        is_active=active,
    )
    user.set_roles(roles)
    session.add(user)
    session.flush()
    return user


def make_resident(session: Session, phone: str | None = None) -> User:
    phone = phone or f"+86139{next(_seq):08d}"
    return make_user(session, role=Role.RESIDENT, phone=phone, password=None)


def login(client: FlaskClient, user: User, password: str = PASSWORD) -> dict[str, str]:
    """Sign a staff user in over HTTP; returns the Authorization header."""
    response = client.post(
        "/api/v1/auth/login", json={"username": user.username, "password": password}
    )
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def login_resident(client: FlaskClient, sms, phone: str) -> dict[str, str]:
    """Sign a resident in through the SMS code flow, reading the code from the fake sender."""
    assert client.post("/api/v1/auth/otp", json={"phone": phone}).status_code == 202
    code = sms.sent[-1].params["code"]
    response = client.post("/api/v1/auth/otp/verify", json={"phone": phone, "code": code})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}
