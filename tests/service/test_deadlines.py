"""Deadlines as staff see them: due dates on the official calendar, reminders, escalation (ESC-1/2/3, REQ-2..4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import or_, select

from service.models import CaseEvent, Notification, OutgoingMessage, User
from tests.service import flows

DRILLS = Path(__file__).parent / "diagrams"
START = {
    **flows.APPLICANT,
    "applicant_name": "王小明",
    "applicant_contact": "13800000000",
    "request_content": "目录",
    "channel": "online",
}


@pytest.fixture(scope="session")
def drills(app):
    from service.services import deployment

    with app.app_context():
        deployment.deploy_directory(str(DRILLS))


@pytest.fixture(scope="session")
def hainan_api(api_for_profile):
    """The same database served under the hainan-sasac profile (15 working days, REQ-2)."""
    return api_for_profile("hainan-sasac")


def sweep(app, moment):
    from service.services import jobs

    with app.app_context():
        return jobs.sweep(_aware(moment), jobs.InlinePublisher())


def _aware(moment):
    from datetime import datetime

    return datetime.fromisoformat(moment)


def start_and_register(api, received_on, department="planning", process="disclosure_request", data=START):
    case = api.post(f"/process-definitions/{process}/instances", "zhang.wei", {"data": data}).get_json()
    task = case["open_tasks"][0]
    registration = {"owning_department": department, "received_on": received_on}
    if process == "disclosure_request":  # 登记结论 accept: the request is clear (the drill has no such field)
        registration["registration_decision"] = "accept"
    done = api.post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": registration})
    assert done.status_code == 200, done.get_json()
    return api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()


def open_task(api, case):
    return api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()["open_tasks"][0]


def at_extension_step(api, contact):
    """A drill case registered on Mon 2 Mar, consultation done, waiting for 延期审批."""
    case = start_and_register(
        api, "2026-03-02", process="deadline_drill", data={"applicant_contact": contact}
    )
    api.post(f"/tasks/{case['open_tasks'][0]['id']}/complete", "zhang.wei", {"data": {}})
    return case, open_task(api, case)


def history(app, instance_id, kind):
    from service.extensions import db

    with app.app_context():
        rows = db.session.scalars(
            select(CaseEvent)
            .where(CaseEvent.instance_id == instance_id, CaseEvent.kind == kind)
            .order_by(CaseEvent.id)  # PostgreSQL keeps no insertion order without one
        ).all()
        return [r.details for r in rows]


def notified(app, username, kind):
    """The titles of `username`'s notifications of `kind` about the cases people started: a profile's
    recurring duties (REC), which the sweep opens on its own, are reminded and raised too."""
    from service.extensions import db
    from service.models import ScheduledCase

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        query = select(Notification).where(
            Notification.user_id == user.id,
            Notification.kind == kind,
            or_(
                Notification.instance_id.is_(None),
                Notification.instance_id.not_in(select(ScheduledCase.instance_id)),
            ),
        )
        return [n.title for n in db.session.scalars(query)]


def test_req2_nat1_reply_due_20_working_days_after_receipt_across_spring_festival(api, clock):
    """Does a request received the Friday before Spring Festival 2026 fall due on 19 March (national: 20 working days)?"""
    clock.set("2026-02-13T02:00:00+00:00")
    case = start_and_register(api, "2026-02-13")
    # Counted by hand: Sat 14 Feb (make-up) = 1, 15-23 Feb off, 24-27 Feb = 2-5, Sat 28 Feb (make-up) = 6,
    # 2-6 Mar = 7-11, 9-13 Mar = 12-16, 16-19 Mar = 17-20. The day closes at 24:00 Beijing = 16:00 UTC.
    assert case["due_at"] == "2026-03-19T16:00:00+00:00"
    assert case["provisional"] is False and case["overdue"] is False
    (reply,) = [d for d in case["deadlines"] if d["name"] == "disclosure.reply"]
    assert reply["period"] == "20个工作日" and reply["started_on"] == "2026-02-13"
    draft = case["open_tasks"][0]
    assert draft["name"] == "起草答复" and draft["due_at"] == "2026-03-19T16:00:00+00:00"


def test_req2_hainan_profile_gives_15_working_days(hainan_api, clock):
    """Under hainan-sasac's stricter 15 working days, does the same request fall due on 12 March?"""
    clock.set("2026-02-13T02:00:00+00:00")
    case = start_and_register(hainan_api, "2026-02-13")
    assert case["due_at"] == "2026-03-12T16:00:00+00:00"


def test_esc1_reminder_then_two_escalations_each_exactly_once(app, api, clock):
    """Is the section head reminded a working day ahead, then raised at the deadline, then the leader in charge, once each?"""
    clock.set("2026-02-13T02:00:00+00:00")
    case = start_and_register(api, "2026-02-13")
    iid = case["id"]
    assert sweep(app, "2026-03-18T15:59:00+00:00").deadlines == 0
    sweep(app, "2026-03-18T16:00:00+00:00")  # close of 18 March: the last working day begins
    sweep(app, "2026-03-18T16:05:00+00:00")
    assert len(notified(app, "liu.yang", "reminder")) == 1
    assert len(history(app, iid, "reminded")) == 1
    clock.set("2026-03-18T17:00:00+00:00")
    (task,) = api.get("/tasks?scope=department&due=soon", "wang.fang").get_json()["items"]
    assert task["due_soon"] is True and task["overdue"] is False

    for _ in range(2):
        sweep(app, "2026-03-19T16:00:00+00:00")
    assert [d["level"] for d in history(app, iid, "escalated")] == [1]
    assert len(notified(app, "liu.yang", "escalation")) == 1
    clock.set("2026-03-19T16:30:00+00:00")
    overdue = api.get("/tasks?scope=department&due=overdue", "wang.fang").get_json()["items"]
    assert [t["overdue"] for t in overdue] == [True] and overdue[0]["escalation_level"] == 1

    for _ in range(2):
        sweep(app, "2026-03-20T16:00:00+00:00")  # one working day later: the leader in charge
    assert [d["level"] for d in history(app, iid, "escalated")] == [1, 2]
    assert len(notified(app, "zhao.lei", "escalation")) == 1
    assert notified(app, "sun.li", "escalation") == []  # sun.li does not oversee planning


def test_esc3_a_transfer_keeps_the_clock(api, clock):
    """When a task is sent to another department, does the deadline stay where it was?"""
    clock.set("2026-02-13T02:00:00+00:00")
    case = start_and_register(api, "2026-02-13")
    draft = case["open_tasks"][0]
    moved = api.post(
        f"/tasks/{draft['id']}/transfer", "wang.fang", {"department": "legal", "reason": "属法规处职责"}
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["due_at"] == "2026-03-19T16:00:00+00:00"
    after = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    assert after["due_at"] == "2026-03-19T16:00:00+00:00"


def test_req4_a_pause_spanning_national_day_adds_back_only_working_days(app, api, clock, drills):
    """Does third-party consultation from 25 Sep to 12 Oct 2026 stop the clock, then add back only its working days?"""
    clock.set("2026-09-25T02:00:00+00:00")
    case = start_and_register(
        api, "2026-09-25", process="deadline_drill", data={"applicant_contact": "a@b.cn"}
    )
    consult = case["open_tasks"][0]
    assert consult["name"] == "征求第三方意见"
    # The consultation opened on the day of receipt: the clock stands still, so there is no due date.
    assert case["clock_paused"] is True and case["due_at"] is None
    (reply,) = [d for d in case["deadlines"] if d["name"] == "disclosure.reply"]
    assert reply["status"] == "paused" and reply["pauses"] == [["2026-09-25", None]]
    clock.set("2026-10-12T02:00:00+00:00")
    api.post(f"/tasks/{consult['id']}/complete", "zhang.wei", {"data": {"third_party_opinion": "同意公开"}})
    resumed = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    # Days after 25 Sep up to and including 12 Oct do not count (REQ-4), National Day inside them is not
    # counted twice: 13-16 Oct = 1-4, 19-23 = 5-9, 26-30 = 10-14, 2-6 Nov = 15-19, Mon 9 Nov = 20.
    # Without the pause it would have been 29 Oct (28-30 Sep, 8-9 Oct, Sat 10 Oct, 12-16, 19-23, 26-29 Oct).
    assert resumed["clock_paused"] is False
    assert resumed["due_at"] == "2026-11-09T16:00:00+00:00"
    (reply,) = [d for d in resumed["deadlines"] if d["name"] == "disclosure.reply"]
    assert reply["pauses"] == [["2026-09-25", "2026-10-12"]]
    assert resumed["open_tasks"][0]["due_at"] == "2026-11-09T16:00:00+00:00"


def test_req3_an_extension_beyond_the_ceiling_is_refused_with_what_remains_then_granted_and_told(
    app, api, clock, drills, sender
):
    """Asking for 30 more working days under national rules, is it refused saying 20 remain, nothing kept, and 20 then granted and texted?"""
    clock.set("2026-03-02T02:00:00+00:00")
    case, decide = at_extension_step(api, "13900000000")
    no_reason = api.post(f"/tasks/{decide['id']}/complete", "zhang.wei", {"data": {"extension_amount": 30}})
    assert no_reason.status_code == 422 and no_reason.get_json()["field"] == "extension_reason"
    too_long = api.post(
        f"/tasks/{decide['id']}/complete",
        "zhang.wei",
        {"data": {"extension_amount": 30, "extension_reason": "需调取档案"}},
    )
    problem = too_long.get_json()
    assert (too_long.status_code, problem["field"], problem["code"]) == (
        422,
        "extension_amount",
        "extension_too_long",
    )
    assert "最多还可延长20个工作日" in problem["title"]
    unchanged = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    assert "extension_amount" not in unchanged["data"] and history(app, case["id"], "deadline_extended") == []
    assert unchanged["open_tasks"][0]["id"] == decide["id"]
    ok = api.post(
        f"/tasks/{decide['id']}/complete",
        "zhang.wei",
        {"data": {"extension_amount": 20, "extension_reason": "需调取档案"}},
    )
    assert ok.status_code == 200, ok.get_json()
    (extended,) = history(app, case["id"], "deadline_extended")
    assert extended["granted"] == "20个工作日"
    after = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    (reply,) = [d for d in after["deadlines"] if d["name"] == "disclosure.reply"]
    assert reply["extension"] == "20个工作日" and after["data"]["extension_amount"] == 20
    sweep(app, "2026-03-02T03:00:00+00:00")  # delivers the outbox
    sms = [m for m in sender.sent if m[0] == "sms"]
    assert len(sms) == 1 and sms[0][1] == "13900000000" and "需调取档案" in sms[0][3]


def test_nat2_correction_restarts_the_count_from_the_corrected_request(app, api, clock, drills):
    """After 补正 on 10 March, does the 20-working-day count start again from 10 March?"""
    clock.set("2026-03-02T02:00:00+00:00")
    case = start_and_register(
        api, "2026-03-02", process="deadline_drill", data={"applicant_contact": "x@y.cn"}
    )
    for data in ({}, {}):
        task = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()["open_tasks"][0]
        api.post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": data})
    correct = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()["open_tasks"][0]
    assert correct["name"] == "补正"
    api.post(f"/tasks/{correct['id']}/complete", "zhang.wei", {"data": {"corrected_on": "2026-03-10"}})
    after = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    # From Tue 10 Mar: 11-13 = 1-3, 16-20 = 4-8, 23-27 = 9-13, 30 Mar-3 Apr = 14-18, Qingming 4-6 Apr off,
    # 7-8 Apr = 19-20.
    assert after["due_at"] == "2026-04-08T16:00:00+00:00"
    assert history(app, case["id"], "deadline_restarted") == [
        {"deadline": "disclosure.reply", "from": "2026-03-10"}
    ]


def test_nat8_a_deadline_into_2027_is_provisional_until_the_year_is_entered(app, api, clock):
    """Is a reply due in January 2027 marked provisional, and final (and moved) once an administrator enters 2027?"""
    clock.set("2026-12-15T02:00:00+00:00")
    case = start_and_register(api, "2026-12-15")
    # 2027 before its notice: 16-18 Dec = 1-3, 21-25 = 4-8, 28-31 = 9-12, Fri 1 Jan 2027 off (元旦,
    # statutory), 4-8 Jan = 13-17, 11-13 Jan = 18-20.
    assert case["due_at"] == "2027-01-13T16:00:00+00:00" and case["provisional"] is True
    assert case["open_tasks"][0]["provisional"] is True
    refused = api.call("PUT", "/calendar/days/2027-01-01", "zhang.wei", {"workday": False, "note": "元旦"})
    assert refused.status_code == 403
    for day, workday, note in (("2027-01-01", False, "元旦"), ("2027-01-09", True, "调休上班")):
        done = api.call("PUT", f"/calendar/days/{day}", "admin", {"workday": workday, "note": note})
        assert done.status_code == 200, done.get_json()
    still = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    # 1 Jan off, Sat 9 Jan worked: 4-8 Jan = 13-17, Sat 9 = 18, 11-12 Jan = 19-20: the same day, still provisional.
    assert still["due_at"] == "2027-01-12T16:00:00+00:00" and still["provisional"] is True
    api.call("PUT", "/calendar/days/2027-01-04", "admin", {"workday": False, "note": "元旦"})
    confirmed = api.post("/calendar/2027/confirm", "admin")
    assert confirmed.status_code == 200 and confirmed.get_json()["official"] is True
    final = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    # With 4 Jan off too: 5-8 Jan = 13-16, Sat 9 = 17, 11-13 Jan = 18-20.
    assert final["due_at"] == "2027-01-13T16:00:00+00:00" and final["provisional"] is False
    assert final["open_tasks"][0]["due_at"] == "2027-01-13T16:00:00+00:00"
    year = api.get("/calendar/2027", "zhang.wei").get_json()
    assert [d["day"] for d in year["entered_days"]] == ["2027-01-01", "2027-01-04", "2027-01-09"]


def test_calendar_entries_are_checked(api):
    """Does a malformed day or a non-boolean get a clear 4xx naming the field?"""
    bad_day = api.call("PUT", "/calendar/days/2027-13-01", "admin", {"workday": False})
    assert bad_day.status_code == 400 and bad_day.get_json()["field"] == "day"
    bad_flag = api.call("PUT", "/calendar/days/2027-02-01", "admin", {"workday": "yes"})
    assert bad_flag.status_code == 422 and bad_flag.get_json()["field"] == "workday"
    shipped = api.post("/calendar/2026/confirm", "admin")
    assert shipped.status_code == 409


def test_esc1_a_boundary_timer_on_working_days_is_fired_by_the_sweep(app, api, clock, drills):
    """Does a timer set two working days after receipt move the case on when the sweep passes that moment?"""
    clock.set("2026-02-13T02:00:00+00:00")
    case = api.post(
        "/process-definitions/timer_drill/instances", "zhang.wei", {"data": {"received_on": "2026-02-13"}}
    ).get_json()
    assert [t["name"] for t in case["open_tasks"]] == ["办理"]
    # add_workdays(13 Feb, 2): Sat 14 Feb (make-up) = 1, 15-23 off, Tue 24 Feb = 2.
    assert sweep(app, "2026-02-24T15:59:00+00:00").timers == 0
    assert sweep(app, "2026-02-24T16:00:00+00:00").timers == 1
    assert sweep(app, "2026-02-24T16:01:00+00:00").timers == 0
    after = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    assert [t["name"] for t in after["open_tasks"]] == ["督办处理"]
    assert len(history(app, case["id"], "timers_fired")) == 1


def test_the_sweep_command_takes_a_moment(app, api, clock):
    """Can an operator run one sweep at a given time from the command line?"""
    clock.set("2026-02-13T02:00:00+00:00")
    start_and_register(api, "2026-02-13")
    result = app.test_cli_runner().invoke(args=["sweep", "--now", "2026-03-19T00:30:00"])
    assert result.exit_code == 0, result.output
    assert "1 deadline(s)" in result.output
    bad = app.test_cli_runner().invoke(args=["sweep", "--now", "tomorrow"])
    assert bad.exit_code != 0 and "ISO" in bad.output


def test_notifications_are_listed_and_marked_read(app, api, clock):
    """Does the section head see the reminder in the notification list and can mark it read (but not others')?"""
    clock.set("2026-02-13T02:00:00+00:00")
    start_and_register(api, "2026-02-13")
    sweep(app, "2026-03-18T16:00:00+00:00")
    listed = api.get("/notifications?unread=1", "liu.yang").get_json()
    assert listed["total"] == 1 and listed["items"][0]["title"].startswith("催办")
    nid = listed["items"][0]["id"]
    assert api.post(f"/notifications/{nid}/read", "wang.fang").status_code == 404
    assert api.post(f"/notifications/{nid}/read", "liu.yang").get_json()["read"] is True
    assert api.get("/notifications?unread=1", "liu.yang").get_json()["total"] == 0


def test_the_active_profile_is_published(api):
    """Can staff read the numbers their deadlines come from, with the rule each cites?"""
    body = api.get("/profile", "zhang.wei").get_json()
    (reply,) = [d for d in body["deadlines"] if d["name"] == "disclosure.reply"]
    assert body["name"] == "national" and reply["period"]["text"] == "20个工作日" and "NAT-1" in reply["rule"]


def test_outbox_messages_are_sent_once(app, api, clock, sender, drills):
    """Delivered twice over, is an applicant notice sent only once?"""
    from service.services import jobs

    clock.set("2026-03-02T02:00:00+00:00")
    case, decide = at_extension_step(api, "a@b.cn")
    api.post(
        f"/tasks/{decide['id']}/complete",
        "zhang.wei",
        {"data": {"extension_amount": 5, "extension_reason": "复杂"}},
    )
    with app.app_context():
        assert jobs.deliver_messages() == 1
        assert jobs.deliver_messages() == 0
        from service.extensions import db

        (message,) = db.session.scalars(select(OutgoingMessage)).all()
        assert message.sent_at is not None and message.channel == "mail"
    assert [m[1] for m in sender.sent] == ["a@b.cn"]


def test_without_redis_the_sweep_runs_in_the_serving_process(app, api, clock, database_overrides, sender):
    """With no REDIS_URL, does the background sweeper of `flask serve` send a due reminder by itself?"""
    import time

    from service import create_app
    from service.sweeper import start_sweeper
    from workflows.clock import FixedClock

    clock.set("2026-02-13T02:00:00+00:00")
    case = start_and_register(api, "2026-02-13")
    served = create_app(
        {**database_overrides, "GOVFLOW_SWEEP_SECONDS": 0.05},
        clock=FixedClock("2026-03-18T16:30:00+00:00"),
        sender=sender,
    )
    start_sweeper(served)
    try:
        limit = time.monotonic() + 20
        while time.monotonic() < limit and not history(app, case["id"], "reminded"):
            time.sleep(0.05)  # waiting for the other thread, not for a deadline: the clock is fixed
    finally:
        served.extensions["govflow_sweeper_stop"].set()
    assert len(history(app, case["id"], "reminded")) == 1


def test_beat_sweeps_every_minute_and_jobs_survive_a_lost_worker(database_overrides):
    """Is the Celery app set to sweep every 60 s and to hand a killed worker's job to another?"""
    from service import create_app

    celery_app = create_app({**database_overrides, "REDIS_URL": "redis://127.0.0.1:6379/15"}).extensions[
        "celery"
    ]
    assert celery_app.conf.beat_schedule["sweep"] == {"task": "govflow.sweep", "schedule": 60.0}
    assert celery_app.conf.task_acks_late is True and celery_app.conf.task_reject_on_worker_lost is True
    assert {"govflow.sweep", "govflow.fire_timers", "govflow.act_on_deadline"} <= set(celery_app.tasks)


def test_an_unknown_profile_stops_the_app(database_overrides):
    """Does the service refuse to start on an unknown profile, naming the setting and the known ones?"""
    from service import create_app

    with pytest.raises(RuntimeError, match="GOVFLOW_PROFILE.*national"):
        create_app({**database_overrides, "GOVFLOW_PROFILE": "atlantis"})


def test_nat2_a_receipt_date_after_today_does_not_break_a_pause(api, clock, drills):
    """Registered on 2 Mar with a receipt date of 5 Mar, does the consultation's pause start on 5 Mar instead of failing?"""
    clock.set("2026-03-02T02:00:00+00:00")
    case = start_and_register(
        api, "2026-03-05", process="deadline_drill", data={"applicant_contact": "a@b.cn"}
    )
    (reply,) = [d for d in case["deadlines"] if d["name"] == "disclosure.reply"]
    assert reply["pauses"] == [["2026-03-05", None]]
    clock.set("2026-03-10T02:00:00+00:00")
    done = api.post(f"/tasks/{case['open_tasks'][0]['id']}/complete", "zhang.wei", {"data": {}})
    assert done.status_code == 200, done.get_json()
    after = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    # Counting after 10 Mar: 11-13 = 1-3, 16-20 = 4-8, 23-27 = 9-13, 30 Mar-3 Apr = 14-18, 7-8 Apr = 19-20.
    assert after["due_at"] == "2026-04-08T16:00:00+00:00"
