"""The inbox through the API (issue 11): sorted by deadline, filtered by flow, deadline state and text,
and the count of each tab.

national profile. Disclosure requests (REQ-2: 20 working days from receipt) are registered by
张伟 (office) and drafted by 规划处; a letter to the leader mailbox is first read by the information
centre (MBX-1). The clock starts at Mon 2 Mar 2026 09:00 Beijing; due moments close at 24:00 Beijing,
16:00 UTC. Registration is due one working day after the request arrives: Tue 3 Mar 24:00.
"""

from __future__ import annotations

from tests.service import flows
from tests.service.flows import complete, open_task
from tests.service.test_mailbox_api import START as LETTER


def registered(api, received_on: str, applicant: str = "王小明"):
    """A disclosure request from `applicant`, registered as received on `received_on`: 规划处 drafts."""
    case = flows.start(api, "disclosure_request", "zhang.wei", {**flows.START, "applicant_name": applicant})
    data = {"owning_department": "planning", "received_on": received_on, "registration_decision": "accept"}
    complete(api, open_task(api, case)["id"], "zhang.wei", data)
    return flows.view(api, case)


def listed(api, user: str, query: str) -> list[dict]:
    response = api.get(f"/tasks?{query}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_req2_planning_sees_the_request_due_first_at_the_top(api):
    """王芳: a request received Thu 26 Feb (due 25 Mar) comes before one received Mon 2 Mar (due 30 Mar), though started later."""
    later = registered(api, "2026-03-02")
    sooner = registered(api, "2026-02-26")
    rows = listed(api, "wang.fang", "scope=actionable")
    assert [r["instance"]["id"] for r in rows] == [sooner["id"], later["id"]]
    assert [r["due_at"] for r in rows] == ["2026-03-25T16:00:00+00:00", "2026-03-30T16:00:00+00:00"]


def test_the_same_deadline_lists_the_oldest_task_first(api, clock):
    """张伟: two requests arriving the same morning, both due Tue 3 Mar 24:00, list in the order they came."""
    first = flows.start_disclosure(api)
    clock.set("2026-03-02T02:00:00+00:00")
    second = flows.start_disclosure(api)
    rows = listed(api, "zhang.wei", "scope=actionable")
    assert [r["instance"]["id"] for r in rows] == [first["id"], second["id"]]


def test_text_search_finds_applicant_tracking_number_and_task_name(api):
    """张伟 types an applicant's name, part of a tracking number (any case) or the step's name, and sees only those."""
    wang = flows.start_disclosure(api)
    li = flows.start(api, "disclosure_request", "zhang.wei", {**flows.START, "applicant_name": "李四"})
    found = listed(api, "zhang.wei", "scope=actionable&q=李四")
    assert [r["instance"]["id"] for r in found] == [li["id"]]
    number = wang["tracking_number"].lower()
    found = listed(api, "zhang.wei", f"scope=actionable&q={number}")
    assert [r["instance"]["tracking_number"] for r in found] == [wang["tracking_number"]]
    assert len(listed(api, "zhang.wei", "scope=actionable&q=登记")) == 2
    assert len(listed(api, "zhang.wei", "scope=actionable&q=%20%20")) == 2  # blank: no filter


def test_text_search_takes_wildcards_literally(api):
    """A search for '%' or '_' finds nothing instead of everything: LIKE wildcards in the text are escaped."""
    flows.start_disclosure(api)
    assert listed(api, "zhang.wei", "scope=actionable&q=%25") == []
    assert listed(api, "zhang.wei", "scope=actionable&q=_") == []


def test_text_search_finds_a_letters_title(api):
    """The information centre finds a letter (MBX-1) by words of its title."""
    flows.start(api, "mailbox", "xu.ming", {**LETTER, "received_on": "2026-03-02"})
    (row,) = listed(api, "xu.ming", "scope=actionable&q=加装电梯")
    assert row["name"] == "来信初审"
    assert listed(api, "xu.ming", "scope=actionable&q=不存在的标题") == []


def test_flow_filter_keeps_one_diagrams_tasks(api):
    """An administrator narrowing everything open to the mailbox sees the letter, not the disclosure request."""
    flows.start_disclosure(api)
    letter = flows.start(api, "mailbox", "xu.ming", {**LETTER, "received_on": "2026-03-02"})
    rows = listed(api, "admin", "scope=all&process=mailbox")
    assert [r["instance"]["id"] for r in rows] == [letter["id"]]
    assert len(listed(api, "admin", "scope=all")) == 2


def test_esc1_deadline_state_filters_overdue_and_due_soon(api, clock):
    """张伟: a registration due Tue 3 Mar 24:00 is due soon on the 3rd, and overdue on Wed 4 Mar; never provisional in 2026."""
    flows.start_disclosure(api)
    clock.set("2026-03-03T02:00:00+00:00")
    assert len(listed(api, "zhang.wei", "scope=actionable&due=soon")) == 1
    assert listed(api, "zhang.wei", "scope=actionable&due=overdue") == []
    clock.set("2026-03-04T02:00:00+00:00")
    (row,) = listed(api, "zhang.wei", "scope=actionable&due=overdue")
    assert row["overdue"] is True
    assert listed(api, "zhang.wei", "scope=actionable&due=provisional") == []


def test_counts_per_tab(api):
    """王芳's tabs: two waiting, then one claimed (still hers to act on), and 张伟 counts what he registered."""
    first = registered(api, "2026-03-02")
    registered(api, "2026-03-02")
    counts = api.get("/tasks/counts", "wang.fang").get_json()
    assert counts == {"actionable": 2, "mine": 0, "department": 2, "done": 0, "capped": []}
    claimed = api.post(f"/tasks/{open_task(api, first)['id']}/claim", "wang.fang")
    assert claimed.status_code == 200
    counts = api.get("/tasks/counts", "wang.fang").get_json()
    assert counts == {"actionable": 2, "mine": 1, "department": 2, "done": 0, "capped": []}
    # 刘洋 (section head, planning) may act on the drafts too; the one 王芳 holds is not waiting for him.
    counts = api.get("/tasks/counts", "liu.yang").get_json()
    assert counts["actionable"] == 1 and counts["mine"] == 0
    assert api.get("/tasks/counts", "zhang.wei").get_json()["done"] == 2
    assert api.get("/tasks/counts", "chen.jing").get_json() == {
        "actionable": 0,
        "mine": 0,
        "department": 0,
        "done": 0,
        "capped": [],
    }


def test_bad_filters_are_refused_naming_the_parameter(api):
    """Unknown deadline states and flows, and a search text over 100 characters, are 400s naming the parameter."""
    for query, field in [
        ("due=later", "due"),
        ("process=no_such_flow", "process"),
        ("q=" + "字" * 101, "q"),
    ]:
        response = api.get(f"/tasks?scope=actionable&{query}", "zhang.wei")
        assert response.status_code == 400, query
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["field"] == field


def test_counts_need_a_login(api):
    """Nobody learns how much work a department has without logging in."""
    assert api.get("/tasks/counts").status_code == 401
