"""退回 through the API (issue 11): the earlier steps a task may be sent back to, sending it back with
a reason, who may, and what it leaves: the step open again for whoever did it, the earlier answer
to start from, the case clock running on (ORG-4: every return is in the history)."""

from __future__ import annotations

from tests.service import flows
from tests.service.flows import act, case_clock, clock_named, open_task, view
from tests.service.test_api_errors import assert_problem
from tests.service.test_petition_api import ACCEPTED, SUPPORTED
from tests.service.test_petition_api import start as start_petition
from tests.unit.test_publishing_flow import APPROVE, DRAFT

LAYOUT = {"layout_url": "https://example.gov.cn/preview/1"}


def proofread_once(api, clock):
    """A general news item of 规划处 (national): reviewed, laid out, proofread by its drafter 王芳;
    二校 now waits for 刘洋."""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "publishing", "wang.fang", DRAFT)
    act(api, case, "review_section", "liu.yang", APPROVE)
    act(api, case, "layout", "xu.ming", LAYOUT)
    return act(api, case, "proof_officer", "wang.fang", {"proof1_result": "ok"})


def rewound(api, case, response, acted_on: tuple[int, str], reopened_for: tuple[str, str]) -> dict:
    """A 退回 or 撤回 answered 200: the task acted on has (id, status), the step reopened for
    (spec, username) is the case's only open task. Returns the reopened task."""
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["task"]["id"], body["task"]["status"]) == acted_on
    reopened = body["reopened"]
    assert (reopened["task_spec"], reopened["status"], reopened["assignee"]["username"]) == (
        reopened_for[0],
        "open",
        reopened_for[1],
    )
    assert [t["id"] for t in view(api, case)["open_tasks"]] == [reopened["id"]]
    return reopened


def send_back(api, task_id, user, to, reason="校对意见未落实"):
    return api.post(f"/tasks/{task_id}/return", user, {"to": to, "reason": reason})


def test_the_return_targets_are_the_steps_done_on_the_way_here_with_who_did_them(api, clock):
    """Does 二校 offer 一校 (王芳), 排版 (徐明, 信息中心) and 保密审查及复审 (刘洋), the latest first?"""
    case = proofread_once(api, clock)
    task = open_task(api, case)
    response = api.get(f"/tasks/{task['id']}/return-targets", "liu.yang")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [
        (i["task_spec"], i["name"], i["department"]["code"], i["completed_by"]["username"]) for i in items
    ] == [
        ("proof_officer", "一校", "planning", "wang.fang"),
        ("layout", "排版", "info_center", "xu.ming"),
        ("review_section", "保密审查及复审", "planning", "liu.yang"),
    ]
    first = open_task(api, flows.start(api, "publishing", "wang.fang", DRAFT))
    assert api.get(f"/tasks/{first['id']}/return-targets", "liu.yang").get_json() == {"items": []}


def test_returning_reopens_the_step_for_the_person_who_did_it_with_the_reason_in_the_history(api, clock):
    """Sent back from 二校 to 一校: is 二校 cancelled, 一校 open again in 王芳's own inbox, her answer
    prefilled, and does the page data say who sent it back from where, when and why?"""
    case = proofread_once(api, clock)
    task = open_task(api, case)
    clock.set("2026-03-03T02:00:00+00:00")
    response = send_back(api, task["id"], "liu.yang", "proof_officer")
    reopened = rewound(api, case, response, (task["id"], "cancelled"), ("proof_officer", "wang.fang"))
    after = view(api, case)
    line = next(e for e in after["history"] if e["kind"] == "task_returned")
    assert (line["task_id"], line["actor"]["username"]) == (task["id"], "liu.yang")
    assert {k: line["details"][k] for k in ("from", "to", "reason")} == {
        "from": "二校",
        "to": "一校",
        "reason": "校对意见未落实",
    }
    mine = api.get("/tasks?scope=mine", "wang.fang").get_json()["items"]
    assert [t["id"] for t in mine] == [reopened["id"]]
    detail = api.get(f"/tasks/{reopened['id']}", "wang.fang").get_json()
    assert {f["name"]: f["value"] for f in detail["form"]}["proof1_result"] == "ok"
    rework = detail["rework"]
    assert rework["returned_by"] is None and rework["previous_answer"] == {"proof1_result": "ok"}
    assert rework["reopened_by"] == {
        "kind": "task_returned",
        "person": {"id": rework["reopened_by"]["person"]["id"], "username": "liu.yang", "name": "刘洋"},
        "from_task": "二校",
        "at": "2026-03-03T02:00:00+00:00",
        "reason": "校对意见未落实",
    }
    flows.complete(api, reopened["id"], "wang.fang", {"proof1_result": "ok"})
    assert open_task(api, case)["task_spec"] == "proof_section"


def test_a_step_whose_doer_can_no_longer_act_reopens_in_the_department_queue(app, api, clock):
    """徐明's account is disabled when 排版 comes back: does it wait in 信息中心's queue, for 高燕 to take?"""
    from service.extensions import db
    from service.models import User
    from tests.service.pages import reset_password

    case = proofread_once(api, clock)
    with app.app_context():
        db.session.scalars(db.select(User).where(User.username == "xu.ming")).one().active = False
        db.session.commit()
    try:
        reopened = send_back(api, open_task(api, case)["id"], "liu.yang", "layout").get_json()["reopened"]
    finally:
        reset_password(app, "xu.ming")
    assert (reopened["assignee"], reopened["department"]["code"]) == (None, "info_center")
    line = next(e for e in view(api, case)["history"] if e["kind"] == "task_returned")
    assert line["details"]["assignee"] is None
    assert api.post(f"/tasks/{reopened['id']}/claim", "gao.yan").status_code == 200


def test_the_case_data_keeps_the_reopened_steps_answer_and_drops_the_later_ones(api, clock):
    """Back to 排版: does the case still show the layout link (the form starts from it) but no longer
    王芳's proofreading, which will be done again?"""
    case = proofread_once(api, clock)
    assert view(api, case)["data"]["proof1_result"] == "ok"
    reopened = send_back(api, open_task(api, case)["id"], "liu.yang", "layout").get_json()["reopened"]
    data = view(api, case)["data"]
    assert data["layout_url"] == LAYOUT["layout_url"] and "proof1_result" not in data
    assert reopened["assignee"]["username"] == "xu.ming"


def test_the_case_clock_runs_on_when_a_step_is_returned(api, clock):
    """Returned to 排版 two days later: is the news deadline (publishing.news) untouched, still running,
    and no clock started by the return?"""
    case = proofread_once(api, clock)
    before = case_clock(view(api, case), "publishing.news")
    clock.set("2026-03-04T02:00:00+00:00")
    reopened = send_back(api, open_task(api, case)["id"], "liu.yang", "layout").get_json()["reopened"]
    after = view(api, case)
    assert before["status"] == "running" and case_clock(after, "publishing.news") == before
    assert after["due_at"] == before["due_at"] == reopened["due_at"]
    assert [e["kind"] for e in after["history"]].count("deadline_started") == 1


def test_a_reopened_step_gets_its_own_deadline_and_a_met_case_clock_stays_met(api, clock):
    """发布后核查 sends the item back to 发布 on Wed 4 Mar: is 发布 due one working day later
    (publishing.centre_edit, from the day it reopened), and the news deadline, met when it was
    published, neither restarted by the return nor by publishing again?"""
    case = proofread_once(api, clock)
    act(api, case, "proof_section", "liu.yang", {"proof2_result": "ok"})
    published = {"published_on": "2026-03-02", "published_url": "https://example.gov.cn/1.html"}
    case = act(api, case, "publish", "xu.ming", published)
    met = case_clock(case, "publishing.news")
    assert met["status"] == "met"
    clock.set("2026-03-04T02:00:00+00:00")
    reopened = send_back(api, open_task(api, case)["id"], "gao.yan", "publish", "链接有误").get_json()[
        "reopened"
    ]
    assert (reopened["task_spec"], reopened["assignee"]["username"]) == ("publish", "xu.ming")
    assert reopened["due_at"] == "2026-03-05T16:00:00+00:00"
    assert case_clock(view(api, case), "publishing.news") == met
    again = act(api, view(api, case), "publish", "xu.ming", published)
    assert case_clock(again, "publishing.news") == met
    kinds = [e["kind"] for e in again["history"]]
    assert kinds.count("deadline_stopped") == 1 and "deadline_restarted" not in kinds


def test_a_start_clock_action_on_the_reopened_step_does_not_restart_a_running_case_clock(api, clock):
    """petition: 受理审查并告知 starts the 60-day handling clock (from its acceptance date). Returned to
    from 办理 and accepted again with a later date, does the running clock keep its start and due day?"""
    clock.set("2026-04-20T01:00:00+00:00")
    case = start_petition(api, "2026-04-20")
    act(api, case, "route", "hu.jun", {"owning_department": "legal", "routed_on": "2026-04-20"})
    clock.set("2026-04-22T02:00:00+00:00")
    case = act(api, case, "review_acceptance", "chen.jing", {**ACCEPTED, "accepted_on": "2026-04-22"})
    handling = clock_named(case, "petition.handling")
    clock.set("2026-04-27T02:00:00+00:00")
    task = open_task(api, case)
    response = send_back(api, task["id"], "chen.jing", "review_acceptance", "受理日期有误")
    reopened = response.get_json()["reopened"]
    assert reopened["assignee"]["username"] == "chen.jing"
    assert clock_named(view(api, case), "petition.handling") == handling  # the return runs no clock action
    after = flows.complete(api, reopened["id"], "chen.jing", {**ACCEPTED, "accepted_on": "2026-04-24"})
    assert after["status"] == "done"
    again = view(api, case)
    kept = clock_named(again, "petition.handling")
    assert (kept["started_on"], kept["due_at"], kept["status"]) == (
        handling["started_on"],
        handling["due_at"],
        "running",
    )
    assert [e["kind"] for e in again["history"]].count("deadline_started") == 1
    act(api, again, "handle", "chen.jing", SUPPORTED)


def test_only_who_may_complete_the_task_may_return_it(api, clock):
    """Is a return refused to another department (403), to the drafter barred from reviewing her own
    work (403), and a look at the targets likewise?"""
    case = proofread_once(api, clock)
    task = open_task(api, case)
    assert_problem(send_back(api, task["id"], "zhang.wei", "proof_officer"), 403, "not_task_department")
    assert_problem(api.get(f"/tasks/{task['id']}/return-targets", "zhang.wei"), 403, "not_task_department")
    assert_problem(send_back(api, task["id"], "wang.fang", "proof_officer"), 403, "not_task_department")
    assert open_task(api, case)["id"] == task["id"]


def test_a_return_needs_a_reason_and_a_step_on_the_way_here(api, clock):
    """Is a return without a reason, to no step, or to a step not done on the way (发布, a later one)
    refused naming the field?"""
    case = proofread_once(api, clock)
    task = open_task(api, case)
    assert_problem(
        send_back(api, task["id"], "liu.yang", "proof_officer", "  "), 422, "validation_failed", "reason"
    )
    assert_problem(send_back(api, task["id"], "liu.yang", None), 422, "validation_failed", "to")
    for to in ("publish", "proof_section", "review_leader"):
        body = assert_problem(send_back(api, task["id"], "liu.yang", to), 422, "validation_failed", "to")
        assert body["errors"][0]["code"] == "not_a_return_target"
    assert open_task(api, case)["id"] == task["id"]


def test_a_task_held_by_another_or_no_longer_open_cannot_be_returned(api, clock):
    """Is 排版 claimed by 高燕 refused to 徐明 (409), and a task already returned refused again (409)?"""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "publishing", "wang.fang", DRAFT)
    case = act(api, case, "review_section", "liu.yang", APPROVE)
    layout = open_task(api, case)
    assert api.post(f"/tasks/{layout['id']}/claim", "gao.yan").status_code == 200
    assert_problem(send_back(api, layout["id"], "xu.ming", "review_section"), 409, "task_claimed_by_other")
    assert send_back(api, layout["id"], "gao.yan", "review_section").status_code == 200
    assert_problem(send_back(api, layout["id"], "gao.yan", "review_section"), 409, "task_not_open")
    assert_problem(api.get(f"/tasks/{layout['id']}/return-targets", "gao.yan"), 409, "task_not_open")


def test_a_delegated_task_cannot_be_returned_until_it_comes_back(api):
    """While 吴敏 works on 王芳's delegated draft, is a 退回 of it refused (409), the task left as it was?"""
    from tests.service.test_delegation_api import delegated_draft

    case, task = delegated_draft(api)
    response = api.post(
        f"/tasks/{task['id']}/return", "wang.fang", {"to": "register", "reason": "应由办公室重新登记"}
    )
    assert_problem(response, 409, "task_delegated")
    assert open_task(api, case)["id"] == task["id"]
