"""Lanes to departments and roles; form validation."""

from datetime import date

import pytest

from workflows.assignment import AssignmentError, OrgView, Role, assign, lane_problems
from workflows.forms import Form, FormField, Option, check_field_definition, check_form_definition, validate

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
    """Is an undeclared key refused by name, so a form cannot overwrite other case data and a typo is not silent?"""
    result = validate(FORM, {"category": "disclosed", "received_on": "2026-03-02", "reason": ""}, [])
    assert result.errors == []
    assert result.data == {"category": "disclosed", "received_on": "2026-03-02"}
    typo = validate(FORM, {"category": "disclosed", "status": "hacked", "reciived_on": "2026-03-02"}, [])
    assert [(e.field, e.code) for e in typo.errors] == [
        ("status", "unknown_field"),
        ("reciived_on", "unknown_field"),
    ]
    assert "reciived_on" in typo.errors[1].message and "status" not in typo.data
    too_long = validate(FORM, {"category": "withheld", "reason": "很长" * 10}, [])
    assert [e.code for e in too_long.errors] == ["too_long"]
    assert validate(FORM, ["not", "a", "dict"], []).errors[0].field == "data"


def test_role_labels_round_trip():
    """Can a role be named by identifier or by its Chinese label?"""
    assert Role.from_text("处室负责人") is Role.SECTION_HEAD
    assert Role.from_text("section_head") is Role.SECTION_HEAD
    assert Role.from_text("秘书") is None


def test_pro2_a_lane_marked_departmentfrom_takes_the_department_the_task_names():
    """Does a co-handler's task land in the department its own data names, whatever the lane is called?"""
    decision = assign("协办处室", "office", ORG, "planning")
    assert (decision.department, decision.role) == ("planning", None)
    assert "规划处" in decision.reason
    assert assign("协办处室", "office", ORG, "规划处").department == "planning"
    for missing in ("", "宣传部"):
        with pytest.raises(AssignmentError):
            assign("协办处室", "office", ORG, missing)
    assert lane_problems("协办处室", ORG, named_by_data={"协办处室"}) == []
    assert lane_problems("协办处室", ORG)


CO_HANDLERS = Form((FormField("co_handlers", "departments", "协办处室", required=True, max_length=2),))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ([], "required"),
        (None, "required"),
        ("planning", "invalid"),
        (["planning", 3], "invalid"),
        (["planning", "planning"], "duplicate"),
        (["planning", "nowhere"], "not_allowed"),
        (["planning", "office", "leadership"], "too_many"),
    ],
)
def test_pro2_several_departments_are_checked_one_by_one(value, code):
    """Is a list of departments refused when empty, repeated, unknown, too long or not a list of codes?"""
    result = validate(CO_HANDLERS, {"co_handlers": value}, ["planning", "office", "leadership"])
    assert [(e.field, e.code) for e in result.errors] == [("co_handlers", code)]


def test_pro2_a_list_of_known_departments_is_kept_in_order():
    """Are chosen departments kept as given, so the first named is asked first?"""
    result = validate(CO_HANDLERS, {"co_handlers": ["office", "planning"]}, ["planning", "office"])
    assert result.errors == [] and result.data == {"co_handlers": ["office", "planning"]}


def test_pro1_a_field_may_be_required_for_several_values_of_another():
    """Is 承办处室 required when the mode is 独办 or 主办, and not when the item is returned?"""
    form = Form(
        (
            FormField("mode", "string", "办理方式"),
            FormField("owning_department", "department", "承办处室", required_if=("mode", "single|lead")),
        )
    )
    for mode in ("single", "lead"):
        assert [e.code for e in validate(form, {"mode": mode}, ["office"]).errors] == ["required"]
    assert validate(form, {"mode": "return"}, ["office"]).errors == []
    assert form.to_list()[1]["required_if"]["values"] == ["single", "lead"]


def test_pub10_several_options_may_be_chosen_once_each():
    """Does an enums field keep distinct known options and refuse repeats or unknown ones?"""
    forms = FormField(
        "interpretation_forms",
        "enums",
        "解读形式",
        options=(Option("text", "文字解读"), Option("chart", "图表解读")),
    )
    form = Form((forms,))
    assert validate(form, {"interpretation_forms": ["chart", "text"]}, []).data == {
        "interpretation_forms": ["chart", "text"]
    }
    assert [e.code for e in validate(form, {"interpretation_forms": ["text", "text"]}, []).errors] == [
        "duplicate"
    ]
    assert [e.code for e in validate(form, {"interpretation_forms": ["video"]}, []).errors] == ["not_allowed"]


def test_date_bounds_and_order_are_declared_on_date_fields_only():
    """Does a diagram get told when notAfter or after is set on the wrong field or names nothing?"""
    ok = FormField("received_on", "date", "收到日期", not_after="today")
    assert check_field_definition(ok) == []
    assert check_field_definition(FormField("x", "string", "说明", not_after="today"))
    assert check_field_definition(FormField("x", "date", "日期", not_after="tomorrow"))
    pair = Form(
        (FormField("opens_on", "date", "开始"), FormField("closes_on", "date", "截止", after="opens_on"))
    )
    assert check_form_definition(pair) == []
    wrong = Form((FormField("closes_on", "date", "截止", after="opens_on"),))
    assert check_form_definition(wrong)


def test_today_bounds_a_receipt_date_and_a_year_ten_thousand_is_no_date():
    """Is a receipt date of tomorrow too late, today fine, and 9999-12-31 refused whatever the bound?"""
    form = Form(
        (FormField("received_on", "date", "收到日期", not_after="today"), FormField("due_on", "date", "期限"))
    )
    today = date(2026, 3, 2)
    assert validate(form, {"received_on": "2026-03-02", "due_on": "2100-12-31"}, [], today=today).errors == []
    late = validate(form, {"received_on": "2026-03-03", "due_on": "9999-12-31"}, [], today=today)
    assert [(e.field, e.code) for e in late.errors] == [("received_on", "too_late"), ("due_on", "too_late")]
    assert validate(form, {"received_on": "2026-W10-1"}, [], today=today).errors[0].code == "invalid"
