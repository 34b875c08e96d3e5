"""Scenario tests of bpmn/survey.bpmn on the bare engine (MBX-6): approval, return, publishing."""

import pytest

from tests.unit.cases import Case, load
from workflows.assignment import Role

START = {
    "survey_kind": "solicitation",
    "survey_title": "《城市更新规划（征求意见稿）》公开征求意见",
    "survey_content": "现将征求意见稿全文公布……",
    "opens_on": "2026-03-09",
    "closes_on": "2026-04-08",
}


@pytest.fixture(scope="module")
def definition():
    return load("survey")


def test_mbx6_a_survey_is_approved_by_the_head_of_its_own_department_before_publishing(definition):
    """Does a survey drafted in 规划处 go to 规划处's head, then to 信息中心 to publish?"""
    case = Case(definition, START, "planning")
    assert case.next() == ("approve_survey", ("planning", Role.SECTION_HEAD))
    case.do("approve_survey", {"approval_decision": "approve"})
    assert case.next() == ("publish_survey", ("info_center", None))
    case.do("publish_survey", {"published_on": "2026-03-09", "published_url": "https://example.gov.cn/zj/1"})
    assert case.finished() and case.data()["survey_kind"] == "solicitation"


def test_mbx6_a_returned_survey_is_revised_by_an_information_officer_and_approved_again(definition):
    """Does 退回修改 go to the department's information officer, and the revision back to the head?"""
    case = Case(definition, START, "planning")
    case.do("approve_survey", {"approval_decision": "return", "approval_comment": "截止日期过短"})
    assert case.next() == ("revise_survey", ("planning", Role.INFORMATION_OFFICER))
    case.do(
        "revise_survey",
        {**{k: START[k] for k in ("survey_title", "survey_content", "opens_on")}, "closes_on": "2026-04-30"},
    )
    assert case.next() == ("approve_survey", ("planning", Role.SECTION_HEAD))
    case.do("approve_survey", {"approval_decision": "approve"})
    assert case.next()[0] == "publish_survey" and case.data()["closes_on"] == "2026-04-30"
    assert definition.task_deadlines == {"publish_survey": "publishing.centre_edit"}
