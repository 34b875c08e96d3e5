"""催办 through the API (issue 11, ESC-1): someone with a stake in a case urges whoever holds one of
its open tasks; each urge is counted, written in the history (ORG-4) and sent to the holder.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. 张伟 (办公室) started and
registered a disclosure request; 起草答复 then waits in 规划处 (王芳, 吴敏, 刘洋). 赵磊 oversees
规划处, 孙丽 does not.
"""

from __future__ import annotations

from tests.service import flows
from tests.service.flows import open_task
from tests.service.test_delegation_api import DRAFT, delegate, notifications
from tests.service.test_inbox_api import registered


def urge(api, task_id: int, user: str, message=None):
    return api.post(f"/tasks/{task_id}/urge", user, {"message": message} if message is not None else {})


def urges(api, case) -> list[dict]:
    return [e for e in flows.view(api, case)["history"] if e["kind"] == "task_urged"]


def test_esc1_org4_zhang_wei_urges_planning_and_everyone_who_may_draft_is_told(app, api):
    """Does 张伟's urge of the unclaimed draft count once, reach 王芳, 吴敏 and 刘洋, and stand in the history?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    response = urge(api, task["id"], "zhang.wei", "申请人来电询问进度")
    assert response.status_code == 200
    assert response.get_json()["urge_count"] == 1
    assert response.get_json()["last_urged_at"] == "2026-03-02T01:00:00+00:00"
    for person in ("wang.fang", "wu.min", "liu.yang"):
        (told,) = notifications(app, person)
        assert told[0] == "urge" and "张伟催办“起草答复”" in told[1] and told[2] == "申请人来电询问进度"
    (line,) = urges(api, case)
    assert line["actor"]["username"] == "zhang.wei"
    assert line["details"]["message"] == "申请人来电询问进度" and line["details"]["count"] == 1
    assert sorted(line["details"]["to"]) == sorted(["王芳", "吴敏", "刘洋"])


def test_a_claimed_task_is_urged_to_its_holder_only_and_a_delegated_one_to_its_delegate_too(app, api):
    """王芳 holds the draft: only she is told; once she delegated it to 吴敏, both are."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    assert api.post(f"/tasks/{task['id']}/claim", "wang.fang").status_code == 200
    assert urge(api, task["id"], "zhang.wei").status_code == 200
    assert [n[2] for n in notifications(app, "wang.fang")] == ["请抓紧办理。"]
    assert notifications(app, "liu.yang") == [] and notifications(app, "wu.min") == []
    assert delegate(api, task["id"], "wang.fang", "wu.min").status_code == 200
    assert urge(api, task["id"], "zhao.lei", "本周内办结").status_code == 200
    assert [n[0] for n in notifications(app, "wu.min")] == ["delegation", "urge"]
    assert urges(api, case)[-1]["details"]["to"] == ["王芳", "吴敏"]
    assert open_task(api, case)["urge_count"] == 2


def test_esc1_a_second_urge_by_the_same_person_within_an_hour_is_refused(api, clock):
    """张伟 urges at 09:00: again at 09:59 is 409 urged_recently; 赵磊 may meanwhile; 张伟 again at 10:01."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    assert urge(api, task["id"], "zhang.wei").status_code == 200
    clock.set("2026-03-02T01:59:00+00:00")
    again = urge(api, task["id"], "zhang.wei")
    assert again.status_code == 409 and again.get_json()["code"] == "urged_recently"
    assert urge(api, task["id"], "zhao.lei").status_code == 200
    clock.set("2026-03-02T02:01:00+00:00")
    assert urge(api, task["id"], "zhang.wei").status_code == 200
    assert open_task(api, case)["urge_count"] == 3
    assert [e["actor"]["username"] for e in urges(api, case)] == ["zhang.wei", "zhao.lei", "zhang.wei"]


def test_who_may_urge(api):
    """Participants, the leader in charge of 规划处 and the administrator may; 孙丽, 陈静 and 周强 (no stake in
    this case, no oversight of 规划处) get 403 not_allowed_to_urge."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    for user in ("sun.li", "chen.jing", "zhou.qiang"):
        response = urge(api, task["id"], user)
        assert response.status_code == 403 and response.get_json()["code"] == "not_allowed_to_urge", user
    for user in ("zhang.wei", "zhao.lei", "admin"):
        assert urge(api, task["id"], user).status_code == 200, user
    assert open_task(api, case)["urge_count"] == 3


def test_the_holder_does_not_urge_themself(api):
    """张伟, who may take the unclaimed 登记申请 of the case he started, and 王芳 holding her redraft get 409
    own_task; 刘洋, who returned the draft to her, may urge her."""
    case = flows.start_disclosure(api)
    registration = open_task(api, case)
    free = urge(api, registration["id"], "zhang.wei")
    assert free.status_code == 409 and free.get_json()["code"] == "own_task"
    flows.register(api, case["id"])
    flows.complete(api, open_task(api, case)["id"], "wang.fang", DRAFT)
    returned = {"section_decision": "return", "section_comment": "请核对年份"}
    flows.complete(api, open_task(api, case)["id"], "liu.yang", returned)
    redraft = open_task(api, case)
    assert api.post(f"/tasks/{redraft['id']}/claim", "wang.fang").status_code == 200
    own = urge(api, redraft["id"], "wang.fang")
    assert own.status_code == 409 and own.get_json()["code"] == "own_task"
    assert urge(api, redraft["id"], "liu.yang").status_code == 200  # he took part: he returned it
    assert open_task(api, case)["urge_count"] == 1


def test_an_urge_of_a_finished_task_or_with_a_bad_message_is_refused(api):
    """A finished task is 409 task_not_open; a message over 200 characters or not text is 422 naming `message`."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    for message, code in [("催" * 201, "too_long"), (["快"], "invalid_type")]:
        response = urge(api, task["id"], "zhang.wei", message)
        assert response.status_code == 422 and response.get_json()["field"] == "message"
        assert response.get_json()["errors"][0]["code"] == code
    assert open_task(api, case)["urge_count"] == 0 and urges(api, case) == []
    registration = flows.view(api, case)["done_tasks"][0]
    done = urge(api, registration["id"], "zhang.wei")
    assert done.status_code == 409 and done.get_json()["code"] == "task_not_open"
    missing = urge(api, 999999, "zhang.wei")
    assert missing.status_code == 404


def test_those_who_may_urge_may_look_at_the_task(api):
    """张伟 (办公室) may now open 规划处's draft through the API; 孙丽 still may not."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    seen = api.get(f"/tasks/{task['id']}", "zhang.wei")
    assert seen.status_code == 200 and seen.get_json()["urge_count"] == 0
    assert api.get(f"/tasks/{task['id']}", "sun.li").status_code == 403
