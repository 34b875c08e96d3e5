"""Refusals: every one is application/problem+json with a stable code, and changes nothing."""

import threading

import pytest

from service.extensions import db
from service.models import HumanTask, ProcessInstance
from service.services import cases
from service.services.org import user_for_token

from .flows import START, open_task, register, start_disclosure
from .pages import Pages


def assert_problem(response, status, code, field=None):
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == code and body["status"] == status and body["title"]
    if field:
        assert body["field"] == field
    return body


def test_requests_without_a_valid_token_get_401(api):
    """Can anyone read the inbox without logging in, or with a made-up token?"""
    assert_problem(api.get("/tasks"), 401, "unauthorized")
    bad = api.client.get("/api/v1/tasks", headers={"Authorization": "Bearer nope"})
    assert_problem(bad, 401, "unauthorized")


def test_missing_start_field_is_422_naming_it_and_stores_nothing(api, app):
    """Does a request with no applicant name get a 422 that names the field, and no case?"""
    data = {k: v for k, v in START.items() if k != "applicant_name"}
    body = assert_problem(
        api.post("/process-definitions/disclosure_request/instances", "zhang.wei", {"data": data}),
        422,
        "validation_failed",
        "applicant_name",
    )
    assert "申请人姓名" in body["errors"][0]["message"]
    with app.app_context():
        assert db.session.query(ProcessInstance).count() == 0


def test_malformed_completion_is_422_and_the_task_stays_open(api):
    """Does a bad date or an unknown category leave the task open with each field named?"""
    case = start_disclosure(api)
    task = open_task(api, case["id"])
    response = api.post(
        f"/tasks/{task['id']}/complete",
        "zhang.wei",
        {"data": {"owning_department": "mars", "received_on": "2026-13-01"}},
    )
    body = assert_problem(response, 422, "validation_failed")
    assert {e["field"] for e in body["errors"]} == {
        "owning_department",
        "received_on",
        "registration_decision",
    }
    assert open_task(api, case["id"])["id"] == task["id"]
    assert_problem(
        api.post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": []}), 422, "validation_failed", "data"
    )
    not_json = api.client.post(
        f"/api/v1/tasks/{task['id']}/complete",
        data="x",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.tokens['zhang.wei']}"},
    )
    assert_problem(not_json, 400, "invalid_body", "body")


def test_other_departments_cannot_see_claim_or_complete(api):
    """Can a planning officer look at, claim or complete the office's registration task?"""
    case = start_disclosure(api)
    task = open_task(api, case["id"])
    assert_problem(api.get(f"/tasks/{task['id']}", "wang.fang"), 403, "not_task_department")
    assert_problem(api.post(f"/tasks/{task['id']}/claim", "wang.fang"), 403, "not_task_department")
    assert_problem(
        api.post(f"/tasks/{task['id']}/complete", "wang.fang", {"data": {}}), 403, "not_task_department"
    )
    assert_problem(api.get(f"/process-instances/{case['id']}", "wang.fang"), 403, "not_involved")
    assert api.get(f"/tasks/{task['id']}", "admin").status_code == 200


def test_task_detail_carries_its_form(api):
    """Does a task say which fields it needs, with labels, types and allowed values?"""
    case = start_disclosure(api)
    register(api, case["id"])
    task = api.get(f"/tasks/{open_task(api, case['id'])['id']}", "wang.fang").get_json()
    fields = {f["name"]: f for f in task["form"]}
    # A category is needed to submit the reply, not to ask for consultation or more time.
    assert fields["category"]["type"] == "enum" and fields["category"]["required"] is False
    assert fields["category"]["required_if"] == {
        "field": "draft_action",
        "value": "submit",
        "values": ["submit"],
    }
    assert fields["draft_action"]["required"] is True
    assert {"value": "withheld", "label": "不予公开"} in fields["category"]["options"]
    assert fields["withheld_reason"]["required_if"] == {
        "field": "category",
        "value": "withheld",
        "values": ["withheld"],
    }
    # The case's 20 working days from Mon 2 Mar (REQ-2): 3-6 Mar = 1-4, ..., 23-27 Mar = 15-19, 30 Mar = 20.
    assert task["due_at"] == "2026-03-30T16:00:00+00:00" and task["role"] is None


def test_unknown_things_are_404(api):
    """Do unknown tasks, cases and processes get 404 problems?"""
    assert_problem(api.get("/tasks/999999", "admin"), 404, "task_not_found")
    assert_problem(api.post("/tasks/999999/claim", "admin"), 404, "task_not_found")
    assert_problem(api.get("/process-instances/999999", "admin"), 404, "instance_not_found")
    assert_problem(
        api.post("/process-definitions/nope/instances", "admin", {"data": {}}),
        404,
        "process_definition_not_found",
    )
    assert_problem(api.get("/nothing-here", "admin"), 404, "not_found")


def test_a_claimed_task_cannot_be_taken_or_completed_by_someone_else(api):
    """When one officer has claimed a task, does a colleague get 409 on claim and complete?"""
    case = start_disclosure(api)
    register(api, case["id"])
    task = open_task(api, case["id"])
    api.post(f"/tasks/{task['id']}/claim", "zhao.lei")  # a leader overseeing planning is no member: refused
    assert api.post(f"/tasks/{task['id']}/claim", "wang.fang").status_code == 200
    assert_problem(api.post(f"/tasks/{task['id']}/claim", "liu.yang"), 409, "task_claimed_by_other")
    assert_problem(
        api.post(f"/tasks/{task['id']}/complete", "liu.yang", {"data": {}}), 409, "task_claimed_by_other"
    )
    assert_problem(api.post(f"/tasks/{task['id']}/unclaim", "liu.yang"), 403, "not_assignee")
    assert api.post(f"/tasks/{task['id']}/unclaim", "wang.fang").get_json()["assignee"] is None


def test_a_finished_task_cannot_be_completed_again(api):
    """Does completing a task twice get 409 instead of a second step?"""
    case = start_disclosure(api)
    task = open_task(api, case["id"])
    register(api, case["id"])
    assert_problem(api.post(f"/tasks/{task['id']}/complete", "zhang.wei", {"data": {}}), 409, "task_not_open")
    assert_problem(api.post(f"/tasks/{task['id']}/claim", "zhang.wei"), 409, "task_not_open")


def test_a_stale_concurrent_write_gets_409_not_a_lost_update(api, app):
    """If a colleague claims a task while my request is working on the old copy, do I get 409?"""
    case = start_disclosure(api)
    register(api, case["id"])
    task_id = open_task(api, case["id"])["id"]
    with app.app_context():
        stale = db.session.get(HumanTask, task_id)  # my request has read the task ...
        assert stale.assignee_id is None
        assert _in_other_thread(lambda: api.post(f"/tasks/{task_id}/claim", "wang.fang").status_code) == 200
        me = user_for_token(api.tokens["liu.yang"])
        with pytest.raises(cases.ServiceError) as err:
            cases.claim_task(me, task_id)
        assert (err.value.status, err.value.code) == (409, "concurrent_modification")
    assert open_task(api, case["id"])["assignee"]["username"] == "wang.fang"


def _in_other_thread(call):
    """Run a request on another thread: its own app context and database session, like a second worker."""
    result = []
    worker = threading.Thread(target=lambda: result.append(call()))
    worker.start()
    worker.join()
    return result[0]


def test_transfer_needs_a_reason_and_moves_the_task_and_case(api):
    """Does 转办 (ESC-3) need a reason and a real department, and move the task and the case?"""
    case = start_disclosure(api)
    register(api, case["id"])
    task = open_task(api, case["id"])
    body = assert_problem(
        api.post(f"/tasks/{task['id']}/transfer", "wang.fang", {"department": "nowhere"}),
        422,
        "validation_failed",
    )
    assert {e["field"] for e in body["errors"]} == {"department", "reason"}
    moved = api.post(
        f"/tasks/{task['id']}/transfer", "wang.fang", {"department": "legal", "reason": "该信息由法规处制作"}
    )
    assert moved.status_code == 200
    assert moved.get_json()["department"]["code"] == "legal"
    assert moved.get_json()["created_at"] == task["created_at"]
    assert api.get("/tasks?scope=department", "chen.jing").get_json()["total"] == 1
    assert api.get("/tasks?scope=department", "wang.fang").get_json()["total"] == 0
    from .flows import complete

    complete(
        api,
        task["id"],
        "chen.jing",
        {
            "draft_action": "submit",
            "category": "not_held",
            "unable_reason": "not_held",
            "reply_text": "本机关未制作该信息",
        },
    )
    review = open_task(api, case["id"])
    # 法规处's only section head drafted it herself: her leader in charge reviews it (four eyes).
    assert (review["department"]["code"], review["role"]) == ("legal", "leader_in_charge")
    history = api.get(f"/process-instances/{case['id']}", "chen.jing").get_json()["history"]
    (transfer,) = [e for e in history if e["kind"] == "task_transferred"]
    assert transfer["details"]["reason"] == "该信息由法规处制作" and transfer["details"]["from"] == "规划处"


def test_listing_is_paginated_and_all_is_for_admins(api):
    """Does the inbox page, and is scope=all kept to administrators?"""
    for _ in range(3):
        start_disclosure(api)
    page = api.get("/tasks?scope=department&per_page=2&page=2", "zhang.wei").get_json()
    assert (page["total"], len(page["items"]), page["page"]) == (3, 1, 2)
    assert_problem(api.get("/tasks?scope=all", "zhang.wei"), 403, "admin_only")
    assert api.get("/tasks?scope=all", "admin").get_json()["total"] == 3
    assert_problem(api.get("/tasks?per_page=1000", "zhang.wei"), 400, "invalid_parameter", "per_page")
    assert_problem(api.get("/tasks?scope=everything", "zhang.wei"), 400, "invalid_parameter", "scope")


def test_session_posts_must_be_json_so_cross_site_forms_fail(api, app):
    """Can a cross-site form riding on a logged-in session claim a task?"""
    case = start_disclosure(api)
    task = open_task(api, case["id"])
    pages = Pages(app)
    pages.log_in("zhang.wei")  # through the log-in page, as a browser would
    client = pages.client
    assert client.get("/api/v1/tasks?scope=department").status_code == 200
    forged = client.post(f"/api/v1/tasks/{task['id']}/claim", data={"x": "1"})
    assert_problem(forged, 403, "csrf_check_failed")
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", json={}).status_code == 200


@pytest.mark.parametrize(
    ("user", "key", "allowed"),
    [
        ("wang.fang", "publishing", True),  # 规划处's 信息员 drafts for 规划处 (PUB-1)
        ("liu.yang", "publishing", False),  # its section head reviews, he does not draft
        ("wang.fang", "proposal", False),  # proposals are registered by 法规处 (PRO-1)
        ("chen.jing", "proposal", True),
        ("wang.fang", "disclosure_request", False),  # requests are entered by the office
        ("admin", "proposal", True),
    ],
)
def test_only_the_start_events_lane_may_start_a_case(api, app, user, key, allowed):
    """Is a case started only by the people its start event's lane names, and told so beforehand?"""
    listed = {d["key"]: d["can_start"] for d in api.get("/process-definitions", user).get_json()["items"]}
    assert listed[key] is allowed
    response = api.post(f"/process-definitions/{key}/instances", user, {"data": {}})
    if allowed:
        assert response.status_code == 422  # past the check, stopped by the empty start form
    else:
        body = assert_problem(response, 403, "not_starter")
        assert "泳道" in body["title"]
        with app.app_context():
            assert db.session.query(ProcessInstance).count() == 0
