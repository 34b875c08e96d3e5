"""Routing that always reaches a person: a chosen department must have someone for the next lane,
nobody approves their own draft, and the inbox lists exactly what one may act on."""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.flows import START, act, open_task, start_disclosure, view
from tests.service.test_api_errors import assert_problem

REGISTER = {"received_on": "2026-03-02", "registration_decision": "accept"}
DRAFT = {"draft_action": "submit", "category": "disclosed", "reply_text": "目录见附件。"}


@pytest.fixture(scope="module")
def archive(app):
    """档案室: a department nobody works in (财务处 may gain a clerk in another test)."""
    from service.extensions import db
    from service.models import Department
    from service.services.org import forget_departments

    with app.app_context():
        if db.session.query(Department).filter_by(code="archive").first() is None:
            db.session.add(Department(code="archive", name="档案室", sort_order=99))
            db.session.commit()
        forget_departments()
    return "archive"


def _register(api, case, department):
    task = open_task(api, case)
    return api.post(
        f"/tasks/{task['id']}/complete", "zhang.wei", {"data": {**REGISTER, "owning_department": department}}
    )


@pytest.mark.parametrize(
    ("department", "named"),
    [("archive", ["档案室"]), ("leadership", ["局领导", "处室负责人"])],
)
def test_a_case_cannot_be_sent_where_nobody_can_act(api, archive, department, named):
    """Sent to 档案室 (nobody works there) or to 局领导 (no section head), is registration refused naming
    the department and the role, with the task still open in the office?"""
    case = start_disclosure(api)
    task = open_task(api, case)
    body = assert_problem(_register(api, case, department), 422, "validation_failed", "owning_department")
    assert body["errors"][0]["code"] == "nobody_to_act"
    assert all(word in body["errors"][0]["message"] for word in named), body
    assert open_task(api, case)["id"] == task["id"]
    assert view(api, case)["owning_department"]["code"] == "office"


def test_a_co_handler_department_without_staff_is_refused(api, archive):
    """Does registering 档案室 as a co-handler get a 422 naming 档案室, instead of a task nobody will ever see?"""
    from tests.service.test_proposal_api import START as PROPOSAL

    case = flows.start(api, "proposal", "chen.jing", PROPOSAL)
    data = {"handling_mode": "lead", "owning_department": "planning", "co_handlers": ["office", archive]}
    response = api.post(f"/tasks/{open_task(api, case)['id']}/complete", "chen.jing", {"data": data})
    body = assert_problem(response, 422, "validation_failed", "co_handlers")
    assert "档案室" in body["errors"][0]["message"]
    assert open_task(api, case)["task_spec"] == "register"


def test_nobody_approves_their_own_draft_it_goes_to_the_leader_in_charge(api):
    """In 法规处 the section head drafts the reply herself: is her own approval refused, and does the
    review go to the leader in charge of 法规处 instead?"""
    case = start_disclosure(api)
    assert _register(api, case, "legal").status_code == 200
    case = act(api, case, "draft_reply", "chen.jing", DRAFT)
    review = open_task(api, case)
    assert (review["task_spec"], review["department"]["code"], review["role"]) == (
        "section_review",
        "legal",
        "leader_in_charge",
    )
    for path in (f"/tasks/{review['id']}/claim", f"/tasks/{review['id']}/complete"):
        refused = api.post(path, "chen.jing", {"data": {"section_decision": "approve"}})
        assert refused.status_code == 403, refused.get_json()
    assert "sun.li" not in (review["assignee"] or {}).get("username", "")
    act(api, case, "section_review", "sun.li", {"section_decision": "approve"})
    assert open_task(api, case)["task_spec"] == "office_approval"


def test_a_section_head_who_drafted_cannot_approve_where_a_colleague_can(api):
    """When 规划处's section head drafts, is the review barred to him and given to the leader overseeing 规划处?"""
    case = start_disclosure(api)
    _register(api, case, "planning")
    case = act(api, case, "draft_reply", "liu.yang", DRAFT)
    review = open_task(api, case)
    assert (review["department"]["code"], review["role"]) == ("planning", "leader_in_charge")
    assert (
        api.post(
            f"/tasks/{review['id']}/complete", "liu.yang", {"data": {"section_decision": "approve"}}
        ).status_code
        == 403
    )
    # An officer's draft still goes to the section head as before.
    other = start_disclosure(api)
    _register(api, other, "planning")
    other = act(api, other, "draft_reply", "wang.fang", DRAFT)
    assert (open_task(api, other)["role"]) == "section_head"


def _ids(api, user, scope):
    return {t["id"] for t in api.get(f"/tasks?scope={scope}&per_page=100", user).get_json()["items"]}


def test_the_department_queue_lists_only_what_one_may_act_on(api):
    """Does a leader in charge see in his department queue the approvals he may give, not the drafting his departments do?"""
    drafting = start_disclosure(api)
    _register(api, drafting, "planning")
    draft_task = open_task(api, drafting)
    approving = start_disclosure(api)
    _register(api, approving, "planning")
    act(api, approving, "draft_reply", "liu.yang", DRAFT)
    approval = open_task(api, approving)
    assert approval["id"] in _ids(api, "zhao.lei", "department")
    assert draft_task["id"] not in _ids(api, "zhao.lei", "department")
    assert draft_task["id"] in _ids(api, "wang.fang", "department")
    assert approval["id"] not in _ids(api, "wang.fang", "department")


def test_waiting_for_me_lists_exactly_what_one_can_claim_or_complete_now(api):
    """Does scope=actionable list the open tasks I may act on that nobody else holds — and not my own draft's review?"""
    free = start_disclosure(api)
    _register(api, free, "planning")
    held = start_disclosure(api)
    _register(api, held, "planning")
    held_task = open_task(api, held)
    assert api.post(f"/tasks/{held_task['id']}/claim", "wang.fang").status_code == 200
    mine = start_disclosure(api)
    _register(api, mine, "planning")
    act(api, mine, "draft_reply", "liu.yang", DRAFT)
    for user in ("wang.fang", "liu.yang", "zhao.lei", "zhang.wei", "sun.li"):
        listed = api.get("/tasks?scope=actionable&per_page=100", user).get_json()["items"]
        for task in listed:
            assert task["status"] == "open"
            assert task["assignee"] in (None,) or task["assignee"]["username"] == user
        # Each listed task can indeed be claimed by this person (checked on a throwaway basis: claim, then release).
        for task in listed:
            if task["assignee"] is None:
                assert api.post(f"/tasks/{task['id']}/claim", user).status_code == 200, (user, task["name"])
                assert api.post(f"/tasks/{task['id']}/unclaim", user).status_code == 200
    assert held_task["id"] in _ids(api, "wang.fang", "actionable")
    assert held_task["id"] not in _ids(api, "liu.yang", "actionable")
    assert open_task(api, free)["id"] in _ids(api, "liu.yang", "actionable")
    review = open_task(api, mine)
    assert review["id"] not in _ids(api, "liu.yang", "actionable")
    assert review["id"] in _ids(api, "zhao.lei", "actionable")


def test_can_start_is_true_only_where_starting_works(api):
    """Does an administrator without a department see can_start false for 信息发布 and 征集调查, and get a Chinese 403 trying?"""
    items = {d["key"]: d for d in api.get("/process-definitions", "admin").get_json()["items"]}
    assert items["publishing"]["can_start"] is False and items["survey"]["can_start"] is False
    assert items["disclosure_request"]["can_start"] is True
    refused = assert_problem(
        api.post("/process-definitions/survey/instances", "admin", {"data": {}}), 403, "not_starter"
    )
    assert "信息员" in refused["title"] and not any(c.isascii() and c.isalpha() for c in refused["title"])
    assert flows.start(api, "disclosure_request", "admin", START)["status"] == "running"
