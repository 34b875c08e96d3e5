"""抄送 through the API (issue 11): POST/GET /process-instances/{id}/copies and GET /copies.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. 张伟 (办公室) registers a
disclosure request for 规划处; 胡军 (信访处) has nothing to do with it until it is copied to him.
"""

from __future__ import annotations

from tests.service import flows
from tests.service.test_api_errors import assert_problem
from tests.service.test_deadlines import history, notified
from tests.service.test_disclosure_api import DISCLOSED
from tests.service.test_inbox_api import registered


def copy(api, case, user, to, note=None):
    body = {"to": to} if note is None else {"to": to, "note": note}
    return api.post(f"/process-instances/{case['id']}/copies", user, body)


def copied(api, case, user, to, note=None):
    response = copy(api, case, user, to, note)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["items"]


def mine(api, user, query=""):
    response = api.get(f"/copies{query}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_zhang_wei_copies_a_registered_request_to_hu_jun_who_may_then_read_it(api, app):
    """张伟 registered it: he copies it to 胡军 with a note; 胡军, of another department, now sees the case, unread until he opens it."""
    case = registered(api, "2026-03-02")
    assert_problem(api.get(f"/process-instances/{case['id']}", "hu.jun"), 403, "not_involved")
    (item,) = copied(api, case, "zhang.wei", ["hu.jun"], "请了解申请人情况")
    assert item["recipient"]["username"] == "hu.jun" and item["sender"]["name"] == "张伟"
    assert item["task"]["name"] == "登记申请"  # the step he completed
    assert item["note"] == "请了解申请人情况" and item["read_at"] is None
    assert item["instance"]["tracking_number"] == case["tracking_number"]
    assert item["instance"]["title"].startswith("请公开2025年")

    listed = mine(api, "hu.jun", "?unread=1")
    assert (listed["total"], listed["unread"]) == (1, 1)
    assert listed["items"][0]["id"] == item["id"]
    assert len(notified(app, "hu.jun", "copy")) == 1
    (line,) = history(app, case["id"], "case_copied")
    assert line["to"] == ["胡军"] and line["note"] == "请了解申请人情况" and line["task"] == "登记申请"

    seen = api.get(f"/process-instances/{case['id']}", "hu.jun")
    assert seen.status_code == 200 and seen.get_json()["tracking_number"] == case["tracking_number"]
    after = mine(api, "hu.jun")
    assert (after["total"], after["unread"]) == (1, 0)
    assert after["items"][0]["read_at"] == "2026-03-02T01:00:00+00:00"
    assert mine(api, "hu.jun", "?unread=1")["items"] == []
    unread = api.get("/notifications?unread=1", "hu.jun").get_json()
    assert unread["total"] == 0  # the copy's notification was read with it


def test_a_copy_gives_reading_only_never_acting(api):
    """胡军 may read the copied case and its copies, but not its task nor claim or complete it."""
    case = registered(api, "2026-03-02")
    copied(api, case, "zhang.wei", ["hu.jun"])
    draft = flows.open_task(api, case)
    assert api.get(f"/process-instances/{case['id']}/copies", "hu.jun").status_code == 200
    assert_problem(api.get(f"/tasks/{draft['id']}", "hu.jun"), 403, "not_task_department")
    assert_problem(api.post(f"/tasks/{draft['id']}/claim", "hu.jun"), 403, "not_task_department")
    response = api.post(f"/tasks/{draft['id']}/complete", "hu.jun", {"data": DISCLOSED})
    assert_problem(response, 403, "not_task_department")
    assert_problem(copy(api, case, "hu.jun", ["ma.li"]), 403, "may_not_copy")  # reading is not acting


def test_copying_someone_again_while_unread_adds_nothing_and_after_reading_adds_a_new_copy(api, app):
    """Copied twice before he reads it, 刘洋 holds one unread copy and was told once; once read, a new copy comes."""
    case = registered(api, "2026-03-02")
    (first,) = copied(api, case, "zhang.wei", ["liu.yang"], "请阅")
    both = copied(api, case, "wang.fang", ["liu.yang", "hu.jun"])  # 王芳 may act on 起草答复
    assert [c["recipient"]["username"] for c in both] == ["liu.yang", "hu.jun"]
    assert both[0]["id"] == first["id"] and both[0]["sender"]["username"] == "zhang.wei"
    assert both[1]["task"]["name"] == "起草答复"
    assert mine(api, "liu.yang")["total"] == 1
    assert len(notified(app, "liu.yang", "copy")) == 1
    assert [line["to"] for line in history(app, case["id"], "case_copied")] == [["刘洋"], ["胡军"]]
    api.get(f"/process-instances/{case['id']}", "liu.yang")
    (again,) = copied(api, case, "zhang.wei", ["liu.yang"])
    assert again["id"] != first["id"] and again["read_at"] is None
    assert mine(api, "liu.yang")["total"] == 2 and mine(api, "liu.yang")["unread"] == 1
    listed = api.get(f"/process-instances/{case['id']}/copies", "zhang.wei").get_json()["items"]
    assert [(c["recipient"]["name"], c["read_at"] is None) for c in listed] == [
        ("刘洋", False),
        ("胡军", True),
        ("刘洋", True),
    ]


def test_who_may_copy(api):
    """Those who may act on an open task, and those who did a step, may copy; an overseer or a stranger may not."""
    case = registered(api, "2026-03-02")
    assert copy(api, case, "zhao.lei", ["hu.jun"]).status_code == 403  # oversees planning: reads, not acts
    assert_problem(copy(api, case, "chen.jing", ["hu.jun"]), 403, "may_not_copy")
    (item,) = copied(api, case, "liu.yang", ["hu.jun"])  # 起草答复 is open to anyone of 规划处
    assert item["task"]["name"] == "起草答复"
    flows.act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    (item,) = copied(api, case, "wang.fang", ["ma.li"])  # she drafted the reply; the review is not hers
    assert item["task"]["name"] == "起草答复"
    assert_problem(copy(api, {"id": 999999}, "zhang.wei", ["hu.jun"]), 404, "instance_not_found")


def test_refusals_name_the_field(api):
    """Unknown or inactive people, nobody, too many, oneself, a note too long: 422 naming `to` or `note`, nothing copied."""
    case = registered(api, "2026-03-02")
    body = assert_problem(
        copy(api, case, "zhang.wei", ["hu.jun", "nobody.here"]), 422, "validation_failed", "to"
    )
    assert "nobody.here" in body["title"] and body["errors"][0]["code"] == "unknown_person"
    assert_problem(copy(api, case, "zhang.wei", []), 422, "validation_failed", "to")
    assert_problem(copy(api, case, "zhang.wei", "hu.jun"), 422, "validation_failed", "to")
    assert_problem(copy(api, case, "zhang.wei", [f"u{i}" for i in range(21)]), 422, "validation_failed", "to")
    body = assert_problem(copy(api, case, "zhang.wei", ["zhang.wei"]), 422, "validation_failed", "to")
    assert "不能抄送给自己" in body["title"]
    body = assert_problem(
        copy(api, case, "zhang.wei", ["hu.jun"], "长" * 501), 422, "validation_failed", "note"
    )
    assert "500" in body["title"]
    assert mine(api, "hu.jun")["total"] == 0
    response = api.post(f"/process-instances/{case['id']}/copies", "zhang.wei", ["hu.jun"])
    assert_problem(response, 400, "invalid_body", "body")


def test_an_inactive_person_cannot_be_copied(api, app):
    """马丽 has left (inactive): copying her is 422 naming `to`."""
    from sqlalchemy import update

    from service.extensions import db
    from service.models import User

    case = registered(api, "2026-03-02")
    with app.app_context():
        db.session.execute(update(User).where(User.username == "ma.li").values(active=False))
        db.session.commit()
    try:
        assert_problem(copy(api, case, "zhang.wei", ["ma.li"]), 422, "validation_failed", "to")
    finally:
        with app.app_context():
            db.session.execute(update(User).where(User.username == "ma.li").values(active=True))
            db.session.commit()


def test_the_copies_of_a_case_are_shown_to_those_who_may_see_it_only(api):
    """王芳 (规划处) sees who was copied; 陈静 (法规处, not involved, not copied) gets 403."""
    case = registered(api, "2026-03-02")
    copied(api, case, "zhang.wei", ["hu.jun"], "阅")
    items = api.get(f"/process-instances/{case['id']}/copies", "wang.fang").get_json()["items"]
    assert [(c["sender"]["name"], c["recipient"]["name"], c["note"]) for c in items] == [
        ("张伟", "胡军", "阅")
    ]
    assert_problem(api.get(f"/process-instances/{case['id']}/copies", "chen.jing"), 403, "not_involved")
    assert api.get("/copies?per_page=101", "hu.jun").status_code == 400
