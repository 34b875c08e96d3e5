"""Scenario tests of bpmn/recurring_duty.bpmn on the bare engine (REC-1..6, NAT-4): the duty lands in
the department the case names, a reading record asks for the problems found, the others what was done;
the case deadline is the profile's duty.window capped at the occurrence's due day."""

import pytest

from tests.unit.cases import Case, load

START = {
    "duty_key": "drill",
    "duty_title": "开展网站应急安全演练",
    "duty_rule": "REC-5",
    "duty_source": "002 §33",
    "record_kind": "done",
    "owning_department": "info_center",
    "opened_on": "2026-01-01",
    "due_on": "2026-12-31",
}


@pytest.fixture(scope="module")
def definition():
    return load("recurring_duty")


def test_rec5_a_drill_is_recorded_by_the_department_the_duty_names(definition):
    """Does the drill go to 信息中心 (the case's department, not the starter's), and end once recorded?"""
    case = Case(definition, START, "office")
    assert case.next() == ("record_duty", ("info_center", None))
    case.do("record_duty", {"done_on": "2026-05-12", "record_text": "组织网站遭篡改应急演练"})
    assert case.finished() and case.data()["record_text"] == "组织网站遭篡改应急演练"


def test_rec4_a_reading_record_asks_for_the_problems_found(definition):
    """Does a 7×24 reading record open 填写读网值班记录, whose form requires the problems found (REC-4)?"""
    case = Case(definition, {**START, "record_kind": "reading", "duty_key": "reading_record"}, "office")
    assert case.next() == ("record_reading", ("info_center", None))
    (task,) = case.ready()
    fields = {f.name: f.required for f in definition.forms[task.spec_name].fields}
    assert fields == {"done_on": True, "record_text": True, "problems_found": True}
    case.do("record_reading", {"done_on": "2026-03-02", "record_text": "全天读网", "problems_found": "无"})
    assert case.finished()


def test_rec_nat4_the_case_deadline_is_capped_at_the_due_day(definition):
    """Is the case's deadline duty.window from opened_on, never past due_on (NAT-4, REC)?"""
    deadline = definition.case_deadline
    assert (deadline.name, deadline.start_field, deadline.latest_field) == (
        "duty.window",
        "opened_on",
        "due_on",
    )
