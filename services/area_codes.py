"""Area codes: which level a code denotes and how a child's code extends its parent's.

Administrative codes follow GB/T 2260 and its extensions: a city has 6 digits ending in ``00``
(321300), a district or county 6 (321302), a street or township 9 (321302001), a community or
village 12 (321302001001). Grid codes have 15 digits: district 6 + street 3 + community 3 + grid 3.
"""

from __future__ import annotations

import re

from services.models.areas import AreaLevel

LEVELS: tuple[AreaLevel, ...] = (
    AreaLevel.CITY,
    AreaLevel.DISTRICT,
    AreaLevel.STREET,
    AreaLevel.COMMUNITY,
    AreaLevel.GRID,
)
PARENT_LEVEL: dict[AreaLevel, AreaLevel] = {
    AreaLevel.DISTRICT: AreaLevel.CITY,
    AreaLevel.STREET: AreaLevel.DISTRICT,
    AreaLevel.COMMUNITY: AreaLevel.STREET,
    AreaLevel.GRID: AreaLevel.COMMUNITY,
}
CODE_LENGTH: dict[AreaLevel, int] = {
    AreaLevel.CITY: 6,
    AreaLevel.DISTRICT: 6,
    AreaLevel.STREET: 9,
    AreaLevel.COMMUNITY: 12,
    AreaLevel.GRID: 15,
}
_DIGITS = re.compile(r"[0-9]+")


def is_code(code: str) -> bool:
    """ASCII digits in one of the lengths a level uses (``str.isdigit`` would accept '٣')."""
    if not isinstance(code, str) or len(code) not in (6, 9, 12, 15):
        return False
    return _DIGITS.fullmatch(code) is not None


def infer_level(code: str) -> AreaLevel | None:
    """The level a code denotes, or None when it is not an area code at all."""
    if not is_code(code):
        return None
    if len(code) == 6:
        return AreaLevel.CITY if code.endswith("00") else AreaLevel.DISTRICT
    return {9: AreaLevel.STREET, 12: AreaLevel.COMMUNITY, 15: AreaLevel.GRID}[len(code)]


def level_rank(level: AreaLevel) -> int:
    """0 for a city, 4 for a grid: parents always rank lower than their children."""
    return LEVELS.index(level)


def code_fits_level(code: str, level: AreaLevel) -> bool:
    return infer_level(code) is level


def derived_parent_code(code: str) -> str | None:
    """The parent's code as the code itself spells it (a district's city is ``XXXX00``)."""
    level = infer_level(code)
    if level is None or level is AreaLevel.CITY:
        return None
    if level is AreaLevel.DISTRICT:
        return code[:4] + "00"
    return code[:-3]


def code_extends(parent_code: str, parent_level: AreaLevel, code: str, level: AreaLevel) -> bool:
    """Whether ``code`` (at ``level``) may sit directly under ``parent_code``.

    A district shares its city's first four digits; a street, community or grid code is its
    parent's code followed by three digits.
    """
    if PARENT_LEVEL.get(level) is not parent_level:
        return False
    if level is AreaLevel.DISTRICT:
        return code[:4] == parent_code[:4]
    return len(code) == len(parent_code) + 3 and code.startswith(parent_code)
