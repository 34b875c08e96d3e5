"""Scenario tests of bpmn/error_report.bpmn on the bare engine (ERR-1, ERR-2, NAT-7, COL-1)."""

import pytest

from tests.unit.cases import Case, load
from workflows.engine.link_markup import CaseLink

START = {
    "report_source": "national_platform",
    "report_number": "ZC2026030600012",
    "received_on": "2026-03-06",
    "page_url": "https://example.gov.cn/zwgk/2026/0301.html",
    "error_type": "content_error",
    "report_content": "正文第二段“截止目前”应为“截至目前”。",
}
VALID = {"verdict": "valid", "owning_department": "planning", "urgency": "normal", "verify_note": "属实"}
FIXED = {"fix_action": "corrected", "fixed_on": "2026-03-06", "fix_note": "已更正并重新审校"}
CENTRE = ("info_center", None)


@pytest.fixture(scope="module")
def definition():
    return load("error_report")


def new_case(definition):
    return Case(definition, START, "info_center", at="2026-03-06T01:00:00")


def test_err1_err2_a_valid_report_is_fixed_by_the_column_owner_checked_and_fed_back(definition):
    """Does a valid report go 信息中心 → the column's department → 信息中心 to check and feed back?"""
    case = new_case(definition)
    assert case.next() == ("verify", CENTRE)
    case.do("verify", VALID)
    assert case.next() == ("fix", ("planning", None))
    case.do("fix", FIXED)
    assert case.next() == ("check_fix", CENTRE)
    case.do("check_fix", {"check_result": "fixed"})
    assert case.next() == ("send_feedback", CENTRE)
    case.do("send_feedback", {"feedback_content": "已更正，感谢监督。", "fed_back_on": "2026-03-06"})
    assert case.finished() and case.data()["fix_action"] == "corrected"


def test_err1_a_report_found_untrue_is_fed_back_without_any_department(definition):
    """Does 不属实 go straight to the feedback, with no department involved?"""
    case = new_case(definition)
    case.do("verify", {"verdict": "invalid", "verify_note": "页面表述无误"})
    assert case.next() == ("send_feedback", CENTRE)
    case.do("send_feedback", {"feedback_content": "经核实，该表述无误。", "fed_back_on": "2026-03-06"})
    assert case.finished() and "owning_department" not in case.data()


def test_err2_a_fix_not_done_properly_goes_back_to_the_department(definition):
    """Does 未整改到位 send the item back to the same department to fix again?"""
    case = new_case(definition)
    case.do("verify", VALID)
    case.do("fix", FIXED)
    case.do("check_fix", {"check_result": "not_fixed", "check_note": "第三段仍有同样错误"})
    assert case.next() == ("fix", ("planning", None))
    case.do("fix", {**FIXED, "fix_note": "全文已更正"})
    case.do("check_fix", {"check_result": "fixed"})
    assert case.next()[0] == "send_feedback"


def test_err2_an_urgent_item_gets_the_same_day_deadline_others_one_natural_day(definition):
    """Does the fix task take error.fix_urgent when the centre marks the item urgent, error.fix otherwise?"""
    assert definition.task_deadline("fix", {"urgency": "urgent"}) == "error.fix_urgent"
    assert definition.task_deadline("fix", {"urgency": "normal"}) == "error.fix"
    assert definition.task_deadline("fix", {}) == "error.fix"
    assert definition.task_deadline("send_feedback", {"urgency": "urgent"}) is None  # shows the case clock
    # ERR-3: the centre routes what it receives to the department that same day, counted from receipt.
    assert definition.task_deadline("verify", {}) == "error.notify_department"
    assert definition.deadline_start("verify", "error.notify_department").from_field == "received_on"
    assert (definition.case_deadline.name, definition.case_deadline.start_field) == (
        "error_report.handle",
        "received_on",
    )


def test_err2_pub9_a_correction_names_its_publishing_case_and_the_feedback_carries_its_address(definition):
    """Does 已更正 require the publishing case's number, take its published address, and the feedback tell it?"""
    fields = {f.name: f for f in definition.form_for("fix").fields}
    assert fields["correction_case"].required_if == ("fix_action", "corrected")
    assert definition.case_links == {
        "fix": CaseLink("correction_case", "publishing", copy="published_url", into="corrected_url")
    }
    corrected, plain = definition.notices["send_feedback"]
    assert corrected.when == ("fix_action", "corrected") and "corrected_url" in corrected.placeholders()
    assert plain.when is None and "corrected_url" not in plain.placeholders()
