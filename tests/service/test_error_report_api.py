"""找错 / 错敏整改 through the API (ERR-1, ERR-2, NAT-7, ESC-1): the case and fix deadlines per profile.

national answers a report within 3 working days (NAT-7), guangdong-land within 1 (ERR-1, 003 ch.4).
A report received on Fri 6 Mar 2026: national due Wed 11 Mar, guangdong-land Mon 9 Mar. The
department fixes within 1 natural day (Sat 7 Mar is a rest day: Mon 9 Mar) or, urgent, that day.
"""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.flows import act, case_clock, serve
from tests.service.test_deadlines import history, notified, sweep
from tests.unit.test_error_report_flow import START

HANDLE_DUE = {"national": "2026-03-11T16:00:00+00:00", "guangdong-land": "2026-03-09T16:00:00+00:00"}


@pytest.fixture(params=sorted(HANDLE_DUE))
def served(request, app, api, api_for_profile):
    return serve(request.param, api, app, api_for_profile)


def received(api, clock):
    clock.set("2026-03-06T01:00:00+00:00")
    return flows.start(api, "error_report", "xu.ming", START)


@pytest.mark.parametrize(
    ("urgency", "fix_due"), [("normal", "2026-03-09T16:00:00+00:00"), ("urgent", "2026-03-06T16:00:00+00:00")]
)
def test_err1_err2_nat7_the_report_is_due_by_profile_and_the_fix_by_urgency(served, clock, urgency, fix_due):
    """Is the report due on its profile's day, and the department's fix the next natural day (or the same day if urgent)?"""
    api = served.api
    case = received(api, clock)
    assert case["due_at"] == HANDLE_DUE[served.profile] == case["open_tasks"][0]["due_at"]
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
        {"fix_action": "corrected", "fixed_on": "2026-03-06", "fix_note": "已更正"},
    )
    case = act(api, case, "check_fix", "xu.ming", {"check_result": "fixed"})
    assert (
        case["open_tasks"][0]["due_at"] == HANDLE_DUE[served.profile]
    )  # the feedback runs on the case clock
    done = act(
        api, case, "send_feedback", "xu.ming", {"feedback_content": "已更正。", "fed_back_on": "2026-03-06"}
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
