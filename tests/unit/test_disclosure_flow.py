"""Scenario tests of bpmn/disclosure_request.bpmn on the bare engine (REQ-1..5, NAT-1..3).

One scenario per branch: plain reply, correction then reply, correction not answered, consultation,
extension, routing to the petition office, and each return loop. Every step saves the workflow to
JSON and restores it before going on, as the service does, and checks who gets the next task.
"""

import pytest

from tests.unit.cases import Case, load
from workflows.assignment import Role
from workflows.engine.parser import ClockAction

START = {
    "applicant_type": "person",
    "id_type": "resident_id",
    "id_number": "110101199001011234",
    "delivery_form": "email",
    "applicant_name": "王小明",
    "applicant_contact": "13800000000",
    "request_content": "2025年规划许可目录",
    "channel": "online",
}
ACCEPT = {"owning_department": "planning", "received_on": "2026-03-02", "registration_decision": "accept"}
DISCLOSED = {"draft_action": "submit", "category": "disclosed", "reply_text": "附件为所申请的目录。"}
OFFICE = ("office", None)
DEPARTMENT = ("planning", None)
SECTION_HEAD = ("planning", Role.SECTION_HEAD)
OFFICE_HEAD = ("office", Role.SECTION_HEAD)


@pytest.fixture(scope="module")
def definition():
    return load("disclosure_request")


def new_case(definition):
    """A request entered by zhang.wei of the office on Mon 2 Mar 2026."""
    return Case(definition, START, "office")


def _approve_and_send(case, sent_on="2026-03-20"):
    assert case.do("section_review", {"section_decision": "approve"}) == SECTION_HEAD
    assert case.do("office_approval", {"office_decision": "approve"}) == OFFICE_HEAD
    assert case.do("send_reply", {"sent_via": "online", "sent_on": sent_on}) == OFFICE
    assert case.finished()


def test_req2_nat3_plain_reply_moves_office_department_heads_office(definition):
    """Does an approved reply pass office → department → its head → disclosure office head → office?"""
    case = new_case(definition)
    assert case.next() == ("register", OFFICE)
    assert case.do("register", ACCEPT) == OFFICE
    assert case.next() == ("draft_reply", DEPARTMENT)
    assert case.do("draft_reply", DISCLOSED) == DEPARTMENT
    assert case.next() == ("section_review", SECTION_HEAD)
    _approve_and_send(case)
    data = case.data()
    assert (data["category"], data["applicant_name"], data["sent_on"]) == (
        "disclosed",
        "王小明",
        "2026-03-20",
    )
    assert "correction_result" not in data and "petition_case_number" not in data


def test_req1_registration_needs_a_decision(definition):
    """Must the office say whether a request is clear, needs correction or is a petition, instead of silently accepting it?"""
    decision = {f.name: f for f in definition.form_for("register").fields}["registration_decision"]
    assert decision.required and [o.value for o in decision.options] == ["accept", "correction", "petition"]


def test_req2_section_head_return_goes_back_to_drafting_then_on(definition):
    """Does a section head's 退回修改 send the reply back to the department, and the redraft on again?"""
    case = new_case(definition)
    case.do("register", ACCEPT)
    case.do("draft_reply", DISCLOSED)
    case.do("section_review", {"section_decision": "return", "section_comment": "请补充依据"})
    assert case.next() == ("draft_reply", DEPARTMENT)
    assert not case.finished()
    case.do("draft_reply", {**DISCLOSED, "reply_text": "附件为所申请的目录，依据见正文。"})
    _approve_and_send(case)
    assert case.data()["section_comment"] == "请补充依据"


def test_nat3_office_head_return_goes_back_to_drafting_then_on(definition):
    """Does the disclosure office head's 退回修改 send the reply back to drafting, then on again?"""
    case = new_case(definition)
    case.do("register", ACCEPT)
    case.do("draft_reply", DISCLOSED)
    case.do("section_review", {"section_decision": "approve"})
    case.do("office_approval", {"office_decision": "return", "office_comment": "理由不充分"})
    assert case.next() == ("draft_reply", DEPARTMENT)
    withheld = {"draft_action": "submit", "category": "withheld", "withheld_reason": "state_secret"}
    case.do("draft_reply", {**withheld, "reply_text": "不予公开"})
    _approve_and_send(case)
    assert (case.data()["category"], case.data()["withheld_reason"]) == ("withheld", "state_secret")


def test_nat2_correction_then_reply(definition):
    """An unclear request: does the office send one correction notice, register the corrected request, and the department reply?"""
    case = new_case(definition)
    case.do("register", {**ACCEPT, "registration_decision": "correction"})
    assert case.next() == ("correction_notice", OFFICE)
    notice = {
        "correction_items": "请写明所需许可证的年份和区域",
        "correction_due_on": "2026-03-16",
        "correction_sent_on": "2026-03-03",
    }
    case.do("correction_notice", notice)
    assert case.next() == ("await_correction", OFFICE)
    case.do("await_correction", {"correction_result": "corrected"})
    assert case.next() == ("register_correction", OFFICE)
    corrected = {
        "corrected_on": "2026-03-10",
        "corrected_content": "2025年本市东区建设用地规划许可证目录",
        "owning_department": "finance",
    }
    case.do("register_correction", corrected)
    # The corrected request may go to another department than the first registration named.
    assert case.next() == ("draft_reply", ("finance", None))
    case.do("draft_reply", DISCLOSED)
    assert case.next() == ("section_review", ("finance", Role.SECTION_HEAD))
    case.do("section_review", {"section_decision": "approve"})
    case.do("office_approval", {"office_decision": "approve"})
    case.do("send_reply", {"sent_via": "post", "sent_on": "2026-03-30"})
    assert case.finished()
    data = case.data()
    assert (data["corrected_on"], data["received_on"], data["category"]) == (
        "2026-03-10",
        "2026-03-02",
        "disclosed",
    )
    assert data["request_content"] == START["request_content"]  # the original request stays on record


def test_nat2_correction_is_offered_once(definition):
    """Can a case reach the correction notice from anywhere but its first registration (one round only)?"""
    specs = definition.spec.task_specs
    (gateway,) = specs["correction_notice"].inputs
    assert gateway.name == "Gateway_registration"
    assert [t.name for t in gateway.inputs] == ["register"]
    assert [t.name for t in specs["register"].inputs] == ["StartEvent_received"]
    assert [t.name for t in specs["register_correction"].outputs] == ["draft_reply"]


def test_nat2_no_correction_in_time_is_abandoned(definition):
    """If the applicant does not correct in time, does the case end as 视为放弃 without reaching a department?"""
    case = new_case(definition)
    case.do("register", {**ACCEPT, "registration_decision": "correction"})
    case.do(
        "correction_notice",
        {
            "correction_items": "请写明年份",
            "correction_due_on": "2026-03-16",
            "correction_sent_on": "2026-03-03",
        },
    )
    assert case.do("await_correction", {"correction_result": "not_corrected"}) == OFFICE
    assert case.ready() == []
    assert case.finished() and case.ending() == "abandoned"  # its reply clock is not met
    data = case.data()
    assert (data["category"], data["other_reason"]) == ("other", "not_corrected")
    assert "reply_text" not in data


def test_req4_consultation_from_drafting_returns_to_drafting(definition):
    """Can the department consult a third party while drafting, and draft the reply once the answer is in?"""
    case = new_case(definition)
    case.do("register", ACCEPT)
    assert case.do("draft_reply", {"draft_action": "consult"}) == DEPARTMENT
    assert case.next() == ("consult", DEPARTMENT)
    consulted = {
        "consulted_party_type": "third_party",
        "consulted_party": "某建设公司",
        "consultation_result": "objected",
        "consultation_opinion": "涉及商业秘密",
    }
    case.do("consult", consulted)
    assert case.next() == ("draft_reply", DEPARTMENT)
    partly = {
        "draft_action": "submit",
        "category": "partly_disclosed",
        "reply_text": "部分公开，涉及商业秘密部分不予公开。",
    }
    case.do("draft_reply", partly)
    assert case.next() == ("section_review", SECTION_HEAD)
    _approve_and_send(case)
    data = case.data()
    assert (data["consultation_result"], data["category"], data["draft_action"]) == (
        "objected",
        "partly_disclosed",
        "submit",
    )


def test_req4_another_agency_can_be_consulted_twice(definition):
    """After one consultation, can the department consult another agency before replying?"""
    case = new_case(definition)
    case.do("register", ACCEPT)
    for party_type, party in (("third_party", "某建设公司"), ("other_agency", "市自然资源局")):
        case.do("draft_reply", {"draft_action": "consult"})
        answer = {
            "consulted_party_type": party_type,
            "consulted_party": party,
            "consultation_result": "agreed",
        }
        case.do("consult", answer)
    assert case.next() == ("draft_reply", DEPARTMENT)
    assert case.data()["consulted_party"] == "市自然资源局"


def test_req3_extension_is_approved_by_the_disclosure_office_head_then_drafting_goes_on(definition):
    """Does a department's request for more time go to the head of the disclosure office and back to drafting?"""
    case = new_case(definition)
    case.do("register", ACCEPT)
    extend = {"draft_action": "extend", "extension_requested": 10, "extension_request_reason": "需调取档案"}
    case.do("draft_reply", extend)
    assert case.next() == ("approve_extension", OFFICE_HEAD)
    case.do("approve_extension", {"extension_amount": 10, "extension_reason": "需调取历年档案"})
    assert case.next() == ("draft_reply", DEPARTMENT)
    case.do("draft_reply", DISCLOSED)
    _approve_and_send(case)
    data = case.data()
    assert (data["extension_requested"], data["extension_amount"], data["category"]) == (10, 10, "disclosed")


def test_req3_a_refused_extension_also_returns_to_drafting(definition):
    """When the head of the disclosure office grants 0 days, is the department back at drafting?"""
    case = new_case(definition)
    case.do("register", ACCEPT)
    case.do(
        "draft_reply",
        {"draft_action": "extend", "extension_requested": 5, "extension_request_reason": "人手不足"},
    )
    case.do("approve_extension", {"extension_amount": 0, "extension_comment": "理由不成立"})
    assert case.next() == ("draft_reply", DEPARTMENT)


def test_nat3_pet1_a_petition_is_routed_to_the_petition_office_and_not_processed(definition):
    """Is a complaint filed as a request taken over by 信访处 and closed as 不予处理, no department involved?"""
    case = new_case(definition)
    case.do("register", {**ACCEPT, "registration_decision": "petition"})
    assert case.next() == ("transfer_to_petition", ("petition", None))
    case.do("transfer_to_petition", {"petition_case_number": "XF-2026-000123"})
    assert case.finished()
    data = case.data()
    assert (data["category"], data["not_processed_reason"], data["petition_case_number"]) == (
        "not_processed",
        "petition_complaint",
        "XF-2026-000123",
    )


def test_nat3_reply_form_offers_every_category(definition):
    """Does the drafting form offer every NAT-3 category, require one to submit, and a reason when withheld?"""
    fields = {f.name: f for f in definition.form_for("draft_reply").fields}
    values = {o.value for o in fields["category"].options}
    assert {
        "already_public",
        "disclosed",
        "partly_disclosed",
        "withheld",
        "not_held",
        "not_processed",
        "other",
    } == values
    assert fields["draft_action"].required
    assert fields["category"].required_if == ("draft_action", "submit")
    assert fields["reply_text"].required_if == ("draft_action", "submit")
    assert fields["withheld_reason"].required_if == ("category", "withheld")
    assert fields["extension_requested"].required_if == ("draft_action", "extend")
    assert definition.start_form is not None
    assert definition.tracking_prefix == "GK"


def test_req2_req3_req4_nat2_deadlines_and_clock_actions_are_named_on_their_steps(definition):
    """Does each step carry the profile deadline and clock action the rules give it?"""
    assert (definition.case_deadline.name, definition.case_deadline.start_field) == (
        "disclosure.reply",
        "received_on",
    )
    assert definition.task_deadlines == {
        "register": "disclosure.registration",
        "correction_notice": "disclosure.correction_notice",
        "register_correction": "disclosure.registration",
        "transfer_to_petition": "disclosure.registration",
        "consult": "disclosure.third_party",
    }
    reply = "disclosure.reply"
    assert definition.clock_actions == {
        "await_correction": (ClockAction(reply, "pause"),),
        "register_correction": (ClockAction(reply, "restart", from_field="corrected_on"),),
        "consult": (ClockAction(reply, "pause"),),
        # REQ-3: a request beyond what the ceiling leaves is refused where it is asked.
        "draft_reply": (
            ClockAction(
                reply,
                "request_extension",
                amount_field="extension_requested",
                maximum="disclosure.extension",
                when=("draft_action", "extend"),
            ),
        ),
        "approve_extension": (
            ClockAction(
                reply,
                "extend",
                amount_field="extension_amount",
                reason_field="extension_reason",
                maximum="disclosure.extension",
            ),
        ),
    }
    lanes = definition.user_task_lanes
    assert (lanes["approve_extension"], lanes["transfer_to_petition"]) == ("办公室·处室负责人", "信访处")
