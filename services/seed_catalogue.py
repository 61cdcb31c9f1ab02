"""A realistic event catalogue for the demo city (and a starting point for a real one).

It follows the structure of the national digital city-management standard (部件 components and
事件 events, two levels) in the code scheme of ``services.catalogue_rules``: component classes
01–04, event classes 51–56. Idempotent: categories that exist (by code) are left as they are;
default departments are linked only when a department with that code exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services import audit
from services.actors import Actor
from services.authz import Action, Target, require
from services.catalogue_rules import major_kind, validate_time_limits
from services.models.areas import Department
from services.models.catalogue import Category


def _limits(filing: tuple, disposal: tuple) -> dict[str, Any]:
    """Each phase as ((amount, unit) normal, urgent, critical); units abbreviated wd/wh/nh."""
    units = {"wd": "working_days", "wh": "working_hours", "nh": "natural_hours"}

    def phase(limits: tuple) -> dict[str, Any]:
        return {
            urgency: {"amount": amount, "unit": units[unit]}
            for urgency, (amount, unit) in zip(
                ("normal", "urgent", "critical"), limits, strict=True
            )
        }

    return {"filing": phase(filing), "disposal": phase(disposal)}


# Time limit profiles, by how fast such a case must move.
QUICK = _limits(((2, "wh"), (1, "wh"), (1, "nh")), ((1, "wd"), (4, "wh"), (2, "nh")))
ROUTINE = _limits(((1, "wd"), (4, "wh"), (1, "nh")), ((5, "wd"), (1, "wd"), (4, "nh")))
REPAIR = _limits(((1, "wd"), (4, "wh"), (1, "nh")), ((10, "wd"), (3, "wd"), (24, "nh")))
EMERGENCY = _limits(((1, "nh"), (1, "nh"), (1, "nh")), ((24, "nh"), (8, "nh"), (4, "nh")))

# (code, name_zh, name_en)
MAJORS = [
    ("01", "公用设施", "Public utilities"),
    ("02", "道路交通", "Roads and traffic"),
    ("03", "市容环境设施", "Street environment facilities"),
    ("04", "园林绿化", "Landscaping"),
    ("51", "市容环境", "City appearance and environment"),
    ("52", "宣传广告", "Publicity and advertising"),
    ("53", "施工管理", "Construction management"),
    ("54", "突发事件", "Emergencies"),
    ("55", "街面秩序", "Street order"),
    ("56", "其他", "Other"),
]

# (code, name_zh, name_en, department, limits, resident_selectable, photo_required)
MINORS = [
    # 公用设施
    ("0101", "上水井盖", "Water supply manhole cover", "SCQ-SW", REPAIR, True, True),
    ("0102", "污水井盖", "Sewer manhole cover", "SCQ-SW", REPAIR, True, True),
    ("0103", "雨水井盖", "Storm drain manhole cover", "SCQ-SW", REPAIR, True, True),
    ("0104", "电力井盖", "Power manhole cover", "SCQ-GD", REPAIR, True, True),
    ("0105", "通信井盖", "Telecom manhole cover", "SCQ-TX", REPAIR, True, True),
    ("0106", "燃气井盖", "Gas manhole cover", "SCQ-RQ", REPAIR, True, True),
    ("0107", "消防栓", "Fire hydrant", "SCQ-SW", REPAIR, True, True),
    ("0108", "雨水箅子", "Storm drain grate", "SCQ-SW", REPAIR, True, True),
    ("0109", "配电箱", "Power distribution box", "SCQ-GD", REPAIR, False, True),
    ("0110", "通信交接箱", "Telecom cabinet", "SCQ-TX", REPAIR, False, True),
    # 道路交通
    ("0201", "路灯", "Street light", "SCQ-CG", REPAIR, True, True),
    ("0202", "交通信号灯", "Traffic signal", "SCQ-JJ", ROUTINE, True, True),
    ("0203", "交通标志牌", "Traffic sign", "SCQ-JJ", REPAIR, True, True),
    ("0204", "公交站亭", "Bus shelter", "SCQ-JT", REPAIR, True, True),
    ("0205", "道路护栏", "Road guardrail", "SCQ-JJ", REPAIR, True, True),
    ("0206", "人行道板", "Pavement slab", "SCQ-ZJ", REPAIR, True, True),
    ("0207", "盲道", "Tactile paving", "SCQ-ZJ", REPAIR, True, True),
    ("0208", "桥梁", "Bridge", "SCQ-ZJ", REPAIR, True, True),
    # 市容环境设施
    ("0301", "垃圾箱", "Litter bin", "SCQ-CG", ROUTINE, True, True),
    ("0302", "公共厕所", "Public toilet", "SCQ-CG", ROUTINE, True, True),
    ("0303", "垃圾收集点", "Garbage collection point", "SCQ-CG", ROUTINE, True, True),
    ("0304", "公共座椅", "Public bench", "SCQ-CG", REPAIR, True, True),
    # 园林绿化
    ("0401", "行道树", "Street tree", "SCQ-YL", ROUTINE, True, True),
    ("0402", "绿地", "Green space", "SCQ-YL", ROUTINE, True, True),
    ("0403", "花坛", "Flower bed", "SCQ-YL", ROUTINE, True, True),
    ("0404", "护树设施", "Tree guard", "SCQ-YL", REPAIR, True, True),
    # 市容环境
    ("5101", "暴露垃圾", "Exposed garbage", "SCQ-CG", QUICK, True, True),
    ("5102", "积存垃圾渣土", "Piled-up garbage or debris", "SCQ-CG", QUICK, True, True),
    ("5103", "道路不洁", "Dirty road", "SCQ-CG", QUICK, True, True),
    ("5104", "水域不洁", "Polluted waterway", "SCQ-SW", ROUTINE, True, True),
    ("5105", "违规焚烧", "Open burning", "SCQ-HB", QUICK, True, True),
    ("5106", "油烟污染", "Cooking fume pollution", "SCQ-HB", ROUTINE, True, False),
    ("5107", "噪声扰民", "Noise nuisance", "SCQ-HB", ROUTINE, True, False),
    # 宣传广告
    ("5201", "非法小广告", "Illegal flyers and stickers", "SCQ-CG", QUICK, True, True),
    ("5202", "违规户外广告", "Unauthorised outdoor advertising", "SCQ-CG", ROUTINE, True, True),
    ("5203", "违规悬挂横幅", "Unauthorised banner", "SCQ-CG", QUICK, True, True),
    # 施工管理
    ("5301", "施工扰民", "Construction nuisance", "SCQ-ZJ", ROUTINE, True, False),
    ("5302", "工地扬尘", "Construction site dust", "SCQ-ZJ", QUICK, True, True),
    ("5303", "道路遗撒", "Spilled load on the road", "SCQ-CG", QUICK, True, True),
    ("5304", "无证掘路", "Unpermitted road excavation", "SCQ-ZJ", ROUTINE, False, True),
    ("5305", "违法建设", "Illegal construction", "SCQ-CG", ROUTINE, True, True),
    # 突发事件
    ("5401", "路面塌陷", "Road collapse", "SCQ-ZJ", EMERGENCY, True, True),
    ("5402", "道路积水", "Road flooding", "SCQ-SW", EMERGENCY, True, True),
    ("5403", "供水管道破裂", "Burst water main", "SCQ-SW", EMERGENCY, True, True),
    ("5404", "燃气泄漏", "Gas leak", "SCQ-RQ", EMERGENCY, True, False),
    ("5405", "树木倒伏", "Fallen tree", "SCQ-YL", EMERGENCY, True, True),
    ("5406", "电力线路故障", "Downed power line", "SCQ-GD", EMERGENCY, True, True),
    # 街面秩序
    ("5501", "占道经营", "Street vending on the roadway", "SCQ-CG", QUICK, True, True),
    ("5502", "店外经营", "Business spilling out of the shop", "SCQ-CG", QUICK, True, True),
    ("5503", "机动车乱停放", "Illegal parking", "SCQ-JJ", QUICK, True, True),
    ("5504", "共享单车乱停放", "Disorderly shared bikes", "SCQ-CG", QUICK, True, True),
    ("5505", "无照经营游商", "Unlicensed hawker", "SCQ-SJ", QUICK, True, True),
    ("5506", "露天烧烤", "Open-air barbecue", "SCQ-CG", QUICK, True, True),
    # 其他
    ("5601", "食品安全隐患", "Food safety concern", "SCQ-SJ", ROUTINE, True, False),
    ("5602", "通信线缆杂乱", "Tangled telecom cables", "SCQ-TX", ROUTINE, True, True),
    ("5699", "其他问题", "Other problem", "SCQ-CG", ROUTINE, True, False),
]


def seed_catalogue(session: Session, *, actor: Actor | None = None) -> int:
    """Create the categories that are missing; returns how many were created. No commit: the
    caller's transaction (``seed_demo`` or the CLI) makes them durable together."""
    actor = actor or Actor.system("seed-catalogue")
    existing = {c.code: c for c in session.scalars(select(Category))}
    departments = {d.code: d for d in session.scalars(select(Department))}
    created = 0
    for order, (code, name_zh, name_en) in enumerate(MAJORS, start=1):
        if code not in existing:
            existing[code] = _add(
                session,
                actor,
                Category(
                    code=code,
                    name_zh=name_zh,
                    name_en=name_en,
                    kind=major_kind(code),
                    time_limits={},
                    resident_selectable=True,
                    photo_required=False,
                    active=True,
                    sort_order=order * 10,
                ),
            )
            created += 1
    for order, (code, name_zh, name_en, dept, limits, selectable, photo) in enumerate(MINORS):
        if code in existing:
            continue
        parent = existing[code[:2]]
        department = departments.get(dept)
        existing[code] = _add(
            session,
            actor,
            Category(
                code=code,
                parent_id=parent.id,
                name_zh=name_zh,
                name_en=name_en,
                kind=parent.kind,
                default_department_id=department.id if department else None,
                time_limits=validate_time_limits(limits),
                resident_selectable=selectable,
                photo_required=photo,
                active=True,
                sort_order=order * 10,
            ),
        )
        created += 1
    return created


def _add(session: Session, actor: Actor, category: Category) -> Category:
    session.add(category)
    session.flush()
    audit.record(
        session,
        actor,
        "category.created",
        object_type="category",
        object_id=category.id,
        after={"code": category.code, "name_zh": category.name_zh, "seed": True},
    )
    return category


def load_standard_catalogue(session: Session, *, actor: Actor) -> int:
    """The use case behind ``onegrid catalogue load-standard``: give a fresh installation the
    standard catalogue (and with it the fallback category reports need). Idempotent."""
    require(actor, Action.CATEGORY_MANAGE, Target(area_path=None))
    created = seed_catalogue(session, actor=actor)
    session.commit()
    return created
