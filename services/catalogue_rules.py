"""The catalogue's rules that need no database: the code scheme and the time limits' shape.

Codes are digits, two levels deep:

* a major class (大类) has two digits; components (部件) use 01–49 and events (事件) 51–99, so the
  national standard's component class N is ``0N`` and its event class N is ``5N``;
* a minor class (小类) is its major class's code plus two digits (``0101`` under ``01``).

``5699`` (其他 › 其他问题) is the fallback a report gets when the resident does not know what
to choose; it and its major class ``56`` can be neither deactivated nor hidden from residents.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

from services.errors import ValidationFailed
from services.models.catalogue import CategoryKind, LimitUnit, Phase, Urgency

FALLBACK_CATEGORY_CODE = "5699"
FALLBACK_MAJOR_CODE = FALLBACK_CATEGORY_CODE[:2]

_MAJOR = re.compile(r"[0-9]{2}")
_MINOR = re.compile(r"[0-9]{4}")

# Upper bounds per unit: a quarter of a year, in each unit's terms.
MAX_AMOUNT: dict[LimitUnit, int] = {
    LimitUnit.WORKING_DAYS: 90,
    LimitUnit.WORKING_HOURS: 720,
    LimitUnit.NATURAL_HOURS: 2160,
}
# For the order check only: working days and working hours compare (a working day has 8 working
# hours); natural hours compare only with natural hours.
_HOURS_PER = {LimitUnit.WORKING_DAYS: 8, LimitUnit.WORKING_HOURS: 1, LimitUnit.NATURAL_HOURS: 1}
_MOST_TO_LEAST_TIME = (Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL)


def _code_invalid() -> ValidationFailed:
    return ValidationFailed(fields={"code": "category_code_invalid"})


def major_kind(code: str) -> CategoryKind:
    """The kind a major class's code implies, or ValidationFailed."""
    if not isinstance(code, str) or not _MAJOR.fullmatch(code) or code in ("00", "50"):
        raise _code_invalid()
    return CategoryKind.COMPONENT if code < "50" else CategoryKind.EVENT


def check_minor_code(code: str, parent_code: str) -> None:
    if not isinstance(code, str) or not _MINOR.fullmatch(code):
        raise _code_invalid()
    if not code.startswith(parent_code) or code.endswith("00"):
        raise _code_invalid()


def is_fallback(code: str) -> bool:
    return code in (FALLBACK_CATEGORY_CODE, FALLBACK_MAJOR_CODE)


def _invalid(where: str) -> ValidationFailed:
    return ValidationFailed(fields={"time_limits": "time_limits_invalid"}, where=where)


def _exact_keys(value: Any, keys: tuple[str, ...], where: str) -> dict:
    if not isinstance(value, dict):
        raise _invalid(where)
    for key in value:
        if key not in keys:
            raise _invalid(f"{where}.{key}" if isinstance(key, str) else where)
    for key in keys:
        if key not in value:
            raise _invalid(f"{where}.{key}")
    return value


def _limit(value: Any, where: str) -> dict[str, Any]:
    _exact_keys(value, ("amount", "unit"), where)
    unit_value, amount = value["unit"], value["amount"]
    if unit_value not in {u.value for u in LimitUnit}:
        raise _invalid(f"{where}.unit")
    unit = LimitUnit(unit_value)
    # bool is an int in Python; a limit of "True" days is a client bug, not 1.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise _invalid(f"{where}.amount")
    if not 1 <= amount <= MAX_AMOUNT[unit]:
        raise _invalid(f"{where}.amount")
    return {"amount": amount, "unit": unit.value}


def _comparable(limit: dict[str, Any]) -> tuple[bool, int]:
    unit = LimitUnit(limit["unit"])
    return unit is LimitUnit.NATURAL_HOURS, limit["amount"] * _HOURS_PER[unit]


def validate_time_limits(value: Any) -> dict[str, Any]:
    """A clean copy of ``value`` shaped ``{phase: {urgency: {"amount": n, "unit": u}}}`` with
    every phase and urgency present, amounts whole, positive and bounded per unit, and more urgent
    cases never given more time than less urgent ones (where the units compare)."""
    phases = tuple(p.value for p in Phase)
    urgencies = tuple(u.value for u in Urgency)
    _exact_keys(value, phases, "time_limits")
    clean: dict[str, Any] = {}
    for phase in phases:
        per_urgency = _exact_keys(value[phase], urgencies, phase)
        clean[phase] = {u: _limit(per_urgency[u], f"{phase}.{u}") for u in urgencies}
        for slower, faster in combinations(_MOST_TO_LEAST_TIME, 2):
            nat_a, a = _comparable(clean[phase][slower])
            nat_b, b = _comparable(clean[phase][faster])
            if nat_a == nat_b and b > a:
                raise ValidationFailed(
                    fields={"time_limits": "time_limits_out_of_order"}, phase=phase
                )
    return clean
