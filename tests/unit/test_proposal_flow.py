"""Scenario tests of bpmn/proposal.bpmn on the bare engine (PRO-1..2, NAT-6): every handling mode,
the returns, the extension, and the redo after the deputy's dissatisfaction."""

import pytest

from tests.unit.cases import Case, load
from workflows.assignment import Role

START = {
    "item_kind": "npc_suggestion",
    "item_number": "第0123号",
    "item_title": "关于加快城市更新片区规划编制的建议",
    "deputy_name": "周建华",
    "applicant_contact": "13600000000",
    "item_content": "建议加快老城区更新片区的详细规划编制……",
    "transfer_document": "省府办交〔2026〕12号",
    "assigned_on": "2026-03-02",
}
SINGLE = {"handling_mode": "single", "owning_department": "planning"}
REPLY = {"draft_action": "reply", "reply_content": "已列入年度规划编制计划。", "answer_grade": "B"}
LEGAL = ("legal", None)
PLANNING = ("planning", None)
PLANNING_LEADER = ("planning", Role.LEADER_IN_CHARGE)


@pytest.fixture(scope="module")
def definition():
    return load("proposal")


def new_case(definition):
    """An item registered by 陈静 of 法规处 (PRO-1)."""
    return Case(definition, START, "legal")


def signed_and_sent(case):
    assert case.do("sign_reply", {"sign_decision": "approve"}) == PLANNING_LEADER
    assert case.do("send_reply", {"replied_on": "2026-05-20", "reply_channel": "system"}) == LEGAL


def test_pro1_nat6_a_single_unit_item_goes_legal_department_leader_legal(definition):
    """Does a 独办 item pass 法规处 → 规划处 → its leader in charge → 法规处, and end when the deputy is satisfied?"""
    case = new_case(definition)
    assert case.next() == ("register", LEGAL)
    case.do("register", SINGLE)
    assert case.next() == ("draft_reply", PLANNING)
    case.do("draft_reply", REPLY)
    signed_and_sent(case)
    assert case.next() == ("register_feedback", LEGAL)
    case.do("register_feedback", {"satisfaction": "basically_satisfied", "feedback_on": "2026-06-01"})
    assert case.finished()
    assert (case.data()["answer_grade"], case.data()["co_opinions"]) == ("B", [])


def test_pro2_co_handlers_each_give_an_opinion_to_the_lead_which_replies_alone(definition):
    """With 主办 + 协办, does each co-handling department get its own task, and the lead draft once all opinions are in?"""
    case = new_case(definition)
    case.do(
        "register",
        {"handling_mode": "lead", "owning_department": "planning", "co_handlers": ["finance", "office"]},
    )
    assert case.open() == [("give_co_opinion", ("finance", None)), ("give_co_opinion", ("office", None))]
    case.do("give_co_opinion", {"co_opinion_text": "资金已纳入预算。"}, department="finance")
    assert case.open() == [("give_co_opinion", ("office", None))]
    case.do("give_co_opinion", {"co_opinion_text": "同意主办意见。"}, department="office")
    assert case.next() == ("draft_reply", PLANNING)
    assert case.data()["co_opinions"] == [
        {"department": "finance", "opinion": "资金已纳入预算。"},
        {"department": "office", "opinion": "同意主办意见。"},
    ]
    case.do("draft_reply", REPLY)
    assert case.next() == ("sign_reply", PLANNING_LEADER)


def test_nat6_separate_units_each_reply_and_the_legal_division_sends_them_together(definition):
    """With 分办, does every department named draft its own graded reply, then 法规处 send them all?"""
    case = new_case(definition)
    case.do("register", {"handling_mode": "separate", "separate_handlers": ["planning", "finance"]})
    assert case.open() == [("reply_separately", ("finance", None)), ("reply_separately", ("planning", None))]
    case.do(
        "reply_separately",
        {"separate_reply_content": "规划方面……", "separate_grade": "A"},
        department="planning",
    )
    case.do(
        "reply_separately",
        {"separate_reply_content": "资金方面……", "separate_grade": "C"},
        department="finance",
    )
    assert case.next() == ("send_reply", LEGAL)
    replies = {r["department"]: r["grade"] for r in case.data()["separate_replies"]}
    assert replies == {"planning": "A", "finance": "C"}


def test_nat6_an_item_outside_the_agencys_remit_is_returned_at_registration(definition):
    """Does 退回交办单位 end the case at once, with its reason kept?"""
    case = new_case(definition)
    case.do("register", {"handling_mode": "return", "return_reason": "属市住建局职责"})
    assert case.finished() and case.data()["return_reason"] == "属市住建局职责"


def test_esc3_a_lead_department_sends_a_misassigned_item_back_for_reassignment(definition):
    """Does the lead's 退回法规处 bring the item back to registration, and the new lead then get it?"""
    case = new_case(definition)
    case.do("register", {"handling_mode": "lead", "owning_department": "finance", "co_handlers": ["office"]})
    case.do("give_co_opinion", {"co_opinion_text": "无意见"}, department="office")
    case.do("draft_reply", {"draft_action": "return", "draft_return_reason": "规划编制属规划处"})
    assert case.next() == ("register", LEGAL)
    case.do("register", SINGLE)
    assert case.next() == ("draft_reply", PLANNING)
    assert (
        case.data()["co_opinions"] == []
    )  # the earlier round's opinions are in the history, not the new round


def test_nat6_an_extension_is_decided_by_the_leads_leader_in_charge(definition):
    """Does 申请延期 go to 规划处's leader in charge and come back to the department to reply?"""
    case = new_case(definition)
    case.do("register", SINGLE)
    case.do(
        "draft_reply",
        {
            "draft_action": "extension",
            "extension_months_requested": 2,
            "extension_request_reason": "需专题调研",
        },
    )
    assert case.next() == ("approve_extension", PLANNING_LEADER)
    case.do("approve_extension", {"extension_months": 2, "extension_reason": "需专题调研"})
    assert case.next() == ("draft_reply", PLANNING)
    case.do("draft_reply", REPLY)
    case.do("sign_reply", {"sign_decision": "return", "sign_comment": "补充时间表"})
    assert case.next() == ("draft_reply", PLANNING)


def test_nat6_an_unsatisfied_deputy_gets_the_item_handled_again_by_the_same_lead(definition):
    """After 不满意, does the lead department draft a new reply that goes through signing and sending again?"""
    case = new_case(definition)
    case.do("register", SINGLE)
    case.do("draft_reply", REPLY)
    signed_and_sent(case)
    case.do(
        "register_feedback",
        {"satisfaction": "unsatisfied", "feedback_on": "2026-06-01", "feedback_content": "时间表不明确"},
    )
    assert case.next() == ("draft_reply", PLANNING)
    case.do("draft_reply", {**REPLY, "answer_grade": "A"})
    signed_and_sent(case)
    case.do("register_feedback", {"satisfaction": "satisfied", "feedback_on": "2026-08-01"})
    assert case.finished() and case.data()["answer_grade"] == "A"


def test_nat6_an_unsatisfied_deputy_sends_a_separately_handled_item_back_to_every_unit(definition):
    """After 不满意 on a 分办 item, does every unit reply again, with the first round's replies kept?"""
    case = new_case(definition)
    case.do("register", {"handling_mode": "separate", "separate_handlers": ["planning", "finance"]})
    for department in ("planning", "finance"):
        case.do(
            "reply_separately",
            {"separate_reply_content": "首轮", "separate_grade": "C"},
            department=department,
        )
    case.do("send_reply", {"replied_on": "2026-05-20", "reply_channel": "letter"})
    case.do("register_feedback", {"satisfaction": "unsatisfied", "feedback_on": "2026-06-01"})
    assert case.open() == [("reply_separately", ("finance", None)), ("reply_separately", ("planning", None))]
    assert [r["reply"] for r in case.data()["earlier_separate_replies"]] == ["首轮", "首轮"]
    assert case.data()["separate_replies"] == []


def test_pro1_markup_counts_three_months_from_assignment_no_later_than_the_transfer_document(definition):
    """Does the diagram count proposal.reply from 交办日期, held to the transfer document's date, and stop it when the reply goes out?"""
    deadline = definition.case_deadline
    assert (deadline.name, deadline.start_field, deadline.latest_field) == (
        "proposal.reply",
        "assigned_on",
        "transfer_due_on",
    )
    assert definition.task_deadlines == {
        "register": "proposal.registration",
        "give_co_opinion": "proposal.co_handler_opinion",
    }
    assert [a.action for a in definition.clock_actions["send_reply"]] == ["stop"]
    (restart,) = definition.clock_actions["register_feedback"]
    assert (restart.action, restart.from_field, restart.when) == (
        "restart",
        "feedback_on",
        ("satisfaction", "unsatisfied"),
    )
    assert definition.lane_department_fields == {"协办处室": "co_handler", "分办处室": "separate_handler"}
