"""依申请公开 through the API (REQ-1..5, NAT-1..3, ESC-1): every branch of bpmn/disclosure_request.bpmn.

Every scenario runs under the national profile (reply 20 + extension 20 working days, NAT-1) and
under hainan-sasac (15 + 15, REQ-2/REQ-3 from 000 §12); the other disclosure deadlines are national's
in both (registration 1, correction notice 7, third party 15 working days). Requests are received on
Monday 2 March 2026. Due moments are the close of the due day in Beijing (24:00 = 16:00 UTC), counted
by hand on the 2026 calendar (Qingming: Sat 4 - Mon 6 April off).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.service import flows
from tests.service.flows import act, attempt, case_clock, open_task, refused
from tests.service.test_deadlines import history, notified, sweep

START = {
    **flows.APPLICANT,
    "applicant_name": "王小明",
    "applicant_contact": "13800000000",  # a phone number: notices go out by SMS
    "request_content": "请公开2025年建设用地规划许可证发放目录",
    "channel": "online",
}
RECEIVED = "2026-03-02T01:00:00+00:00"  # Monday 2 March, 09:00 in Beijing
ACCEPT = {"owning_department": "planning", "received_on": "2026-03-02", "registration_decision": "accept"}
DISCLOSED = {"draft_action": "submit", "category": "disclosed", "reply_text": "所申请的目录见附件。"}
# disclosure.registration, 1 working day from Mon 2 Mar: Tue 3 Mar (both profiles).
REGISTRATION_DUE = "2026-03-03T16:00:00+00:00"
# 一次性告知补正 sent Tue 3 Mar 2026, the applicant given until 17 Mar (NAT-2).
CORRECTION_NOTICE = {
    "correction_items": "请写明年份",
    "correction_due_on": "2026-03-17",
    "correction_sent_on": "2026-03-03",
}


@dataclass(frozen=True)
class Expected:
    """The days one profile's numbers give for the scenarios below."""

    period: str
    reply_due: str
    corrected_due: str
    consulted_due: str
    extended_once_due: str
    extended_twice_due: str
    room_after_first: str
    extension_total: str
    remind_at: str
    escalate_at: tuple[str, str]


EXPECTED = {
    "national": Expected(
        period="20个工作日",
        # From Mon 2 Mar: 3-6 Mar = 1-4, 9-13 = 5-9, 16-20 = 10-14, 23-27 = 15-19, Mon 30 Mar = 20.
        reply_due="2026-03-30T16:00:00+00:00",
        # Restarted from Mon 9 Mar: 10-13 = 1-4, 16-20 = 5-9, 23-27 = 10-14, 30 Mar-3 Apr = 15-19,
        # Qingming 4-6 Apr off, Tue 7 Apr = 20.
        corrected_due="2026-04-07T16:00:00+00:00",
        # Stopped 5 Mar-1 Apr: 3 Mar = 1, 4 Mar = 2, 2-3 Apr = 3-4, 7-10 Apr = 5-8, 13-17 = 9-13,
        # 20-24 = 14-18, 27-28 Apr = 19-20.
        consulted_due="2026-04-28T16:00:00+00:00",
        # 20 + 10 = 30: 30 Mar = 20, 31 Mar-3 Apr = 21-24, 7-10 Apr = 25-28, 13-14 Apr = 29-30.
        extended_once_due="2026-04-14T16:00:00+00:00",
        # 20 + 20 = 40: 14 Apr = 30, 15-17 Apr = 31-33, 20-24 = 34-38, 27-28 Apr = 39-40.
        extended_twice_due="2026-04-28T16:00:00+00:00",
        room_after_first="10个工作日",  # 10 of the 20 granted first
        extension_total="20个工作日",
        # The working day before Mon 30 Mar is Fri 27 Mar; escalations at the close of 30 and 31 Mar.
        remind_at="2026-03-27T16:00:00+00:00",
        escalate_at=("2026-03-30T16:00:00+00:00", "2026-03-31T16:00:00+00:00"),
    ),
    "hainan-sasac": Expected(
        period="15个工作日",
        # From Mon 2 Mar: 3-6 Mar = 1-4, 9-13 = 5-9, 16-20 = 10-14, Mon 23 Mar = 15.
        reply_due="2026-03-23T16:00:00+00:00",
        # Restarted from Mon 9 Mar: 10-13 = 1-4, 16-20 = 5-9, 23-27 = 10-14, Mon 30 Mar = 15.
        corrected_due="2026-03-30T16:00:00+00:00",
        # Stopped 5 Mar-1 Apr: 3-4 Mar = 1-2, 2-3 Apr = 3-4, Qingming 4-6 Apr off, 7-10 Apr = 5-8,
        # 13-17 = 9-13, 20-21 Apr = 14-15.
        consulted_due="2026-04-21T16:00:00+00:00",
        # 15 + 10 = 25: 23 Mar = 15, 24-27 = 16-19, 30 Mar-3 Apr = 20-24, Tue 7 Apr = 25.
        extended_once_due="2026-04-07T16:00:00+00:00",
        # 15 + 15 = 30: 7 Apr = 25, 8-10 Apr = 26-28, 13-14 Apr = 29-30.
        extended_twice_due="2026-04-14T16:00:00+00:00",
        room_after_first="5个工作日",  # 10 of the 15 granted first
        extension_total="15个工作日",
        # The working day before Mon 23 Mar is Fri 20 Mar; escalations at the close of 23 and 24 Mar.
        remind_at="2026-03-20T16:00:00+00:00",
        escalate_at=("2026-03-23T16:00:00+00:00", "2026-03-24T16:00:00+00:00"),
    ),
}


@dataclass
class Served:
    """The API and the app of one agency profile over the shared test database, and its numbers."""

    profile: str
    api: object
    app: object
    expect: Expected


@pytest.fixture(params=["national", "hainan-sasac"])
def served(request, app, api, api_for_profile):
    if request.param == "national":
        return Served(request.param, api, app, EXPECTED["national"])
    other = api_for_profile(request.param)
    return Served(request.param, other, other.client.application, EXPECTED[request.param])


def start(api):
    return flows.start(api, "disclosure_request", "zhang.wei", START)


def reply_clock(case):
    return case_clock(case, "disclosure.reply")


def registered(served, clock, decision="accept"):
    """A case received and registered on Mon 2 Mar with the given 登记结论."""
    clock.set(RECEIVED)
    case = start(served.api)
    task = open_task(served.api, case)
    assert (task["task_spec"], task["department"]["code"], task["due_at"]) == (
        "register",
        "office",
        REGISTRATION_DUE,
    )
    refused(served.api, case, "wang.fang")
    return act(served.api, case, "register", "zhang.wei", {**ACCEPT, "registration_decision": decision})


def approve_and_send(api, case, sent_on):
    """The two approvals and the office sending the reply; returns the closed case."""
    act(api, case, "section_review", "liu.yang", {"section_decision": "approve"})
    act(api, case, "office_approval", "li.na", {"office_decision": "approve"})
    done = act(api, case, "send_reply", "zhang.wei", {"sent_via": "online", "sent_on": sent_on})
    assert done["status"] == "completed" and done["open_tasks"] == []
    return done


def test_req2_nat1_plain_reply_falls_due_on_the_profile_day(served, clock):
    """Received on Mon 2 March, is the reply due on the profile's day, and may only the right people act at each step?"""
    api, expect = served.api, served.expect
    case = registered(served, clock)
    assert case["due_at"] == expect.reply_due and case["clock_paused"] is False
    reply = reply_clock(case)
    assert (reply["period"], reply["started_on"], reply["status"]) == (expect.period, "2026-03-02", "running")
    draft = open_task(api, case)
    assert (draft["task_spec"], draft["department"]["code"], draft["role"]) == (
        "draft_reply",
        "planning",
        None,
    )
    assert draft["due_at"] == expect.reply_due
    refused(api, case, "zhang.wei")  # the office does not draft for the department

    clock.set("2026-03-05T02:00:00+00:00")
    act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    refused(api, case, "wang.fang")  # an information officer is not the section head
    act(api, case, "section_review", "liu.yang", {"section_decision": "approve"})
    approval = open_task(api, case)
    assert (approval["department"]["code"], approval["role"]) == ("office", "section_head")
    refused(api, case, "liu.yang", "zhang.wei")  # another department's head; the office's officer
    act(api, case, "office_approval", "li.na", {"office_decision": "approve"})
    refused(api, case, "wang.fang")
    done = act(api, case, "send_reply", "zhang.wei", {"sent_via": "online", "sent_on": "2026-03-06"})

    assert done["status"] == "completed" and done["data"]["category"] == "disclosed"
    assert [t["task_spec"] for t in done["done_tasks"]] == [
        "register",
        "draft_reply",
        "section_review",
        "office_approval",
        "send_reply",
    ]
    assert {d["status"] for d in done["deadlines"]} == {"met"}


def test_req2_nat3_returns_go_back_to_drafting_while_the_clock_runs_on(served, clock):
    """After the section head's and the disclosure office head's 退回修改, is the redraft due on the same day?"""
    api, expect = served.api, served.expect
    case = registered(served, clock)
    act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    clock.set("2026-03-04T02:00:00+00:00")
    act(
        api,
        case,
        "section_review",
        "liu.yang",
        {"section_decision": "return", "section_comment": "请核对年份"},
    )
    redraft = open_task(api, case)
    assert (redraft["task_spec"], redraft["department"]["code"], redraft["due_at"]) == (
        "draft_reply",
        "planning",
        expect.reply_due,
    )
    act(api, case, "draft_reply", "wang.fang", {**DISCLOSED, "reply_text": "已核对年份，目录见附件。"})
    act(api, case, "section_review", "liu.yang", {"section_decision": "approve"})
    clock.set("2026-03-09T02:00:00+00:00")
    act(api, case, "office_approval", "li.na", {"office_decision": "return", "office_comment": "请补充依据"})
    redraft = open_task(api, case)
    assert (redraft["task_spec"], redraft["due_at"]) == ("draft_reply", expect.reply_due)
    withheld = {"draft_action": "submit", "category": "withheld", "withheld_reason": "process_information"}
    act(api, case, "draft_reply", "wang.fang", {**withheld, "reply_text": "属于过程性信息，不予公开。"})
    done = approve_and_send(api, case, "2026-03-11")

    assert [t["task_spec"] for t in done["done_tasks"]].count("draft_reply") == 3
    assert (done["data"]["category"], done["data"]["withheld_reason"]) == ("withheld", "process_information")
    # The approvals' last answers were 同意 without comment: the case shows those, the history the returns.
    assert "section_comment" not in done["data"] and "office_comment" not in done["data"]
    returns = [e["details"]["data"] for e in done["history"] if e["kind"] == "task_completed"]
    assert {"section_decision": "return", "section_comment": "请核对年份"} in returns
    assert {"office_decision": "return", "office_comment": "请补充依据"} in returns


def test_req2_a_redrafted_reply_shows_only_its_current_answers(served, clock):
    """Drafted as 不予公开 with a reason, returned, redrafted as 部分公开: does the case drop the old reason, the history keep it?"""
    api = served.api
    case = registered(served, clock)
    withheld = {"draft_action": "submit", "category": "withheld", "withheld_reason": "process_information"}
    act(api, case, "draft_reply", "wang.fang", {**withheld, "reply_text": "属于过程性信息，不予公开。"})
    act(
        api,
        case,
        "section_review",
        "liu.yang",
        {"section_decision": "return", "section_comment": "部分可以公开"},
    )
    partly = {"draft_action": "submit", "category": "partly_disclosed", "reply_text": "部分公开，见附件。"}
    case = act(api, case, "draft_reply", "wang.fang", partly)
    assert case["data"]["category"] == "partly_disclosed" and "withheld_reason" not in case["data"]
    drafts = [
        e["details"]["data"]
        for e in case["history"]
        if e["kind"] == "task_completed" and e["details"]["task"] == "起草答复"
    ]
    assert [d.get("withheld_reason") for d in drafts] == ["process_information", None]


def test_nat2_correction_restarts_the_reply_clock_from_the_corrected_request(served, clock, sender):
    """Sent back for 补正, is the clock stopped while the applicant corrects and counted again from the corrected request?"""
    api, expect = served.api, served.expect
    case = registered(served, clock, "correction")
    notice = open_task(api, case)
    # disclosure.correction_notice, 7 working days from Mon 2 Mar: 3-6 Mar = 1-4, 9-11 Mar = 5-7.
    assert (notice["task_spec"], notice["department"]["code"], notice["due_at"]) == (
        "correction_notice",
        "office",
        "2026-03-11T16:00:00+00:00",
    )
    assert case["due_at"] == expect.reply_due  # the office's own time counts
    refused(api, case, "wang.fang")

    clock.set("2026-03-03T02:00:00+00:00")
    items = {"correction_items": "请写明年份和区域", "correction_due_on": "2026-03-17"}
    waiting = act(api, case, "correction_notice", "zhang.wei", {**items, "correction_sent_on": "2026-03-03"})
    assert waiting["clock_paused"] is True and waiting["due_at"] is None
    assert reply_clock(waiting)["pauses"] == [["2026-03-03", None]]
    assert open_task(api, case)["task_spec"] == "await_correction" and open_task(api, case)["due_at"] is None
    sweep(served.app, "2026-03-03T02:00:00+00:00")  # delivers the outbox: the one-time correction notice
    ((channel, address, subject, body),) = sender.sent
    assert (channel, address) == ("sms", START["applicant_contact"]) and "补正告知" in subject
    assert "请写明年份和区域" in body and "2026-03-17" in body

    clock.set("2026-03-10T02:00:00+00:00")
    act(api, case, "await_correction", "zhang.wei", {"correction_result": "corrected"})
    registration = open_task(api, case)
    # disclosure.registration, 1 working day from Tue 10 Mar: Wed 11 Mar.
    assert (registration["task_spec"], registration["due_at"]) == (
        "register_correction",
        "2026-03-11T16:00:00+00:00",
    )
    corrected = {"corrected_on": "2026-03-09", "corrected_content": "2025年东区建设用地规划许可证目录"}
    after = act(api, case, "register_correction", "zhang.wei", {**corrected, "owning_department": "planning"})

    assert after["due_at"] == expect.corrected_due and after["clock_paused"] is False
    reply = reply_clock(after)
    assert (reply["started_on"], reply["pauses"]) == ("2026-03-09", [])
    assert history(served.app, case["id"], "deadline_restarted") == [
        {"deadline": "disclosure.reply", "from": "2026-03-09"}
    ]
    draft = open_task(api, case)
    assert (draft["task_spec"], draft["department"]["code"], draft["due_at"]) == (
        "draft_reply",
        "planning",
        expect.corrected_due,
    )
    act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    done = approve_and_send(api, case, "2026-03-20")
    assert (done["data"]["received_on"], done["data"]["corrected_on"]) == ("2026-03-02", "2026-03-09")


def test_nat2_no_correction_in_time_is_abandoned_and_the_stopped_clock_raises_nobody(served, clock):
    """While the applicant is silent, does nobody get 催办/督办, and does 逾期未补正 close the case as abandoned?"""
    api = served.api
    case = registered(served, clock, "correction")
    clock.set("2026-03-03T02:00:00+00:00")
    act(api, case, "correction_notice", "zhang.wei", CORRECTION_NOTICE)

    for moment in ("2026-03-20T16:00:00+00:00", "2026-03-31T16:00:00+00:00"):
        sweep(served.app, moment)  # past both profiles' reply days had the clock kept running
    assert history(served.app, case["id"], "reminded") == []
    assert history(served.app, case["id"], "escalated") == []
    assert notified(served.app, "liu.yang", "escalation") == []

    clock.set("2026-04-01T02:00:00+00:00")
    refused(api, case, "wang.fang")
    done = act(api, case, "await_correction", "zhang.wei", {"correction_result": "not_corrected"})
    assert done["status"] == "completed" and done["open_tasks"] == []
    assert (done["data"]["category"], done["data"]["other_reason"]) == ("other", "not_corrected")
    assert [t["task_spec"] for t in done["done_tasks"]] == [
        "register",
        "correction_notice",
        "await_correction",
    ]
    # The tasks were done; the reply was not given but abandoned (NAT-2), so it is not counted as met.
    assert {d["name"]: d["status"] for d in done["deadlines"]} == {
        "disclosure.reply": "abandoned",
        "disclosure.registration": "met",
        "disclosure.correction_notice": "met",
    }


def test_req4_nat2_consultation_stops_the_reply_clock_while_the_third_party_deadline_runs(served, clock):
    """Consulting a third party 4 Mar-1 Apr, is the reply clock stopped, and only the third party's 15 days raised?"""
    api, expect = served.api, served.expect
    case = registered(served, clock)
    clock.set("2026-03-04T02:00:00+00:00")
    consulting = act(api, case, "draft_reply", "wang.fang", {"draft_action": "consult"})
    assert consulting["clock_paused"] is True and consulting["due_at"] is None
    assert reply_clock(consulting)["pauses"] == [["2026-03-04", None]]
    consult = open_task(api, case)
    # disclosure.third_party, 15 working days from Wed 4 Mar: 5-6 Mar = 1-2, 9-13 = 3-7, 16-20 = 8-12,
    # 23-25 Mar = 13-15.
    assert (consult["task_spec"], consult["department"]["code"], consult["due_at"]) == (
        "consult",
        "planning",
        "2026-03-25T16:00:00+00:00",
    )
    refused(api, case, "zhang.wei")

    for moment in ("2026-03-24T16:00:00+00:00", "2026-03-31T16:00:00+00:00"):
        sweep(served.app, moment)
    raised = [(e["deadline"], e["level"]) for e in history(served.app, case["id"], "escalated")]
    assert raised == [("disclosure.third_party", 1), ("disclosure.third_party", 2)]
    assert [e["deadline"] for e in history(served.app, case["id"], "reminded")] == ["disclosure.third_party"]

    clock.set("2026-04-01T02:00:00+00:00")
    answer = {
        "consulted_party_type": "third_party",
        "consulted_party": "某建设有限公司",
        "consultation_result": "no_answer",
    }
    resumed = act(api, case, "consult", "wang.fang", answer)
    assert resumed["clock_paused"] is False and resumed["due_at"] == expect.consulted_due
    assert reply_clock(resumed)["pauses"] == [["2026-03-04", "2026-04-01"]]
    draft = open_task(api, case)
    assert (draft["task_spec"], draft["due_at"]) == ("draft_reply", expect.consulted_due)
    act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    done = approve_and_send(api, case, "2026-04-03")
    assert done["data"]["consultation_result"] == "no_answer"


def refusal(response) -> tuple[int, str, str, str]:
    problem = response.get_json()
    return response.status_code, problem["field"], problem["code"], problem["title"]


def test_req3_nat1_extensions_approved_by_the_disclosure_office_head_within_the_ceiling_and_told_by_sms(
    served, clock, sender
):
    """Are extensions approved only by 办公室's head, refused (never cut) beyond the ceiling when asked and when approved, and each sent to the applicant?"""
    api, expect = served.api, served.expect
    room = expect.room_after_first
    case = registered(served, clock)
    clock.set("2026-03-05T02:00:00+00:00")
    ask = {"draft_action": "extend", "extension_requested": 10, "extension_request_reason": "需调取档案"}
    act(api, case, "draft_reply", "wang.fang", ask)
    approval = open_task(api, case)
    assert (approval["task_spec"], approval["department"]["code"], approval["role"]) == (
        "approve_extension",
        "office",
        "section_head",
    )
    assert approval["due_at"] == expect.reply_due
    refused(api, case, "wang.fang", "zhang.wei", "liu.yang")
    no_reason = api.post(f"/tasks/{approval['id']}/complete", "li.na", {"data": {"extension_amount": 10}})
    assert no_reason.status_code == 422 and no_reason.get_json()["field"] == "extension_reason"
    once = act(
        api,
        case,
        "approve_extension",
        "li.na",
        {"extension_amount": 10, "extension_reason": "需调取历年档案"},
    )
    assert once["due_at"] == expect.extended_once_due

    # Asking for more than is left is refused where it is asked, saying how much is left.
    status, field, code, title = refusal(attempt(api, case, "wang.fang", {**ask, "extension_requested": 30}))
    assert (status, field, code) == (422, "extension_requested", "extension_too_long")
    assert f"最多还可延长{room}" in title
    days = int(room.removesuffix("个工作日"))
    act(api, case, "draft_reply", "wang.fang", {**ask, "extension_requested": days})
    refused_once = {"extension_amount": 0, "extension_comment": "理由不充分"}
    after = act(api, case, "approve_extension", "li.na", refused_once)
    assert after["due_at"] == expect.extended_once_due  # 0 is 不同意: nothing changes, nobody is told
    act(api, case, "draft_reply", "wang.fang", {**ask, "extension_requested": days})
    grant = {"extension_amount": 30, "extension_reason": "档案数量较大"}
    status, field, code, title = refusal(attempt(api, case, "li.na", grant))
    assert (status, field, code) == (422, "extension_amount", "extension_too_long") and room in title
    twice = act(api, case, "approve_extension", "li.na", {**grant, "extension_amount": days})
    assert twice["due_at"] == expect.extended_twice_due
    assert reply_clock(twice)["extension"] == expect.extension_total
    granted = [e["granted"] for e in history(served.app, case["id"], "deadline_extended")]
    assert granted == ["10个工作日", room]

    # The ceiling used up, a further request is refused at once instead of reaching the head.
    status, field, code, title = refusal(attempt(api, case, "wang.fang", {**ask, "extension_requested": 5}))
    assert (status, field, code) == (422, "extension_requested", "extension_exhausted")
    assert f"不得超过{expect.extension_total}" in title and "不能再延期" in title
    assert open_task(api, case)["task_spec"] == "draft_reply"

    sweep(served.app, "2026-03-05T03:00:00+00:00")  # delivers the outbox
    accepted, *sms = [
        m for m in sender.sent if m[0] == "sms"
    ]  # 受理告知 at registration, then each extension
    assert "受理告知" in accepted[2]
    assert [m[1] for m in sms] == ["13800000000", "13800000000"]
    assert "需调取历年档案" in sms[0][3] and "延长10个工作日" in sms[0][3]
    assert "档案数量较大" in sms[1][3] and f"延长{room}" in sms[1][3]
    assert len(history(served.app, case["id"], "applicant_notified")) == 3

    act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    done = approve_and_send(api, case, "2026-04-10")
    # The last draft asked for no more time: the case shows that; the granted days stay with the approval.
    assert "extension_requested" not in done["data"] and done["data"]["extension_amount"] == days


def test_nat3_pet1_a_petition_is_taken_over_by_the_petition_office_and_not_processed(served, clock):
    """A complaint filed as a disclosure request: does 信访处 take it over, record its petition number, and close it as 不予处理?"""
    api, expect = served.api, served.expect
    case = registered(served, clock, "petition")
    assert case["due_at"] == expect.reply_due
    transfer = open_task(api, case)
    assert (transfer["task_spec"], transfer["name"], transfer["department"]["code"], transfer["role"]) == (
        "transfer_to_petition",
        "转信访处理",
        "petition",
        None,
    )
    assert transfer["due_at"] == REGISTRATION_DUE
    refused(api, case, "zhang.wei", "wang.fang")
    done = act(api, case, "transfer_to_petition", "hu.jun", {"petition_case_number": "XF-2026-000123"})

    assert done["status"] == "completed" and done["open_tasks"] == []
    data = done["data"]
    assert (data["category"], data["not_processed_reason"], data["petition_case_number"]) == (
        "not_processed",
        "petition_complaint",
        "XF-2026-000123",
    )
    assert [t["task_spec"] for t in done["done_tasks"]] == ["register", "transfer_to_petition"]
    # Not handled as a disclosure request: its reply clock closes as returned, the tasks' as met.
    assert {(d["name"], d["status"]) for d in done["deadlines"]} == {
        ("disclosure.reply", "returned"),
        ("disclosure.registration", "met"),
    }
    assert [e["kind"] for e in done["history"]][-1] == "completed"


def test_esc1_req2_a_late_reply_is_reminded_then_escalated_each_exactly_once(served, clock):
    """Left in drafting, is the department's head reminded a working day ahead, then raised, then the leader in charge, once each?"""
    api, app, expect = served.api, served.app, served.expect
    case = registered(served, clock)
    assert sweep(app, "2026-03-03T15:59:00+00:00").deadlines == 0

    before = expect.remind_at.replace("T16:00", "T15:59")
    sweep(app, before)
    assert history(app, case["id"], "reminded") == []
    for _ in range(2):
        sweep(app, expect.remind_at)
    (reminded,) = history(app, case["id"], "reminded")
    assert reminded["deadline"] == "disclosure.reply" and reminded["due_at"] == expect.reply_due
    assert len(notified(app, "liu.yang", "reminder")) == 1

    for _ in range(2):
        sweep(app, expect.escalate_at[0])
    assert [e["level"] for e in history(app, case["id"], "escalated")] == [1]
    assert len(notified(app, "liu.yang", "escalation")) == 1
    for _ in range(2):
        sweep(app, expect.escalate_at[1])
    assert [e["level"] for e in history(app, case["id"], "escalated")] == [1, 2]
    assert len(notified(app, "zhao.lei", "escalation")) == 1  # leader in charge of planning
    assert notified(app, "sun.li", "escalation") == []
    assert (
        len(notified(app, "liu.yang", "reminder")) == 1 and len(notified(app, "liu.yang", "escalation")) == 1
    )

    clock.set(expect.escalate_at[1])
    draft = open_task(api, case)
    assert (draft["task_spec"], draft["overdue"], draft["escalation_level"]) == ("draft_reply", True, 2)


def test_a_returned_draft_says_why_and_comes_filled_with_the_earlier_answer(api, clock):
    """Sent back by the section head, does the redraft task show who returned it and why, prefill the
    earlier answer, and carry the case data needed to redraft, all in one GET?"""
    clock.set(RECEIVED)
    case = act(api, start(api), "register", "zhang.wei", ACCEPT)
    first = open_task(api, case)
    detail = api.get(f"/tasks/{first['id']}", "wang.fang").get_json()
    assert detail["rework"] is None
    assert detail["case"]["data"]["request_content"] == flows.START["request_content"]
    assert detail["case"]["tracking_number"] == case["tracking_number"]
    act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    clock.set("2026-03-03T02:00:00+00:00")
    act(
        api,
        case,
        "section_review",
        "liu.yang",
        {"section_decision": "return", "section_comment": "请核对年份"},
    )
    redraft = open_task(api, case)
    detail = api.get(f"/tasks/{redraft['id']}", "wang.fang").get_json()
    returned = detail["rework"]["returned_by"]
    assert (returned["task"], returned["person"]["name"], returned["at"]) == (
        "处室负责人审核",
        "刘洋",
        "2026-03-03T02:00:00+00:00",
    )
    assert {
        "field": "section_decision",
        "label": "审核意见",
        "value": "return",
        "text": "退回修改",
    } in returned["answer"]
    assert {
        "field": "section_comment",
        "label": "审核说明",
        "value": "请核对年份",
        "text": "请核对年份",
    } in returned["answer"]
    values = {f["name"]: f.get("value") for f in detail["form"]}
    assert (values["draft_action"], values["category"], values["reply_text"]) == (
        "submit",
        "disclosed",
        DISCLOSED["reply_text"],
    )
    assert values["withheld_reason"] is None
    assert detail["case"]["data"]["section_comment"] == "请核对年份"


def test_nat2_the_correction_notice_counts_from_receipt_not_registration(served, clock):
    """A request received Mon 2 Mar 2026 and registered Wed 4 Mar: is the 7-working-day correction notice due Wed 11 Mar (from receipt), not Fri 13 Mar?"""
    api = served.api
    clock.set(RECEIVED)
    case = start(api)
    clock.set("2026-03-04T02:00:00+00:00")
    case = act(api, case, "register", "zhang.wei", {**ACCEPT, "registration_decision": "correction"})
    notice = open_task(api, case)
    assert (notice["task_spec"], notice["due_at"]) == ("correction_notice", "2026-03-11T16:00:00+00:00")
    (row,) = [d for d in case["deadlines"] if d["task_id"] == notice["id"]]
    assert row["started_on"] == "2026-03-02"
