"""An administrator cancels (撤销) a case: nothing more happens on it, and nothing of it is left behind."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from service.extensions import db
from service.models import Deadline, Notification, ProcessInstance
from service.services import case_admin
from service.services.org import user_for_token

from .flows import open_task, register, start_disclosure, view
from .test_api_errors import assert_problem
from .test_deadlines import drills, sweep  # noqa: F401  (drills: a fixture)

pytestmark = pytest.mark.usefixtures("drills")  # timer_drill, deployed once per run

REASON = "申请人来电撤回申请"


def cancel(api, case_id, reason=REASON, user="admin"):
    return api.post(f"/process-instances/{case_id}/cancel", user, {"reason": reason})


@pytest.fixture
def drafting(api):
    """A disclosure request registered for 规划处 on 2 March: 起草答复 open, the reply clock running."""
    case = start_disclosure(api)
    register(api, case["id"])
    return view(api, case)


def test_org4_an_administrator_cancels_a_case_and_it_says_when_by_whom_and_why(api, drafting):
    """Does a cancelled case show status cancelled, when, by whom and why, and record it in its history?"""
    response = cancel(api, drafting["id"])
    assert response.status_code == 200, response.get_json()
    case = response.get_json()
    assert case["status"] == "cancelled" and case["open_tasks"] == []
    assert case["cancellation"]["reason"] == REASON
    assert case["cancellation"]["by"]["username"] == "admin"
    assert case["cancellation"]["at"] == "2026-03-02T01:00:00+00:00"
    (entry,) = [e for e in case["history"] if e["kind"] == "case_cancelled"]
    assert entry["actor"]["username"] == "admin" and entry["details"]["reason"] == REASON
    assert [e["details"]["task"] for e in case["history"] if e["kind"] == "task_cancelled"] == ["起草答复"]
    assert view(api, drafting, "zhang.wei")["status"] == "cancelled"  # the starter sees it too


def test_the_open_task_leaves_every_inbox_and_cannot_be_completed(api, drafting):
    """After the cancellation, is 起草答复 gone from its holder's (held and waiting), 规划处's and the administrators' lists, and is acting on it a 409?"""
    task = open_task(api, drafting)
    assert api.post(f"/tasks/{task['id']}/claim", "wang.fang").status_code == 200
    inboxes = [
        ("wang.fang", "mine"),
        ("liu.yang", "department"),
        ("wang.fang", "actionable"),
        ("admin", "all"),
    ]
    assert [api.get(f"/tasks?scope={scope}", user).get_json()["total"] for user, scope in inboxes] == [
        1,
        1,
        1,
        1,
    ]
    cancel(api, drafting["id"])
    assert [api.get(f"/tasks?scope={scope}", user).get_json()["total"] for user, scope in inboxes] == [
        0,
        0,
        0,
        0,
    ]
    assert api.get("/tasks?scope=mine&status=done", "wang.fang").get_json()["total"] == 0
    assert api.get(f"/tasks/{task['id']}", "wang.fang").get_json()["status"] == "cancelled"
    data = {
        "draft_action": "submit",
        "category": "not_held",
        "unable_reason": "not_held",
        "reply_text": "本机关未制作该信息",
    }
    assert_problem(
        api.post(f"/tasks/{task['id']}/complete", "wang.fang", {"data": data}), 409, "task_not_open"
    )
    assert_problem(api.post(f"/tasks/{task['id']}/claim", "liu.yang"), 409, "task_not_open")
    body = {"department": "legal", "reason": "转给法规处"}
    assert_problem(api.post(f"/tasks/{task['id']}/transfer", "wang.fang", body), 409, "task_not_open")


def test_esc1_every_clock_stops_and_the_sweep_never_reminds_or_escalates_on_it(api, app, drafting):
    """Is every running deadline closed as cancelled, and does a sweep long past them remind or escalate no one?"""
    running = {d["name"] for d in drafting["deadlines"] if d["status"] == "running"}
    assert running == {"disclosure.reply"}
    cancel(api, drafting["id"])
    case = view(api, drafting)
    statuses = {d["name"]: d["status"] for d in case["deadlines"]}
    assert statuses == {"disclosure.reply": "cancelled", "disclosure.registration": "met"}  # met stays met
    assert not case["overdue"]
    with app.app_context():
        clocks = db.session.scalars(select(Deadline).where(Deadline.instance_id == drafting["id"])).all()
        assert all(c.next_action_at is None for c in clocks)
        assert db.session.get(ProcessInstance, drafting["id"]).next_timer_at is None
    report = sweep(app, "2026-06-30T00:00:00+00:00")
    assert (report.timers, report.deadlines) == (0, 0)
    with app.app_context():
        assert db.session.scalars(select(Notification)).all() == []


def test_esc1_a_waiting_timer_never_fires_on_a_cancelled_case(api, app, clock):
    """A case whose boundary timer is due: once cancelled, does the sweep leave it where it was?"""
    clock.set("2026-02-13T02:00:00+00:00")
    case = api.post(
        "/process-definitions/timer_drill/instances", "zhang.wei", {"data": {"received_on": "2026-02-13"}}
    ).get_json()
    with app.app_context():
        assert db.session.get(ProcessInstance, case["id"]).next_timer_at is not None
    assert cancel(api, case["id"], "重复登记").status_code == 200
    assert sweep(app, "2026-03-02T00:00:00+00:00").timers == 0
    after = view(api, case)
    assert after["status"] == "cancelled" and after["open_tasks"] == []
    assert not [e for e in after["history"] if e["kind"] == "timers_fired"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "required"),
        ({"reason": ""}, "required"),
        ({"reason": "   \n"}, "required"),
        ({"reason": 42}, "invalid"),
        ({"reason": "理由" * 300}, "too_long"),
        ({"reason": "撤回\x00"}, "invalid_text"),
    ],
)
def test_a_reason_is_required_and_must_be_storable_text(api, drafting, body, code):
    """Is a missing, blank, non-text, overlong or unstorable reason a 422 naming `reason`, with the case still running?"""
    response = api.post(f"/process-instances/{drafting['id']}/cancel", "admin", body)
    problem = assert_problem(response, 422, "validation_failed", "reason")
    assert problem["errors"][0]["code"] == code
    assert view(api, drafting)["status"] == "running"


def test_only_administrators_cancel_cases(api, drafting):
    """Can the officer handling the case, or the one who started it, cancel it?"""
    for user in ("wang.fang", "zhang.wei", "zhou.qiang"):
        assert_problem(cancel(api, drafting["id"], user=user), 403, "admin_only")
    assert view(api, drafting)["status"] == "running"
    assert_problem(cancel(api, 999999), 404, "instance_not_found")


def test_a_case_that_is_not_running_cannot_be_cancelled(api, drafting):
    """Is cancelling a cancelled case a 409 that says so in Chinese, with the history unchanged?"""
    cancel(api, drafting["id"])
    body = assert_problem(cancel(api, drafting["id"], "再撤一次"), 409, "case_not_running")
    assert "已撤销" in body["title"]
    history = view(api, drafting)["history"]
    assert [e["details"]["reason"] for e in history if e["kind"] == "case_cancelled"] == [REASON]


def test_a_completed_case_cannot_be_cancelled(api):
    """Is a finished case refused with 409 and a message saying it is finished?"""
    case = api.post(
        "/process-definitions/timer_drill/instances", "zhang.wei", {"data": {"received_on": "2026-03-02"}}
    ).get_json()
    task = open_task(api, case)
    assert api.post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": {}}).status_code == 200
    assert view(api, case)["status"] == "completed"
    body = assert_problem(cancel(api, case["id"]), 409, "case_not_running")
    assert "已办结" in body["title"]


def test_a_step_taken_meanwhile_makes_the_cancellation_a_409_not_a_lost_update(api, app, drafting):
    """If 规划处 completes its task while my cancellation works on the old copy of the case, do I get 409?"""
    task = open_task(api, drafting)
    data = {
        "draft_action": "submit",
        "category": "not_held",
        "unable_reason": "not_held",
        "reply_text": "本机关未制作该信息",
    }
    with app.app_context():
        stale = db.session.get(ProcessInstance, drafting["id"])  # my request has read the case ...
        assert stale.status == "running"
        result = []
        worker = threading.Thread(
            target=lambda: result.append(
                api.fresh().post(f"/tasks/{task['id']}/complete", "wang.fang", {"data": data}).status_code
            )
        )
        worker.start()
        worker.join()
        assert result == [200]
        with pytest.raises(case_admin.ServiceError) as err:
            case_admin.cancel_case(user_for_token(api.tokens["admin"]), drafting["id"], REASON)
        assert (err.value.status, err.value.code) == (409, "concurrent_modification")
    after = view(api, drafting)
    assert after["status"] == "running" and [t["task_spec"] for t in after["open_tasks"]] == [
        "section_review"
    ]


def test_a_cancellation_and_a_step_at_the_same_moment_leave_no_open_task_on_a_cancelled_case(api, drafting):
    """Cancel and 提交 pressed together: does each get 200 or 409, and is the case either cancelled with nothing open, or running on?"""
    task = open_task(api, drafting)
    data = {
        "draft_action": "submit",
        "category": "not_held",
        "unable_reason": "not_held",
        "reply_text": "本机关未制作该信息",
    }
    together = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def press(name, call):
        together.wait()
        statuses[name] = call().status_code

    calls = {
        "cancel": lambda served=api.fresh(): cancel(served, drafting["id"]),
        "complete": lambda served=api.fresh(): served.post(
            f"/tasks/{task['id']}/complete", "wang.fang", {"data": data}
        ),
    }
    threads = [threading.Thread(target=press, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses.values()) <= {200, 409} and 200 in statuses.values(), statuses
    after = view(api, drafting)
    if statuses["cancel"] == 200:
        assert after["status"] == "cancelled" and after["open_tasks"] == []
    else:
        assert after["status"] == "running" and [t["task_spec"] for t in after["open_tasks"]] == [
            "section_review"
        ]


def test_the_cli_cancels_a_case(app, api, drafting):
    """Can an operator cancel a case from the command line, and is a missing reason refused there too?"""
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["cancel-case", str(drafting["id"]), "--reason", " "])
    assert refused.exit_code != 0 and "理由" in refused.output
    done = runner.invoke(args=["cancel-case", str(drafting["id"]), "--reason", REASON])
    assert done.exit_code == 0, done.output
    assert drafting["tracking_number"] in done.output
    case = view(api, drafting)
    assert case["status"] == "cancelled" and case["cancellation"]["by"]["username"] == "admin"
    assert case["cancellation"]["withdrawn"] is False


def test_the_cli_records_an_applicants_withdrawal(app, api, drafting):
    """Does --withdrawn record the applicant's 撤回, closing the case's clocks as withdrawn?"""
    runner = app.test_cli_runner()
    done = runner.invoke(args=["cancel-case", str(drafting["id"]), "--reason", REASON, "--withdrawn"])
    assert done.exit_code == 0 and "撤回" in done.output, done.output
    case = view(api, drafting)
    assert case["cancellation"]["withdrawn"] is True
    assert {c["status"] for c in case["deadlines"]} <= {"withdrawn", "met"}
    assert "withdrawn" in {c["status"] for c in case["deadlines"]}
