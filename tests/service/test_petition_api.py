"""网上信访 through the API (PET-1..5, NAT-5, ESC-1..3): calendar-day deadlines, pause, extension, timers.

Every scenario runs under the national profile and under guangdong-land, whose measure (003 ch.4)
restates the petition rules; no seed sets a petition number that differs from national's, so both
runs expect the same days. Due moments are the close of the due day in Beijing (24:00 = 16:00 UTC).
"""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.flows import act, attempt, clock_named, serve, view
from tests.service.test_deadlines import history, notified, sweep

START = {
    "petitioner_name": "李建国",
    "applicant_contact": "13900000000",
    "petition_title": "村口耕地被违法占用",
    "petition_content": "村口耕地被违法占用建厂房，请求查处。",
    "channel": "website",
}
ACCEPTED = {"acceptance_decision": "accepted", "complexity": "simple", "acceptance_notice": "已受理。"}
SUPPORTED = {"handling_step": "conclude", "outcome": "supported", "handling_opinion": "责令停止建设。"}


@pytest.fixture(params=["national", "guangdong-land"])
def served(request, app, api, api_for_profile):
    return serve(request.param, api, app, api_for_profile)


def start(api, received_on):
    """信访处 registers a petition that reached the website on `received_on` (PET-5)."""
    return flows.start(api, "petition", "hu.jun", {**START, "received_on": received_on})


def accepted(api, clock, started, accepted_on):
    """A case started and routed to 法规处 on `started` (YYYY-MM-DD), accepted there on `accepted_on`."""
    clock.set(f"{started}T01:00:00+00:00")
    case = start(api, started)
    act(api, case, "route", "hu.jun", {"owning_department": "legal", "routed_on": started})
    clock.set(f"{accepted_on}T02:00:00+00:00")
    data = {**ACCEPTED, "accepted_on": accepted_on}
    return act(api, case, "review_acceptance", "chen.jing", data)


def replied(api, clock, started, accepted_on, replied_on):
    case = accepted(api, clock, started, accepted_on)
    clock.set(f"{replied_on}T01:00:00+00:00")
    act(api, case, "handle", "chen.jing", SUPPORTED)
    return act(api, case, "reply_online", "hu.jun", {"replied_on": replied_on})


def test_pet1_nat5_routing_acceptance_and_handling_count_calendar_days(served, clock):
    """Routed on Mon 20 Apr 2026 and accepted on 22 Apr, do the deadlines roll past Labour Day and Dragon Boat?"""
    api = served.api
    profile = api.get("/profile", "hu.jun").get_json()
    periods = {
        d["name"]: d["period"]["text"] for d in profile["deadlines"] if d["name"].startswith("petition.")
    }
    assert profile["name"] == served.profile
    assert periods == {
        "petition.routing": "15日",
        "petition.acceptance": "15日",
        "petition.misroute_objection": "5个工作日",
        "petition.handling": "60日",
        "petition.handling_complex": "60日",
        "petition.extension": "30日",
        "petition.review": "30日",
        "petition.rereview": "30日",
        "petition.review_request": "30日",
        "petition.rereview_request": "30日",
    }
    clock.set("2026-04-20T01:00:00+00:00")
    case = start(api, "2026-04-20")
    route = case["open_tasks"][0]
    # 20 Apr + 15 days = Tue 5 May, inside Labour Day (1-5 May): the next working day, Wed 6 May (ESC-2).
    assert (route["name"], route["department"]["code"]) == ("转送交办", "petition")
    assert route["due_at"] == "2026-05-06T16:00:00+00:00"
    assert case["due_at"] is None  # no case deadline until the petition is accepted
    assert attempt(api, case, "wang.fang", {}).status_code == 403

    after = act(api, case, "route", "hu.jun", {"owning_department": "legal", "routed_on": "2026-04-20"})
    acceptance = after["open_tasks"][0]
    assert (acceptance["department"]["code"], acceptance["role"]) == ("legal", None)
    assert acceptance["due_at"] == "2026-05-06T16:00:00+00:00"  # petition.acceptance: 15 days, the same roll
    # petition.misroute_objection is 5 working days: 21-24 Apr = 1-4, Mon 27 Apr = 5.
    assert after["data"]["misroute_objection_until"] == "2026-04-27T16:00:00+00:00"
    assert after["due_at"] is None
    assert attempt(api, case, "hu.jun", {"acceptance_decision": "misrouted"}).status_code == 403

    clock.set("2026-04-22T02:00:00+00:00")
    after = act(api, case, "review_acceptance", "chen.jing", {**ACCEPTED, "accepted_on": "2026-04-22"})
    # 22 Apr + 60 days: 8 days to 30 Apr, 31 of May = 39, 21 Jun = 60, a Sunday: Mon 22 Jun.
    assert after["due_at"] == "2026-06-22T16:00:00+00:00"
    handling = clock_named(after, "petition.handling")
    assert (handling["period"], handling["started_on"]) == ("60日", "2026-04-22")
    assert clock_named(after, "petition.acceptance")["status"] == "met"
    assert after["open_tasks"][0]["due_at"] == "2026-06-22T16:00:00+00:00"

    clock.set("2026-05-18T01:00:00+00:00")
    after = act(api, case, "handle", "chen.jing", SUPPORTED)
    reply = after["open_tasks"][0]
    assert (reply["name"], reply["department"]["code"]) == ("网上答复处理意见", "petition")
    after = act(api, case, "reply_online", "hu.jun", {"replied_on": "2026-05-18"})
    # Replied: handling is done in time, so its clock is met while the petitioner may still ask for a review.
    assert [t["task_spec"] for t in after["open_tasks"]] == ["register_review_request"]
    assert after["clock_paused"] is False and after["due_at"] is None
    assert clock_named(after, "petition.handling")["status"] == "met"
    assert after["data"]["outcome"] == "supported" and after["status"] == "running"


def test_nat5_no_review_request_closes_the_case_when_the_sweep_passes_30_days(served, clock):
    """Replied on Fri 4 Sep with no review asked for, is the case closed at the close of Thu 8 Oct, and not reminded before?"""
    api = served.api
    # Accepted Mon 20 Jul: 60 days end on Fri 18 Sep, inside the 30 days the petitioner has.
    case = replied(api, clock, "2026-07-20", "2026-07-20", "2026-09-04")
    assert sweep(served.app, "2026-09-18T16:00:00+00:00").deadlines == 0
    assert history(served.app, case["id"], "reminded") == []
    assert history(served.app, case["id"], "escalated") == []
    # 4 Sep + 30 days = Sun 4 Oct, inside National Day (1-7 Oct): the next working day, Thu 8 Oct.
    assert sweep(served.app, "2026-10-08T15:59:00+00:00").timers == 0
    assert sweep(served.app, "2026-10-08T16:00:00+00:00").timers == 1
    assert sweep(served.app, "2026-10-08T16:01:00+00:00").timers == 0
    closed = view(api, case)
    assert closed["status"] == "completed" and closed["open_tasks"] == []
    assert clock_named(closed, "petition.handling")["status"] == "met"
    assert [e["task"] for e in history(served.app, case["id"], "task_cancelled")] == ["登记复查请求"]
    assert len(history(served.app, case["id"], "completed")) == 1


def test_nat5_a_misrouted_item_goes_back_to_the_petition_office_and_is_re_routed(served, clock):
    """When 规划处 objects within 5 working days, does 信访处 get it back and the new department get new deadlines?"""
    api = served.api
    clock.set("2026-09-21T01:00:00+00:00")
    case = start(api, "2026-09-21")
    # 21 Sep + 15 days = Tue 6 Oct, inside National Day: Thu 8 Oct.
    assert case["open_tasks"][0]["due_at"] == "2026-10-08T16:00:00+00:00"
    after = act(api, case, "route", "hu.jun", {"owning_department": "planning", "routed_on": "2026-09-21"})
    assert after["open_tasks"][0]["department"]["code"] == "planning"
    # 22-24 Sep = 1-3, Fri 25 Sep off (Mid-Autumn), 28-29 Sep = 4-5.
    assert after["data"]["misroute_objection_until"] == "2026-09-29T16:00:00+00:00"

    clock.set("2026-09-24T02:00:00+00:00")
    objection = {"acceptance_decision": "misrouted", "objection_reason": "属法规处职责"}
    after = act(api, case, "review_acceptance", "wang.fang", objection)
    back = after["open_tasks"][0]
    assert (back["task_spec"], back["department"]["code"]) == ("route", "petition")
    # Re-routing goes on with the routing count from the arrival on 21 Sep (NAT-5 Art. 22): Thu 8 Oct.
    assert back["due_at"] == "2026-10-08T16:00:00+00:00"
    assert after["due_at"] is None

    routing = {"owning_department": "legal", "routed_on": "2026-09-24", "routing_note": "异议成立"}
    after = act(api, case, "route", "hu.jun", routing)
    acceptance = after["open_tasks"][0]
    assert acceptance["department"]["code"] == "legal" and after["owning_department"]["code"] == "legal"
    # The agency's 15 days count from the petition's arrival on 21 Sep, re-routing or not: Thu 8 Oct.
    assert acceptance["due_at"] == "2026-10-08T16:00:00+00:00"
    # 28-30 Sep = 1-3, 1-7 Oct off, 8-9 Oct = 4-5.
    assert after["data"]["misroute_objection_until"] == "2026-10-09T16:00:00+00:00"
    assert attempt(api, case, "wang.fang", {"acceptance_decision": "misrouted"}).status_code == 403

    clock.set("2026-09-28T02:00:00+00:00")
    after = act(api, case, "review_acceptance", "chen.jing", {**ACCEPTED, "accepted_on": "2026-09-28"})
    # 28 Sep + 60 days: 2 to 30 Sep, 31 of Oct = 33, 27 Nov = 60, a Friday.
    assert after["due_at"] == "2026-11-27T16:00:00+00:00"


def test_nat5_once_the_5_working_days_have_passed_the_department_can_no_longer_object(served, clock):
    """Routed to 规划处 on Mon 21 Sep 2026, may it object until the close of Tue 29 Sep and no longer after, and still accept?"""
    api, app = served.api, served.app
    clock.set("2026-09-21T01:00:00+00:00")
    case = start(api, "2026-09-21")
    act(api, case, "route", "hu.jun", {"owning_department": "planning", "routed_on": "2026-09-21"})
    task = flows.open_task(api, case)

    def decisions():
        form = api.get(f"/tasks/{task['id']}", "wang.fang").get_json()["form"]
        return [o["value"] for f in form if f["name"] == "acceptance_decision" for o in f["options"]]

    assert decisions() == ["accepted", "not_accepted", "misrouted"]
    # 22-24 Sep = 1-3, Fri 25 Sep off (Mid-Autumn), 28-29 Sep = 4-5: the window closes at 24:00 on 29 Sep.
    assert sweep(app, "2026-09-29T15:59:00+00:00").timers == 0
    assert sweep(app, "2026-09-29T16:00:00+00:00").timers == 1
    clock.set("2026-09-30T01:00:00+00:00")
    assert decisions() == ["accepted", "not_accepted"]
    late = attempt(
        api, case, "wang.fang", {"acceptance_decision": "misrouted", "objection_reason": "属法规处职责"}
    )
    problem = late.get_json()
    assert (late.status_code, problem["field"]) == (422, "acceptance_decision")
    assert problem["errors"][0]["code"] == "option_not_available" and "异议期限已届满" in problem["title"]
    after = act(api, case, "review_acceptance", "wang.fang", {**ACCEPTED, "accepted_on": "2026-09-30"})
    assert (
        after["open_tasks"][0]["task_spec"] == "handle" and after["owning_department"]["code"] == "planning"
    )


def test_nat5_an_item_not_accepted_is_closed_without_a_handling_deadline(served, clock):
    """Does 不予受理 close the case with the reason recorded and no 60-day clock ever started?"""
    api = served.api
    clock.set("2026-04-20T01:00:00+00:00")
    case = start(api, "2026-04-20")
    act(api, case, "route", "hu.jun", {"owning_department": "legal", "routed_on": "2026-04-20"})
    data = {"acceptance_decision": "not_accepted", "not_accepted_reason": "应通过行政复议途径解决"}
    after = act(api, case, "review_acceptance", "chen.jing", data)
    assert after["status"] == "completed" and after["open_tasks"] == []
    assert [d["name"] for d in after["deadlines"]] == ["petition.routing", "petition.acceptance"]
    assert after["data"]["not_accepted_reason"] == "应通过行政复议途径解决"


def test_pet3_extension_by_the_leader_in_charge_within_30_days_and_sent_by_sms(served, clock, sender):
    """Is a 45-day request refused saying 30 remain, are 30 approved only by 法规处's leader in charge, the petitioner texted why, and a second request refused?"""
    api = served.api
    case = accepted(api, clock, "2026-03-02", "2026-03-02")
    # 2 Mar + 60 days = Fri 1 May, Labour Day (1-5 May): Wed 6 May.
    assert case["due_at"] == "2026-05-06T16:00:00+00:00"
    clock.set("2026-03-20T02:00:00+00:00")
    request = {
        "handling_step": "extension",
        "extension_requested_days": 45,
        "extension_request_reason": "需现场核查",
    }
    too_long = attempt(api, case, "chen.jing", request).get_json()
    assert (too_long["status"], too_long["field"]) == (422, "extension_requested_days")
    assert "最多还可延长30日" in too_long["title"]
    nothing = attempt(api, case, "chen.jing", {**request, "extension_requested_days": 0}).get_json()
    assert (nothing["field"], nothing["code"]) == ("extension_requested_days", "not_positive")
    after = act(api, case, "handle", "chen.jing", {**request, "extension_requested_days": 30})
    approval = after["open_tasks"][0]
    assert (approval["department"]["code"], approval["role"]) == ("legal", "leader_in_charge")
    grant = {"extension_days": 30, "extension_reason": "需会同自然资源部门现场核查"}
    assert attempt(api, case, "zhao.lei", grant).status_code == 403  # leads planning, not legal
    assert attempt(api, case, "chen.jing", grant).status_code == 403  # section head, not leader
    no_reason = attempt(api, case, "sun.li", {"extension_days": 30})
    assert no_reason.status_code == 422 and no_reason.get_json()["field"] == "extension_reason"
    negative = attempt(api, case, "sun.li", {**grant, "extension_days": -5}).get_json()
    assert (negative["field"], negative["code"]) == ("extension_days", "negative")
    beyond = attempt(api, case, "sun.li", {**grant, "extension_days": 45}).get_json()
    assert (beyond["field"], beyond["code"]) == ("extension_days", "extension_too_long")

    after = act(api, case, "approve_extension", "sun.li", grant)
    (extended,) = history(served.app, case["id"], "deadline_extended")
    assert extended["granted"] == "30日"
    # 2 Mar + 90 days = Sun 31 May: Mon 1 Jun.
    assert after["due_at"] == "2026-06-01T16:00:00+00:00"
    assert clock_named(after, "petition.handling")["extension"] == "30日"
    assert after["open_tasks"][0]["task_spec"] == "handle"
    assert after["open_tasks"][0]["due_at"] == "2026-06-01T16:00:00+00:00"
    again = attempt(api, case, "chen.jing", {**request, "extension_requested_days": 10}).get_json()
    assert (again["field"], again["code"]) == ("extension_requested_days", "extension_exhausted")
    sweep(served.app, "2026-03-20T03:00:00+00:00")  # delivers the outbox
    accepted_notice, sms = [m for m in sender.sent if m[0] == "sms"]
    assert "受理告知" in accepted_notice[2]  # the acceptance was told first (NAT-5 Art. 23)
    assert sms[1] == "13900000000" and "需会同自然资源部门现场核查" in sms[3] and "30日" in sms[3]


def test_nat5_a_hearing_during_handling_does_not_stop_the_60_days(served, clock):
    """NAT-5 Art. 36 leaves hearing time out of the re-review only: accepted 2 Mar 2026, a hearing open 10-20 Mar, is the handling still due Wed 6 May?"""
    api = served.api
    case = accepted(api, clock, "2026-03-02", "2026-03-02")
    clock.set("2026-03-10T02:00:00+00:00")
    after = act(
        api, case, "handle", "chen.jing", {"handling_step": "hearing", "hearing_reason": "事实争议较大"}
    )
    hearing = after["open_tasks"][0]
    assert (hearing["name"], hearing["department"]["code"]) == ("组织听证", "legal")
    # 2 Mar + 60 days = Fri 1 May, Labour Day (1-5 May): Wed 6 May, hearing or not.
    assert after["clock_paused"] is False and after["due_at"] == "2026-05-06T16:00:00+00:00"
    assert hearing["due_at"] == "2026-05-06T16:00:00+00:00"
    assert clock_named(after, "petition.handling")["status"] == "running"

    clock.set("2026-03-20T02:00:00+00:00")
    after = act(
        api, case, "hold_hearing", "chen.jing", {"hearing_held_on": "2026-03-18", "hearing_record": "已听证"}
    )
    assert clock_named(after, "petition.handling")["pauses"] == []
    assert after["due_at"] == "2026-05-06T16:00:00+00:00"
    assert after["open_tasks"][0]["task_spec"] == "handle"


def test_pet5_routing_and_acceptance_count_from_the_day_the_petition_arrived(served, clock):
    """A petition that arrived on Fri 10 Apr 2026 but is typed in on Mon 20 Apr: are routing and acceptance due Mon 27 Apr, not 6 May?"""
    api = served.api
    clock.set("2026-04-20T01:00:00+00:00")
    future = api.post(
        "/process-definitions/petition/instances", "hu.jun", {"data": {**START, "received_on": "2026-04-21"}}
    )
    assert (future.status_code, future.get_json()["field"]) == (422, "received_on")
    assert future.headers["Content-Type"].startswith("application/problem+json")
    case = start(api, "2026-04-10")
    route = case["open_tasks"][0]
    # 10 Apr + 15 days = Sat 25 Apr: Mon 27 Apr (NAT-5 Art. 22, ESC-2).
    assert route["due_at"] == "2026-04-27T16:00:00+00:00"
    assert clock_named(case, "petition.routing")["started_on"] == "2026-04-10"
    after = act(api, case, "route", "hu.jun", {"owning_department": "legal", "routed_on": "2026-04-20"})
    acceptance = after["open_tasks"][0]
    # Art. 23's 15 days run from the agency's receipt too: Mon 27 Apr, one week after the routing.
    assert acceptance["due_at"] == "2026-04-27T16:00:00+00:00"
    assert clock_named(after, "petition.acceptance")["started_on"] == "2026-04-10"
    assert after["data"]["received_on"] == "2026-04-10"


def test_pet2_a_complex_petition_runs_on_the_complex_handling_clock(served, clock):
    """Accepted on 22 Apr 2026 as complex, is its clock petition.handling_complex (national: 60 days, Mon 22 Jun), extended and stopped like the simple one?"""
    api = served.api
    clock.set("2026-04-20T01:00:00+00:00")
    case = start(api, "2026-04-20")
    act(api, case, "route", "hu.jun", {"owning_department": "legal", "routed_on": "2026-04-20"})
    clock.set("2026-04-22T02:00:00+00:00")
    missing = attempt(api, case, "chen.jing", {**ACCEPTED, "accepted_on": "2026-04-22", "complexity": None})
    assert (missing.status_code, missing.get_json()["field"]) == (422, "complexity")
    data = {**ACCEPTED, "accepted_on": "2026-04-22", "complexity": "complex"}
    after = act(api, case, "review_acceptance", "chen.jing", data)
    assert [d["name"] for d in after["deadlines"] if d["task_id"] is None] == ["petition.handling_complex"]
    complex_clock = clock_named(after, "petition.handling_complex")
    assert (complex_clock["label"], complex_clock["started_on"]) == ("复杂信访事项办理期限", "2026-04-22")
    assert after["due_at"] == "2026-06-22T16:00:00+00:00"
    clock.set("2026-05-04T02:00:00+00:00")
    request = {
        "handling_step": "extension",
        "extension_requested_days": 10,
        "extension_request_reason": "需鉴定",
    }
    act(api, case, "handle", "chen.jing", request)
    after = act(
        api, case, "approve_extension", "sun.li", {"extension_days": 10, "extension_reason": "需鉴定"}
    )
    # 22 Apr + 70 days = Wed 1 Jul.
    assert after["due_at"] == "2026-07-01T16:00:00+00:00"
    act(api, case, "handle", "chen.jing", SUPPORTED)
    after = act(api, case, "reply_online", "hu.jun", {"replied_on": "2026-05-04"})
    assert clock_named(after, "petition.handling_complex")["status"] == "met" and after["due_at"] is None


REVIEW = {
    "review_outcome": "changed",
    "review_opinion": "责令恢复耕地原状。",
    "review_document_no": "X府复〔2026〕3号",
}
REREVIEW = {
    "rereview_step": "decided",
    "rereview_outcome": "upheld",
    "rereview_opinion": "维持复查意见。",
    "rereview_document_no": "X省府复〔2026〕9号",
}


def test_nat5_the_petitioners_request_window_shows_on_the_case_and_nobody_is_chased(served, clock):
    """Replied on Mon 18 May 2026: is the 30-day review-request window on the case (due Wed 17 Jun) with no task deadline, reminder or escalation?"""
    api, app = served.api, served.app
    case = replied(api, clock, "2026-04-20", "2026-04-22", "2026-05-18")
    window = clock_named(case, "petition.review_request")
    assert (window["status"], window["waiting"], window["task_id"]) == ("running", True, None)
    assert (window["started_on"], window["due_at"]) == ("2026-05-18", "2026-06-17T16:00:00+00:00")
    assert case["due_at"] is None and case["open_tasks"][0]["due_at"] is None
    assert clock_named(case, "petition.handling")["waiting"] is False
    assert sweep(app, "2026-06-16T16:00:00+00:00").deadlines == 0
    assert history(app, case["id"], "reminded") == [] and history(app, case["id"], "escalated") == []
    clock.set("2026-06-10T02:00:00+00:00")
    request = {"review_requested_on": "2026-06-10", "review_request": "处理不公，请求复查"}
    after = act(api, case, "register_review_request", "hu.jun", request)
    assert clock_named(after, "petition.review_request")["status"] == "met"


def test_nat5_review_and_rereview_are_the_higher_organs_and_only_the_rereview_hearing_stops_its_clock(
    served, clock
):
    """Review forwarded on Wed 20 May 2026: is the higher organ's answer watched to Mon 22 Jun without chasing our staff, and the re-review's 30 days moved by its hearing?"""
    api, app = served.api, served.app
    case = replied(api, clock, "2026-04-20", "2026-04-22", "2026-05-18")
    clock.set("2026-05-20T02:00:00+00:00")
    request = {"review_requested_on": "2026-05-20", "review_request": "处理不公，请求复查"}
    after = act(api, case, "register_review_request", "hu.jun", request)
    forward = after["open_tasks"][0]
    assert (forward["name"], forward["department"]["code"], forward["due_at"]) == (
        "转送复查请求",
        "petition",
        None,
    )
    forwarded = {"review_organ": "市人民政府", "review_forwarded_on": "2026-05-20"}
    after = act(api, case, "forward_review", "hu.jun", forwarded)
    review = clock_named(after, "petition.review")
    # petition.review: 20 May + 30 days = Fri 19 Jun, the Dragon Boat Festival: Mon 22 Jun.
    assert (review["due_at"], review["waiting"], review["task_id"]) == (
        "2026-06-22T16:00:00+00:00",
        True,
        None,
    )
    record = after["open_tasks"][0]
    assert (record["name"], record["department"]["code"], record["due_at"]) == (
        "登记复查意见",
        "petition",
        None,
    )
    assert after["due_at"] is None
    # The higher organ is late: its clock shows overdue, but nobody of the agency is chased.
    sweep(app, "2026-06-24T16:00:00+00:00")
    assert history(app, case["id"], "reminded") == [] and history(app, case["id"], "escalated") == []
    clock.set("2026-06-25T02:00:00+00:00")
    late = clock_named(view(api, case), "petition.review")
    assert (late["status"], late["overdue"], late["escalation_level"]) == ("running", True, 0)
    assert notified(app, "chen.jing", "escalation") == [] and notified(app, "sun.li", "escalation") == []

    dated = {"review_decided_on": "2026-06-24", "review_replied_on": "2026-06-25"}
    no_number = attempt(api, case, "hu.jun", {**REVIEW, **dated, "review_document_no": ""})
    assert (no_number.status_code, no_number.get_json()["field"]) == (422, "review_document_no")
    after = act(api, case, "record_review", "hu.jun", {**REVIEW, **dated})
    assert clock_named(after, "petition.review")["status"] == "met"
    window = clock_named(after, "petition.rereview_request")
    # 25 Jun + 30 days = Sat 25 Jul: Mon 27 Jul.
    assert (window["due_at"], window["waiting"]) == ("2026-07-27T16:00:00+00:00", True)

    clock.set("2026-06-29T02:00:00+00:00")
    request = {"rereview_requested_on": "2026-06-29", "rereview_request": "仍不服，请求复核"}
    act(api, case, "register_rereview_request", "hu.jun", request)
    forwarded = {"rereview_organ": "省人民政府", "rereview_forwarded_on": "2026-06-29"}
    after = act(api, case, "forward_rereview", "hu.jun", forwarded)
    # petition.rereview: 29 Jun + 30 days = Wed 29 Jul.
    assert clock_named(after, "petition.rereview")["due_at"] == "2026-07-29T16:00:00+00:00"
    clock.set("2026-07-06T02:00:00+00:00")
    after = act(api, case, "record_rereview", "hu.jun", {"rereview_step": "hearing"})
    assert after["open_tasks"][0]["name"] == "复核听证"
    assert clock_named(after, "petition.rereview")["status"] == "paused"
    clock.set("2026-07-16T02:00:00+00:00")
    hearing = {"rereview_hearing_held_on": "2026-07-15", "rereview_hearing_record": "双方到场陈述。"}
    after = act(api, case, "rereview_hearing", "hu.jun", hearing)
    rereview = clock_named(after, "petition.rereview")
    # 7-16 Jul do not count (NAT-5 Art. 36): 29 Jul + 10 days = Sat 8 Aug: Mon 10 Aug.
    assert rereview["pauses"] == [["2026-07-06", "2026-07-16"]]
    assert (rereview["status"], rereview["due_at"]) == ("running", "2026-08-10T16:00:00+00:00")
    clock.set("2026-07-20T02:00:00+00:00")
    decided = {**REREVIEW, "rereview_decided_on": "2026-07-20", "rereview_replied_on": "2026-07-20"}
    closed = act(api, case, "record_rereview", "hu.jun", decided)
    assert closed["status"] == "completed"
    assert {d["name"]: d["status"] for d in closed["deadlines"]} == {
        "petition.routing": "met",
        "petition.acceptance": "met",
        "petition.handling": "met",
        "petition.review_request": "met",
        "petition.review": "met",
        "petition.rereview_request": "met",
        "petition.rereview": "met",
    }
    assert (closed["data"]["review_outcome"], closed["data"]["rereview_outcome"]) == ("changed", "upheld")


def test_pet4_nat5_the_petitioner_is_told_the_higher_organs_review_and_rereview_opinion(
    served, clock, sender
):
    """Once 信访处 records the higher organ's review and then re-review opinion, is the petitioner texted the organ, the document number, the conclusion and the opinion?"""
    api = served.api
    case = replied(api, clock, "2026-04-20", "2026-04-22", "2026-05-18")
    clock.set("2026-05-20T02:00:00+00:00")
    request = {"review_requested_on": "2026-05-20", "review_request": "处理不公，请求复查"}
    act(api, case, "register_review_request", "hu.jun", request)
    act(
        api,
        case,
        "forward_review",
        "hu.jun",
        {"review_organ": "市人民政府", "review_forwarded_on": "2026-05-20"},
    )
    clock.set("2026-05-25T02:00:00+00:00")
    dated = {"review_decided_on": "2026-05-25", "review_replied_on": "2026-05-25"}
    act(api, case, "record_review", "hu.jun", {**REVIEW, **dated})
    clock.set("2026-05-26T02:00:00+00:00")
    request = {"rereview_requested_on": "2026-05-26", "rereview_request": "仍不服，请求复核"}
    act(api, case, "register_rereview_request", "hu.jun", request)
    forwarded = {"rereview_organ": "省人民政府", "rereview_forwarded_on": "2026-05-26"}
    act(api, case, "forward_rereview", "hu.jun", forwarded)
    act(api, case, "record_rereview", "hu.jun", {"rereview_step": "hearing"})
    act(
        api,
        case,
        "rereview_hearing",
        "hu.jun",
        {"rereview_hearing_held_on": "2026-05-26", "rereview_hearing_record": "已听证"},
    )
    dated = {"rereview_decided_on": "2026-05-26", "rereview_replied_on": "2026-05-26"}
    act(api, case, "record_rereview", "hu.jun", {**REREVIEW, **dated})
    sweep(served.app, "2026-05-28T03:00:00+00:00")  # delivers the outbox
    texts = [m for m in sender.sent if m[:2] == ("sms", "13900000000")]
    reviewed, rereviewed = texts[-2:]
    assert "复查意见" in reviewed[2] and case["tracking_number"] in reviewed[2]
    assert "市人民政府" in reviewed[3] and "X府复〔2026〕3号" in reviewed[3]
    assert "变更原处理意见" in reviewed[3] and "责令恢复耕地原状。" in reviewed[3] and "复核" in reviewed[3]
    assert "复核意见" in rereviewed[2] and "省人民政府" in rereviewed[3] and "维持复查意见。" in rereviewed[3]
    subjects = [
        e["details"]["subject"] for e in view(api, case)["history"] if e["kind"] == "applicant_notified"
    ]
    # The hearing step told nobody: one notice for the review, one for the re-review.
    assert subjects[-2:] == [reviewed[2], rereviewed[2]]
    assert len([s for s in subjects if "复核意见" in s]) == 1


def test_esc1_nat5_an_unanswered_petition_is_reminded_then_escalated_once_each(served, clock):
    """Accepted 22 Apr and left alone, is 法规处 reminded on 18 Jun, raised to its head on 22 Jun and to its leader on 23 Jun, once each?"""
    api, app = served.api, served.app
    case = accepted(api, clock, "2026-04-20", "2026-04-22")
    iid = case["id"]
    # Due Mon 22 Jun; one working day before it is Thu 18 Jun (19 Jun is the Dragon Boat Festival).
    assert sweep(app, "2026-06-18T15:59:00+00:00").deadlines == 0
    for _ in range(2):
        sweep(app, "2026-06-18T16:00:00+00:00")
    assert len(history(app, iid, "reminded")) == 1
    assert len(notified(app, "chen.jing", "reminder")) == 1
    for _ in range(2):
        sweep(app, "2026-06-22T16:00:00+00:00")
    assert [d["level"] for d in history(app, iid, "escalated")] == [1]
    assert len(notified(app, "chen.jing", "escalation")) == 1
    for _ in range(2):
        sweep(app, "2026-06-23T16:00:00+00:00")
    assert [d["level"] for d in history(app, iid, "escalated")] == [1, 2]
    assert len(notified(app, "sun.li", "escalation")) == 1
    assert notified(app, "zhao.lei", "escalation") == []  # zhao.lei does not lead 法规处
    assert len(history(app, iid, "reminded")) == 1
    clock.set("2026-06-23T17:00:00+00:00")
    (handle,) = view(api, case)["open_tasks"]
    assert handle["overdue"] is True and handle["escalation_level"] == 2


# --- local targets in working days under the 60-day ceiling (PET-2: 000 §20, 002 §13(三)) ---

# Received Mon 20 Apr 2026, accepted Wed 22 Apr. hainan-sasac counts from acceptance: ceiling 60 days,
# Sun 21 Jun rolled to Mon 22 Jun; 5 working days: 23, 24, 27, 28, 29 Apr. xingning's 2 working days
# cover acceptance and reply together (受理答复完毕, 002 §13(三)), so its clock counts from receipt:
# 21, 22 Apr; the 60 days from receipt end Fri 19 Jun, 端午, rolled to Mon 22 Jun as well.
TARGETS = {
    "hainan-sasac": ("5个工作日", "2026-06-22", "2026-04-29"),
    "xingning": ("2个工作日", "2026-06-22", "2026-04-22"),
}


@pytest.mark.parametrize("profile", sorted(TARGETS))
def test_pet2_a_local_working_day_target_binds_before_the_60_day_ceiling(
    profile, app, api, api_for_profile, clock
):
    """hainan-sasac / xingning: received 20 Apr, accepted 22 Apr 2026: both dates shown, held to the target's?"""
    other = serve(profile, api, app, api_for_profile).api
    target, ceiling_on, target_on = TARGETS[profile]
    rule = {d["name"]: d for d in other.get("/profile", "hu.jun").get_json()["deadlines"]}[
        "petition.handling"
    ]
    assert (rule["period"]["text"], rule["target"]["text"], rule["rolls"]) == ("60日", target, True)
    case = accepted(other, clock, "2026-04-20", "2026-04-22")
    handling = clock_named(case, "petition.handling")
    assert (handling["period"], handling["target"]) == ("60日", target)
    assert (handling["ceiling_due_on"], handling["target_due_on"], handling["binds"]) == (
        ceiling_on,
        target_on,
        "target",
    )
    assert handling["due_at"] == case["due_at"] == f"{target_on}T16:00:00+00:00"
    assert case["open_tasks"][0]["due_at"] == case["due_at"]  # the handling task runs on the case clock


def test_pet2_xingning_a_reply_past_the_target_is_late_in_working_days(app, api, api_for_profile, clock):
    """xingning: received Mon 20 Apr 2026, due by its 2-working-day target Wed 22 Apr; answered Fri 24 Apr: 2 working days late (not 2 days of the 60)."""
    other = serve("xingning", api, app, api_for_profile).api
    case = replied(other, clock, "2026-04-20", "2026-04-22", "2026-04-24")
    handling = clock_named(view(other, case), "petition.handling")
    assert (handling["status"], handling["binds"]) == ("met", "target")
    assert (handling["on_time"], handling["late_by"], handling["late_unit"]) == (False, 2, "workday")


def test_pet2_without_a_local_target_the_ceiling_binds_alone(app, api, clock):
    """national: accepted 22 Apr 2026, the handling clock has no target and is due 22 Jun."""
    case = accepted(api, clock, "2026-04-20", "2026-04-22")
    handling = clock_named(case, "petition.handling")
    assert (handling["target"], handling["target_due_on"], handling["binds"]) == (None, None, None)
    assert (handling["ceiling_due_on"], handling["due_at"]) == ("2026-06-22", "2026-06-22T16:00:00+00:00")
