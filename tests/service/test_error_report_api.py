"""找错 / 错敏整改 through the API (ERR-1, ERR-2, NAT-7, ESC-1): the case and fix deadlines per profile.

national answers a report within 3 working days (NAT-7), guangdong-land within 1 (ERR-1, 003 ch.4).
A report received on Fri 6 Mar 2026: national due Wed 11 Mar, guangdong-land Mon 9 Mar. The
department fixes within 1 natural day, which does not roll (ERR-2): Sat 7 Mar 24:00, a rest day;
urgent ones that day.
"""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.flows import act, attempt, case_clock, serve, view
from tests.service.test_deadlines import history, notified, sweep
from tests.service.test_publishing_api import to_publish
from tests.unit.test_error_report_flow import START
from tests.unit.test_publishing_flow import DRAFT

HANDLE_DUE = {"national": "2026-03-11T16:00:00+00:00", "guangdong-land": "2026-03-09T16:00:00+00:00"}


@pytest.fixture(params=sorted(HANDLE_DUE))
def served(request, app, api, api_for_profile):
    return serve(request.param, api, app, api_for_profile)


def received(api, clock, start=START):
    clock.set("2026-03-06T01:00:00+00:00")
    return flows.start(api, "error_report", "xu.ming", start)


@pytest.mark.parametrize(
    ("urgency", "fix_due"), [("normal", "2026-03-07T16:00:00+00:00"), ("urgent", "2026-03-06T16:00:00+00:00")]
)
def test_err1_err2_nat7_the_report_is_due_by_profile_and_the_fix_by_urgency(served, clock, urgency, fix_due):
    """Is the report due on its profile's day, and the department's fix the next natural day (or the same day if urgent)?"""
    api = served.api
    case = received(api, clock)
    assert case["due_at"] == HANDLE_DUE[served.profile]
    # ERR-3: the centre routes it to the department the day it was received, Fri 6 Mar.
    assert case["open_tasks"][0]["due_at"] == "2026-03-06T16:00:00+00:00"
    verdict = {"verdict": "valid", "owning_department": "planning", "urgency": urgency, "verify_note": "属实"}
    case = act(api, case, "verify", "xu.ming", verdict)
    fix = case["open_tasks"][0]
    assert (fix["name"], fix["department"]["code"], fix["due_at"]) == ("整改", "planning", fix_due)
    name = "error.fix_urgent" if urgency == "urgent" else "error.fix"
    assert [d["name"] for d in case["deadlines"] if d["task_id"] == fix["id"]] == [name]
    case = act(
        api,
        case,
        "fix",
        "wang.fang",
        {"fix_action": "deleted", "fixed_on": "2026-03-06", "fix_note": "已删除"},
    )
    case = act(api, case, "check_fix", "xu.ming", {"check_result": "fixed"})
    assert (
        case["open_tasks"][0]["due_at"] == HANDLE_DUE[served.profile]
    )  # the feedback runs on the case clock
    done = act(
        api, case, "send_feedback", "xu.ming", {"feedback_content": "已删除。", "fed_back_on": "2026-03-06"}
    )
    assert done["status"] == "completed" and case_clock(done, "error_report.handle")["status"] == "met"


def test_esc1_err2_an_unfixed_urgent_item_raises_the_section_head_that_night(served, clock):
    """Left unfixed, is an urgent item raised to 规划处's head at the close of the day it was notified?"""
    api, app = served.api, served.app
    case = received(api, clock)
    verdict = {
        "verdict": "valid",
        "owning_department": "planning",
        "urgency": "urgent",
        "verify_note": "涉及个人信息",
    }
    case = act(api, case, "verify", "xu.ming", verdict)
    for _ in range(2):
        sweep(app, "2026-03-06T16:00:00+00:00")
    fix_escalations = [
        d for d in history(app, case["id"], "escalated") if d.get("deadline") == "error.fix_urgent"
    ]
    assert [d["level"] for d in fix_escalations] == [1]
    assert len(notified(app, "liu.yang", "escalation")) == 1
    # A same-day deadline has no day before it to remind on; only the case clock may remind.
    reminded = [d["deadline"] for d in history(app, case["id"], "reminded")]
    assert "error.fix_urgent" not in reminded


REPORTER = {**START, "applicant_contact": "13500000000"}
VALID = {"verdict": "valid", "owning_department": "planning", "urgency": "normal", "verify_note": "属实"}
CORRECTED = {"fix_action": "corrected", "fixed_on": "2026-03-06", "fix_note": "已更正并重新审校发布"}
CORRECTED_URL = "https://example.gov.cn/zwgk/2026/0301-gz.html"


def refusal(response) -> tuple[int, str, str]:
    problem = response.get_json()
    return response.status_code, problem["field"], problem["errors"][0]["code"]


def test_err2_pub9_a_correction_names_its_published_case_and_the_reporter_gets_the_corrected_address(
    served, clock, sender
):
    """Must 已更正 name a publishing case 规划处 can see that has been published, and does the reporter get its address?"""
    api = served.api
    report = received(api, clock, REPORTER)
    act(api, report, "verify", "xu.ming", VALID)
    correction = flows.start(api, "publishing", "wang.fang", {**DRAFT, "body": "……截至目前……（更正）"})
    number = correction["tracking_number"]
    assert refusal(attempt(api, report, "wang.fang", CORRECTED)) == (422, "correction_case", "required")
    nowhere = attempt(api, report, "wang.fang", {**CORRECTED, "correction_case": "FB-2026-999999"})
    assert refusal(nowhere) == (422, "correction_case", "case_not_found")
    itself = attempt(api, report, "wang.fang", {**CORRECTED, "correction_case": report["tracking_number"]})
    assert refusal(itself) == (422, "correction_case", "wrong_process")
    assert "信息发布" in itself.get_json()["title"]
    unpublished = attempt(api, report, "wang.fang", {**CORRECTED, "correction_case": number})
    assert refusal(unpublished) == (422, "correction_case", "case_not_ready")
    assert "发布网址" in unpublished.get_json()["title"]

    to_publish(api, correction)  # 三审三校 again (PUB-9)
    act(api, correction, "publish", "xu.ming", {"published_on": "2026-03-06", "published_url": CORRECTED_URL})
    fixed = act(api, report, "fix", "wang.fang", {**CORRECTED, "correction_case": f" {number} "})
    assert (fixed["data"]["correction_case"], fixed["data"]["corrected_url"]) == (number, CORRECTED_URL)
    linked = [e["details"] for e in view(api, correction)["history"] if e["kind"] == "case_linked"]
    assert linked == [{"case": report["tracking_number"], "process": "error_report", "task": "整改"}]
    act(api, report, "check_fix", "xu.ming", {"check_result": "fixed"})
    feedback = {"feedback_content": "已更正，感谢监督。", "fed_back_on": "2026-03-06"}
    act(api, report, "send_feedback", "xu.ming", feedback)
    sweep(served.app, "2026-03-06T03:00:00+00:00")  # delivers the outbox
    accepted, sms = [m for m in sender.sent if m[:2] == ("sms", "13500000000")]
    assert "受理告知" in accepted[2] and "经核实属实" in accepted[3]  # a true report is accepted first
    assert CORRECTED_URL in sms[3] and "已更正，感谢监督。" in sms[3] and START["page_url"] in sms[3]


def test_err1_a_report_found_untrue_gets_the_plain_feedback(served, clock, sender):
    """Is a reporter whose report was not true told the result once, with no corrected address?"""
    api = served.api
    report = received(api, clock, REPORTER)
    act(api, report, "verify", "xu.ming", {"verdict": "invalid", "verify_note": "页面表述无误"})
    feedback = {"feedback_content": "经核实，该表述无误。", "fed_back_on": "2026-03-06"}
    act(api, report, "send_feedback", "xu.ming", feedback)
    sweep(served.app, "2026-03-06T03:00:00+00:00")
    (sms,) = [m for m in sender.sent if m[:2] == ("sms", "13500000000")]
    assert "经核实，该表述无误。" in sms[3] and "更正后" not in sms[3]


# --- natural days that do not roll and a failed fix that does not restart the clock (ERR-2, ESC-2) ---

NATIONAL_DAY = {**START, "received_on": "2026-10-01"}
OCT_2_CLOSE = "2026-10-02T16:00:00+00:00"


@pytest.fixture(params=["wanzhou", "national"])
def err2_served(request, app, api, api_for_profile):
    return serve(request.param, api, app, api_for_profile)


def noticed_on_national_day(api, clock, urgency="normal"):
    clock.set("2026-10-01T01:00:00+00:00")
    case = flows.start(api, "error_report", "xu.ming", NATIONAL_DAY)
    verdict = {"verdict": "valid", "owning_department": "planning", "urgency": urgency, "verify_note": "属实"}
    return act(api, case, "verify", "xu.ming", verdict)


@pytest.mark.parametrize(
    ("urgency", "fix_due"), [("normal", OCT_2_CLOSE), ("urgent", "2026-10-01T16:00:00+00:00")]
)
def test_err2_esc2_an_error_noticed_on_1_oct_is_due_2_oct_not_after_the_holiday(
    err2_served, clock, urgency, fix_due
):
    """wanzhou (and national): an error noticed on 1 Oct 2026 is due 2 Oct 24:00, urgent 1 Oct 24:00, not 8 Oct."""
    case = noticed_on_national_day(err2_served.api, clock, urgency)
    fix = case["open_tasks"][0]
    assert (fix["task_spec"], fix["due_at"]) == ("fix", fix_due)
    (clock_row,) = [d for d in case["deadlines"] if d["task_id"] == fix["id"]]
    assert (clock_row["rolls"], clock_row["due_at"]) == (False, fix_due)


def test_err2_a_failed_fix_keeps_the_first_due_date(err2_served, clock):
    """wanzhou: fixed badly on 1 Oct and sent back on 2 Oct, is the second attempt still due 2 Oct 24:00 (not 3 Oct)?"""
    api = err2_served.api
    case = noticed_on_national_day(api, clock)
    fix = {"fix_action": "deleted", "fixed_on": "2026-10-01", "fix_note": "已删除"}
    case = act(api, case, "fix", "wang.fang", fix)
    clock.set("2026-10-02T03:00:00+00:00")
    case = act(
        api, case, "check_fix", "xu.ming", {"check_result": "not_fixed", "check_note": "缓存页面仍可访问"}
    )
    again = case["open_tasks"][0]
    assert (again["task_spec"], again["due_at"]) == ("fix", OCT_2_CLOSE)
    rounds = [d for d in case["deadlines"] if d["name"] == "error.fix"]
    assert [(d["started_on"], d["due_at"]) for d in rounds] == [("2026-10-01", OCT_2_CLOSE)] * 2


def test_esc1_err2_a_fix_due_on_a_holiday_is_raised_that_night_not_after_the_holiday(err2_served, clock):
    """wanzhou: unfixed, is 规划处's head raised at 2 Oct 24:00 (the due day, a holiday) rather than on 8 Oct?"""
    api, app = err2_served.api, err2_served.app
    case = noticed_on_national_day(api, clock)
    sweep(app, "2026-10-02T15:59:00+00:00")
    assert not [d for d in history(app, case["id"], "escalated") if d.get("deadline") == "error.fix"]
    sweep(app, OCT_2_CLOSE)
    raised = [d["level"] for d in history(app, case["id"], "escalated") if d.get("deadline") == "error.fix"]
    assert raised == [1]


def test_err3_a_detection_result_received_on_1_oct_is_routed_and_the_department_told_that_day(
    err2_served, clock
):
    """wanzhou: a detection result received 1 Oct 2026 is due for routing 1 Oct 24:00; routed, 规划处 has the fix in its inbox that day, in the history."""
    api, app = err2_served.api, err2_served.app
    clock.set("2026-10-01T01:00:00+00:00")
    case = flows.start(api, "error_report", "xu.ming", {**NATIONAL_DAY, "report_source": "inspection"})
    verify = case["open_tasks"][0]
    assert (verify["task_spec"], verify["due_at"]) == ("verify", "2026-10-01T16:00:00+00:00")
    (row,) = [d for d in case["deadlines"] if d["task_id"] == verify["id"]]
    assert (row["name"], row["rolls"]) == ("error.notify_department", False)
    clock.set("2026-10-01T03:00:00+00:00")
    verdict = {
        "verdict": "valid",
        "owning_department": "planning",
        "urgency": "normal",
        "verify_note": "检测发现错别字",
    }
    case = act(api, case, "verify", "xu.ming", verdict)
    assert [d["status"] for d in case["deadlines"] if d["task_id"] == verify["id"]] == ["met"]
    fix = case["open_tasks"][0]
    assert (fix["task_spec"], fix["department"]["code"]) == ("fix", "planning")
    told = [d for d in history(app, case["id"], "task_created") if d.get("department") == "规划处"]
    assert len(told) == 1
