"""Scenario tests of bpmn/mailbox.bpmn on the bare engine (MBX-1..5): one per branch and return loop."""

import pytest

from tests.unit.cases import Case, load
from workflows.assignment import Role
from workflows.engine.parser import ClockAction

START = {
    "writer_name": "赵小红",
    "applicant_contact": "13700000000",
    "letter_type": "leader_mailbox",
    "letter_title": "关于老旧小区加装电梯规划审批的咨询",
    "letter_content": "请问老旧小区加装电梯需要办理哪些规划手续？",
    "received_on": "2026-03-02",
    "publish_consent": "yes",
}
ACCEPT = {"intake_decision": "accept"}
DISPATCH = {
    "incoming_number": "收〔2026〕15号",
    "owning_department": "planning",
    "complexity": "simple",
    "dispatched_on": "2026-03-03",
}
REPLY = {"reply_action": "reply", "reply_content": "需向规划处申请……", "publish_suggestion": "public"}
INFO_CENTER = ("info_center", None)
SECRECY = ("secrecy", None)
PLANNING = ("planning", None)
PLANNING_HEAD = ("planning", Role.SECTION_HEAD)


@pytest.fixture(scope="module")
def definition():
    return load("mailbox")


def new_case(definition):
    """A letter entered by the information centre (MBX-1)."""
    return Case(definition, START, "info_center")


def test_mbx1_to_mbx5_a_letter_goes_centre_secrecy_department_head_centre(definition):
    """Does a valid letter pass 信息中心 → 保密室 → the department → its head → 信息中心, and close once published?"""
    case = new_case(definition)
    assert case.next() == ("intake_review", INFO_CENTER)
    case.do("intake_review", ACCEPT)
    assert case.next() == ("register_dispatch", SECRECY)
    case.do("register_dispatch", DISPATCH)
    assert case.next() == ("draft_reply", PLANNING)
    case.do("draft_reply", REPLY)
    assert case.next() == ("review_reply", PLANNING_HEAD)
    case.do("review_reply", {"review_decision": "approve"})
    assert case.next() == ("publish_reply", INFO_CENTER)
    case.do("publish_reply", {"publish_scope": "public", "published_on": "2026-03-06"})
    assert case.finished()
    data = case.data()
    assert (data["incoming_number"], data["publish_scope"], data["owning_department"]) == (
        "收〔2026〕15号",
        "public",
        "planning",
    )


def test_mbx5_a_rejected_letter_ends_at_intake_and_never_reaches_anyone_else(definition):
    """Does 不予受理 at intake close the case with its reason, before the secrecy office sees it?"""
    case = new_case(definition)
    case.do("intake_review", {"intake_decision": "reject", "reject_reason": "petition"})
    assert case.finished() and case.ready() == []
    assert case.data()["reject_reason"] == "petition" and "incoming_number" not in case.data()


def test_esc3_a_department_returns_a_misdispatched_letter_to_the_secrecy_office(definition):
    """Does 退回重新分送 send the letter back to 保密室, and the re-dispatch reach the other department?"""
    case = new_case(definition)
    case.do("intake_review", ACCEPT)
    case.do("register_dispatch", DISPATCH)
    assert case.do("draft_reply", {"reply_action": "return", "return_reason": "属财务处职责"}) == PLANNING
    assert case.next() == ("register_dispatch", SECRECY)
    case.do("register_dispatch", {**DISPATCH, "owning_department": "finance"})
    assert case.next() == ("draft_reply", ("finance", None))
    case.do("draft_reply", REPLY)
    assert case.next() == ("review_reply", ("finance", Role.SECTION_HEAD))


def test_mbx3_the_section_head_returns_a_reply_for_rework(definition):
    """Does a section head's 退回修改 send the reply back to the department, then on once approved?"""
    case = new_case(definition)
    case.do("intake_review", ACCEPT)
    case.do("register_dispatch", DISPATCH)
    case.do("draft_reply", REPLY)
    case.do("review_reply", {"review_decision": "return", "review_comment": "补充办理时限"})
    assert case.next() == ("draft_reply", PLANNING)
    case.do("draft_reply", {**REPLY, "publish_suggestion": "writer_only"})
    case.do("review_reply", {"review_decision": "approve"})
    assert case.next() == ("publish_reply", INFO_CENTER)
    case.do("publish_reply", {"publish_scope": "writer_only", "published_on": "2026-03-09"})
    assert case.finished() and case.data()["publish_suggestion"] == "writer_only"


def test_mbx1_to_mbx5_markup_names_the_mailbox_deadlines_and_clocks(definition):
    """Does the diagram start the reply clock by complexity at dispatch and stop it on approval only?"""
    assert definition.task_deadlines == {
        "intake_review": "mailbox.intake",
        "register_dispatch": "mailbox.dispatch",
        "publish_reply": "mailbox.review",
    }
    assert definition.clock_actions["register_dispatch"] == (
        ClockAction(
            "mailbox.reply",
            "start",
            from_field="dispatched_on",
            when=("complexity", "simple"),
            receipt_field="received_on",
        ),
        ClockAction(
            "mailbox.reply_complex",
            "start",
            from_field="dispatched_on",
            when=("complexity", "complex"),
            receipt_field="received_on",
        ),
    )
    stops = definition.clock_actions["review_reply"]
    assert [(a.deadline, a.action, a.when) for a in stops] == [
        ("mailbox.reply", "stop", ("review_decision", "approve")),
        ("mailbox.reply_complex", "stop", ("review_decision", "approve")),
    ]
    assert definition.case_deadline is None and definition.tracking_prefix == "LX"


def test_mbx4_publishing_to_everyone_is_offered_only_with_the_writers_consent(definition):
    """Are 公开 (the department's suggestion and the centre's scope) offered only when publish_consent is yes?"""
    for task, field in (("draft_reply", "publish_suggestion"), ("publish_reply", "publish_scope")):
        options = {f.name: f for f in definition.form_for(task).fields}[field].options
        assert {o.value: o.only_if for o in options} == {
            "public": ("publish_consent", "yes"),
            "writer_only": None,
        }
        assert definition.form_for(task).needs_case_data()
