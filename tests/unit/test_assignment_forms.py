"""Lanes to departments and roles; form validation."""

import pytest

from workflows.assignment import AssignmentError, OrgView, Role, assign, lane_problems
from workflows.forms import Form, FormField, Option, validate

ORG = OrgView({"office": "办公室", "planning": "规划处", "leadership": "局领导"}, "leadership")


@pytest.mark.parametrize(
    ("lane", "department", "role"),
    [
        ("办公室", "office", None),
        ("office", "office", None),
        ("承办处室", "planning", None),
        (None, "planning", None),
        ("信息员", "planning", Role.INFORMATION_OFFICER),
        ("处室负责人", "planning", Role.SECTION_HEAD),
        ("分管领导", "planning", Role.LEADER_IN_CHARGE),
        ("主要领导", "leadership", Role.PRINCIPAL_LEADER),
        ("办公室·处室负责人", "office", Role.SECTION_HEAD),
    ],
)
def test_lane_resolves_relative_to_the_owning_department(lane, department, role):
    """Does each kind of lane land the task in the right department and role?"""
    decision = assign(lane, "planning", ORG)
    assert (decision.department, decision.role) == (department, role)
    assert decision.reason


def test_unknown_lanes_are_reported():
    """Does a lane naming no department or role get reported instead of guessed?"""
    assert lane_problems("宣传部", ORG)
    assert lane_problems("办公室·秘书", ORG)
    assert lane_problems("处室负责人", ORG) == []
    with pytest.raises(AssignmentError):
        assign("处室负责人", None, ORG)


FORM = Form(
    (
        FormField(
            "category",
            "enum",
            "答复类型",
            required=True,
            options=(Option("disclosed", "予以公开"), Option("withheld", "不予公开")),
        ),
        FormField("reason", "string", "理由", required_if=("category", "withheld"), max_length=10),
        FormField("received_on", "date", "收到日期"),
        FormField("pages", "integer", "页数"),
        FormField("urgent", "boolean", "加急"),
        FormField("owning_department", "department", "承办处室"),
    )
)


def test_form_names_each_bad_field_in_chinese():
    """Does validation name each missing or malformed field with a Chinese message?"""
    result = validate(
        FORM,
        {
            "category": "withheld",
            "received_on": "2026-02-30",
            "pages": "3",
            "urgent": "yes",
            "owning_department": "nowhere",
        },
        ["office"],
    )
    codes = {e.field: e.code for e in result.errors}
    assert codes == {
        "reason": "required",
        "received_on": "invalid",
        "pages": "invalid",
        "urgent": "invalid",
        "owning_department": "not_allowed",
    }
    assert all("“" in e.message for e in result.errors)


def test_form_keeps_only_declared_fields_converted():
    """Are undeclared keys dropped, so a form cannot overwrite other case data?"""
    result = validate(
        FORM, {"category": "disclosed", "received_on": "2026-03-02", "status": "hacked", "reason": ""}, []
    )
    assert result.errors == []
    assert result.data == {"category": "disclosed", "received_on": "2026-03-02"}
    too_long = validate(FORM, {"category": "withheld", "reason": "很长" * 10}, [])
    assert [e.code for e in too_long.errors] == ["too_long"]
    assert validate(FORM, ["not", "a", "dict"], []).errors[0].field == "data"


def test_role_labels_round_trip():
    """Can a role be named by identifier or by its Chinese label?"""
    assert Role.from_text("处室负责人") is Role.SECTION_HEAD
    assert Role.from_text("section_head") is Role.SECTION_HEAD
    assert Role.from_text("秘书") is None
