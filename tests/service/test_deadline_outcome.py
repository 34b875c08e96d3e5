"""How a deadline ends (issue 10): kept or late and by how much, or closed because the case ended otherwise.

Disclosure requests run under the national profile: received Mon 2 Mar 2026, registration due Tue
3 Mar (1 working day), the reply Mon 30 Mar (20 working days, NAT-1), each at 24:00 Beijing
(16:00 UTC). A late clock says by how many of its own units: working days on the official calendar.
"""

from __future__ import annotations

from tests.service import flows
from tests.service.flows import act, case_clock, clock_named, open_task, view
from tests.service.test_disclosure_api import ACCEPT, CORRECTION_NOTICE, DISCLOSED, RECEIVED, START
from tests.service.test_mailbox_api import REPLY, dispatched

KEPT = {"on_time": True, "late_by": 0, "late_unit": "workday"}


def outcome(clock: dict) -> tuple:
    return clock["status"], clock["on_time"], clock["late_by"], clock["late_unit"]


def registered(api, clock, decision="accept", at=RECEIVED):
    """A request received Mon 2 Mar 09:00 and registered at `at` with the given 登记结论."""
    clock.set(RECEIVED)
    case = flows.start(api, "disclosure_request", "zhang.wei", START)
    clock.set(at)
    return act(api, case, "register", "zhang.wei", {**ACCEPT, "registration_decision": decision})


def replied(api, clock, sent_at):
    """Drafted and approved on Thu 5 Mar, the reply sent by the office at `sent_at`."""
    case = registered(api, clock)
    clock.set("2026-03-05T02:00:00+00:00")
    act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    act(api, case, "section_review", "liu.yang", {"section_decision": "approve"})
    act(api, case, "office_approval", "li.na", {"office_decision": "approve"})
    clock.set(sent_at)
    return act(api, case, "send_reply", "zhang.wei", {"sent_via": "online", "sent_on": sent_at[:10]})


def test_req2_national_a_reply_sent_on_tue_31_mar_is_one_working_day_late(api, clock):
    """national: a reply due Mon 30 Mar 24:00 and sent Tue 31 Mar reads met, not on time, 1 working day late."""
    done = replied(api, clock, "2026-03-31T02:00:00+00:00")
    assert done["status"] == "completed"
    assert outcome(case_clock(done, "disclosure.reply")) == ("met", False, 1, "workday")
    registration = clock_named(done, "disclosure.registration")
    assert outcome(registration) == ("met", True, 0, "workday")  # registered on the day of receipt


def test_req2_national_a_reply_sent_on_fri_27_mar_is_on_time(api, clock):
    """national: a reply due Mon 30 Mar 24:00 and sent Fri 27 Mar reads met and on time."""
    done = replied(api, clock, "2026-03-27T02:00:00+00:00")
    assert outcome(case_clock(done, "disclosure.reply")) == ("met", True, 0, "workday")


def test_req2_national_a_reply_sent_at_the_last_moment_is_on_time_and_a_minute_later_is_not(api, clock):
    """national: sent Mon 30 Mar 23:59 Beijing the reply is on time; sent at 24:00 it is 1 working day late."""
    done = replied(api, clock, "2026-03-30T15:59:00+00:00")
    assert outcome(case_clock(done, "disclosure.reply"))[:3] == ("met", True, 0)
    done = replied(api, clock, "2026-03-30T16:00:00+00:00")
    assert outcome(case_clock(done, "disclosure.reply"))[:3] == ("met", False, 1)


def test_esc1_national_a_registration_done_on_wed_4_mar_is_one_working_day_late_on_its_task(api, clock):
    """national: registration due Tue 3 Mar 24:00, done Wed 4 Mar: its clock and the done task both say 1 working day late."""
    case = registered(api, clock, at="2026-03-04T02:00:00+00:00")
    assert outcome(clock_named(case, "disclosure.registration")) == ("met", False, 1, "workday")
    (register,) = case["done_tasks"]
    assert (register["on_time"], register["late_by"], register["late_unit"]) == (False, 1, "workday")
    detail = api.get(f"/tasks/{register['id']}", "zhang.wei").get_json()
    assert (detail["on_time"], detail["late_by"], detail["late_unit"]) == (False, 1, "workday")
    done = api.get("/tasks?scope=mine&status=done", "zhang.wei").get_json()["items"]
    assert [(t["id"], t["on_time"], t["late_by"]) for t in done if t["id"] == register["id"]] == [
        (register["id"], False, 1)
    ]
    draft = open_task(api, case)  # open, and on the case's clock: nothing to say yet
    assert (draft["on_time"], draft["late_by"], draft["late_unit"]) == (None, None, None)


def test_nat2_national_an_abandoned_request_closes_its_reply_clock_as_abandoned_not_met(api, clock):
    """national: no correction by Wed 1 Apr (视为放弃申请): the reply clock reads abandoned, with no on-time verdict."""
    case = registered(api, clock, "correction")
    clock.set("2026-03-03T02:00:00+00:00")
    act(api, case, "correction_notice", "zhang.wei", CORRECTION_NOTICE)
    clock.set("2026-04-01T02:00:00+00:00")
    done = act(api, case, "await_correction", "zhang.wei", {"correction_result": "not_corrected"})
    assert done["status"] == "completed"
    assert outcome(case_clock(done, "disclosure.reply")) == ("abandoned", None, None, None)
    assert clock_named(done, "disclosure.correction_notice")["status"] == "met"  # that task was done


def test_nat3_national_a_request_handed_to_the_petition_office_closes_its_reply_clock_as_returned(api, clock):
    """national: a complaint filed as a disclosure request (不予处理, 转信访) closes the reply clock as returned."""
    case = registered(api, clock, "petition")
    done = act(api, case, "transfer_to_petition", "hu.jun", {"petition_case_number": "XF-2026-000123"})
    assert done["status"] == "completed"
    assert outcome(case_clock(done, "disclosure.reply")) == ("returned", None, None, None)


def test_org4_national_a_cancelled_case_closes_its_clocks_as_cancelled(api, clock):
    """national: a case cancelled on Wed 4 Mar reads cancelled on its reply clock, with no on-time verdict."""
    case = registered(api, clock)
    clock.set("2026-03-04T02:00:00+00:00")
    response = api.post(f"/process-instances/{case['id']}/cancel", "admin", {"reason": "申请人来电撤回申请"})
    assert response.status_code == 200, response.get_json()
    after = view(api, case)
    assert outcome(case_clock(after, "disclosure.reply")) == ("cancelled", None, None, None)
    assert outcome(clock_named(after, "disclosure.registration")) == ("met", True, 0, "workday")


def test_nat2_national_a_request_the_applicant_withdraws_closes_its_clocks_as_withdrawn(api, clock):
    """national: the applicant withdraws on Wed 4 Mar: the reply clock reads withdrawn, and the case says so."""
    case = registered(api, clock)
    clock.set("2026-03-04T02:00:00+00:00")
    body = {"reason": "申请人来电撤回申请", "withdrawn": True}
    response = api.post(f"/process-instances/{case['id']}/cancel", "admin", body)
    assert response.status_code == 200, response.get_json()
    after = view(api, case)
    assert outcome(case_clock(after, "disclosure.reply")) == ("withdrawn", None, None, None)
    assert after["cancellation"]["withdrawn"] is True and after["status"] == "cancelled"


def test_nat2_withdrawn_must_be_true_or_false(api, clock):
    """Is a withdrawn flag that is not a boolean refused by field, and the case left running?"""
    case = registered(api, clock)
    response = api.post(
        f"/process-instances/{case['id']}/cancel", "admin", {"reason": "撤回", "withdrawn": "yes"}
    )
    assert response.status_code == 422 and response.get_json()["field"] == "withdrawn"
    assert view(api, case)["status"] == "running"


def test_org4_national_a_case_cancelled_while_consulting_closes_both_open_clocks_as_cancelled(api, clock):
    """national: cancelled on Thu 5 Mar while a third party is consulted: the paused reply clock and the consultation's both read cancelled."""
    case = registered(api, clock)
    clock.set("2026-03-04T02:00:00+00:00")
    consulting = act(api, case, "draft_reply", "wang.fang", {"draft_action": "consult"})
    assert {d["name"] for d in consulting["deadlines"] if d["status"] in ("running", "paused")} == {
        "disclosure.reply",
        "disclosure.third_party",
    }
    clock.set("2026-03-05T02:00:00+00:00")
    response = api.post(f"/process-instances/{case['id']}/cancel", "admin", {"reason": "申请人来电撤回申请"})
    assert response.status_code == 200, response.get_json()
    after = view(api, case)
    assert outcome(case_clock(after, "disclosure.reply")) == ("cancelled", None, None, None)
    assert outcome(clock_named(after, "disclosure.third_party")) == ("cancelled", None, None, None)


def test_mbx3_national_a_reply_approved_two_working_days_late_stops_its_clock_as_late(api, clock):
    """national: a letter's reply due Sat 9 May 24:00 (a make-up working day), approved Tue 12 May: 2 working days late."""
    case = dispatched(api, clock)
    act(api, case, "draft_reply", "wang.fang", REPLY)
    clock.set("2026-05-12T02:00:00+00:00")
    case = act(api, case, "review_reply", "liu.yang", {"review_decision": "approve"})
    assert case["status"] == "running"  # stopped at the milestone, the case goes on to publishing
    assert outcome(case_clock(case, "mailbox.reply")) == ("met", False, 2, "workday")
