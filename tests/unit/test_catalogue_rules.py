"""The catalogue's code scheme and the strict shape of time limits."""

from __future__ import annotations

import copy

import pytest

from services.catalogue_rules import (
    FALLBACK_CATEGORY_CODE,
    FALLBACK_MAJOR_CODE,
    MAX_AMOUNT,
    check_minor_code,
    is_fallback,
    major_kind,
    validate_time_limits,
)
from services.errors import ValidationFailed
from services.models.catalogue import CategoryKind, LimitUnit
from tests.catalogue_factories import limits


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("01", CategoryKind.COMPONENT),
        ("49", CategoryKind.COMPONENT),
        ("51", CategoryKind.EVENT),
        ("99", CategoryKind.EVENT),
    ],
)
def test_a_major_class_code_says_its_kind(code, kind):
    assert major_kind(code) is kind


@pytest.mark.parametrize("code", ["00", "50", "1", "001", "ab", "0a", "", "٠١", "01\n", None, 1])
def test_malformed_major_codes_are_refused(code):
    with pytest.raises(ValidationFailed) as caught:
        major_kind(code)
    assert caught.value.fields == {"code": "category_code_invalid"}


def test_a_minor_code_is_its_parents_code_plus_two_digits():
    check_minor_code("0101", "01")
    check_minor_code("5699", "56")


@pytest.mark.parametrize("code", ["0201", "010", "01011", "0100", "01a1", "01٠١", "", None])
def test_a_minor_code_outside_its_parent_or_malformed_is_refused(code):
    with pytest.raises(ValidationFailed):
        check_minor_code(code, "01")


def test_the_fallback_is_the_other_problem_class_and_its_major_class():
    assert FALLBACK_CATEGORY_CODE == "5699" and FALLBACK_MAJOR_CODE == "56"
    assert is_fallback("5699") and is_fallback("56")
    assert not is_fallback("5601")


def test_complete_time_limits_come_back_as_a_clean_copy():
    given = limits()
    clean = validate_time_limits(given)
    assert clean == given
    assert clean is not given and clean["filing"] is not given["filing"]


def _broken(path: tuple, value=..., *, delete: bool = False) -> dict:
    doc = copy.deepcopy(limits())
    node = doc
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "where"),
    [
        (_broken(("filing",), delete=True), "time_limits.filing"),
        (_broken(("disposal",), delete=True), "time_limits.disposal"),
        (_broken(("filing", "urgent"), delete=True), "filing.urgent"),
        (_broken(("disposal", "critical"), delete=True), "disposal.critical"),
        (_broken(("filing", "normal", "unit"), delete=True), "filing.normal.unit"),
        (_broken(("filing", "normal", "amount"), delete=True), "filing.normal.amount"),
        (_broken(("closing",), {}), "time_limits.closing"),
        (_broken(("filing", "whenever"), {"amount": 1, "unit": "working_days"}), "filing.whenever"),
        (_broken(("filing", "normal", "note"), "x"), "filing.normal.note"),
        (_broken(("filing", "normal", "amount"), 0), "filing.normal.amount"),
        (_broken(("filing", "normal", "amount"), -1), "filing.normal.amount"),
        (_broken(("filing", "normal", "amount"), 1.5), "filing.normal.amount"),
        (_broken(("filing", "normal", "amount"), 1.0), "filing.normal.amount"),
        (_broken(("filing", "normal", "amount"), "1"), "filing.normal.amount"),
        (_broken(("filing", "normal", "amount"), True), "filing.normal.amount"),
        (_broken(("filing", "normal", "amount"), None), "filing.normal.amount"),
        (_broken(("filing", "normal", "amount"), 91), "filing.normal.amount"),
        (_broken(("filing", "normal", "amount"), 10**30), "filing.normal.amount"),
        (_broken(("filing", "normal", "unit"), "fortnights"), "filing.normal.unit"),
        (_broken(("filing", "normal", "unit"), None), "filing.normal.unit"),
        (_broken(("filing", "normal"), [1, "working_days"]), "filing.normal"),
        (_broken(("filing",), "1 day"), "filing"),
    ],
)
def test_incomplete_or_out_of_range_limits_are_refused_naming_the_place(doc, where):
    with pytest.raises(ValidationFailed) as caught:
        validate_time_limits(doc)
    assert caught.value.fields == {"time_limits": "time_limits_invalid"}
    assert caught.value.params["where"] == where


@pytest.mark.parametrize("doc", [None, [], "limits", 5, {}])
def test_limits_that_are_not_a_mapping_of_phases_are_refused(doc):
    with pytest.raises(ValidationFailed):
        validate_time_limits(doc)


@pytest.mark.parametrize("unit", list(LimitUnit))
def test_each_unit_has_its_own_upper_bound(unit):
    doc = limits()
    for urgency in ("normal", "urgent", "critical"):
        doc["disposal"][urgency] = {"amount": MAX_AMOUNT[unit], "unit": unit.value}
    assert validate_time_limits(doc)["disposal"]["normal"]["amount"] == MAX_AMOUNT[unit]
    doc["disposal"]["normal"]["amount"] += 1
    with pytest.raises(ValidationFailed):
        validate_time_limits(doc)


def test_a_more_urgent_case_cannot_get_more_time():
    doc = limits()
    doc["disposal"]["urgent"] = {"amount": 6, "unit": "working_days"}  # normal is 5 days
    with pytest.raises(ValidationFailed) as caught:
        validate_time_limits(doc)
    assert caught.value.fields == {"time_limits": "time_limits_out_of_order"}
    assert caught.value.params == {"phase": "disposal"}


def test_working_days_and_hours_compare_at_eight_hours_a_day():
    doc = limits()
    doc["filing"]["normal"] = {"amount": 1, "unit": "working_days"}
    doc["filing"]["urgent"] = {"amount": 9, "unit": "working_hours"}
    with pytest.raises(ValidationFailed):
        validate_time_limits(doc)
    doc["filing"]["urgent"] = {"amount": 8, "unit": "working_hours"}
    assert validate_time_limits(doc)


def test_natural_hours_are_not_compared_with_working_time():
    doc = limits()
    # 48 natural hours for a critical case next to 1 working day: incomparable, so accepted.
    doc["disposal"]["critical"] = {"amount": 48, "unit": "natural_hours"}
    doc["disposal"]["urgent"] = {"amount": 1, "unit": "working_days"}
    assert validate_time_limits(doc)["disposal"]["critical"]["amount"] == 48
