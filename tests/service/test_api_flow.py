"""A disclosure request (依申请公开, REQ-1..5, NAT-1..3) worked through the JSON API."""

import re

from .flows import START, complete, open_task, register, start_disclosure


def test_req_case_moves_department_to_department_with_history(api):
    """Can staff start a case, find it in the right inbox, claim, complete, and watch it move on?"""
    case = start_disclosure(api)
    assert re.fullmatch(r"GK-2026-\d{8}", case["tracking_number"])  # random: it tells no count
    assert case["status"] == "running"
    assert case["data"]["applicant_name"] == START["applicant_name"]
    # The answer is read in the start's own transaction (issue 15), its history lines included.
    assert [e["kind"] for e in case["history"]][:2] == ["started", "task_created"]
    assert [t["name"] for t in case["open_tasks"]] == ["登记申请"]

    office_inbox = api.get("/tasks?scope=department", "zhang.wei").get_json()["items"]
    (register_task,) = [t for t in office_inbox if t["instance"]["id"] == case["id"]]
    assert register_task["name"] == "登记申请"
    assert register_task["department"] == {"code": "office", "name": "办公室"}
    assert api.get("/tasks?scope=department", "wang.fang").get_json()["total"] == 0

    claimed = api.post(f"/tasks/{register_task['id']}/claim", "zhang.wei").get_json()
    assert claimed["assignee"]["username"] == "zhang.wei"
    assert [t["id"] for t in api.get("/tasks?scope=mine", "zhang.wei").get_json()["items"]] == [
        register_task["id"]
    ]
    registration = {
        "owning_department": "planning",
        "received_on": "2026-03-02",
        "registration_decision": "accept",
    }
    complete(api, register_task["id"], "zhang.wei", registration)

    (draft,) = api.get("/tasks?scope=department", "wang.fang").get_json()["items"]
    assert (draft["name"], draft["department"]["code"], draft["role"]) == ("起草答复", "planning", None)
    reply = {"draft_action": "submit", "category": "disclosed", "reply_text": "目录见附件。"}
    complete(api, draft["id"], "wang.fang", reply)

    review = open_task(api, case["id"])
    assert (review["department"]["code"], review["role"]) == ("planning", "section_head")
    assert api.post(f"/tasks/{review['id']}/claim", "wang.fang").status_code == 403
    complete(api, review["id"], "liu.yang", {"section_decision": "approve"})

    approval = open_task(api, case["id"])
    assert (approval["department"]["code"], approval["role"]) == ("office", "section_head")
    complete(api, approval["id"], "li.na", {"office_decision": "approve"})
    complete(
        api, open_task(api, case["id"])["id"], "zhang.wei", {"sent_via": "online", "sent_on": "2026-03-09"}
    )

    done = api.get(f"/process-instances/{case['id']}", "zhang.wei").get_json()
    assert done["status"] == "completed" and done["open_tasks"] == []
    assert [t["name"] for t in done["done_tasks"]] == [
        "登记申请",
        "起草答复",
        "处室负责人审核",
        "公开办负责人审批",
        "发送答复",
    ]
    assert done["owning_department"]["code"] == "planning"
    kinds = [e["kind"] for e in done["history"]]
    assert kinds[0] == "started" and kinds[-1] == "completed"
    assert kinds.count("task_completed") == 5 and kinds.count("task_created") == 5
    completed_by = [e["actor"]["username"] for e in done["history"] if e["kind"] == "task_completed"]
    assert completed_by == ["zhang.wei", "wang.fang", "liu.yang", "li.na", "zhang.wei"]
    assert [
        t["completed_by"]["username"]
        for t in api.get("/tasks?scope=mine&status=done", "li.na").get_json()["items"]
    ] == ["li.na"]


def test_req_section_head_return_reopens_drafting_in_the_department(api):
    """Does a section head's 退回修改 put a new drafting task in the department's inbox?"""
    case = start_disclosure(api)
    register(api, case["id"])
    draft = {"draft_action": "submit", "category": "disclosed", "reply_text": "初稿"}
    complete(api, open_task(api, case["id"])["id"], "wang.fang", draft)
    review = open_task(api, case["id"])
    complete(api, review["id"], "liu.yang", {"section_decision": "return", "section_comment": "请核对目录"})
    redraft = open_task(api, case["id"])
    assert (redraft["name"], redraft["department"]["code"]) == ("起草答复", "planning")
    detail = api.get(f"/process-instances/{case['id']}", "wang.fang").get_json()
    assert detail["data"]["section_comment"] == "请核对目录"


def test_leader_in_charge_follows_the_departments_they_oversee(api):
    """Can a leader in charge open the cases of the departments they oversee, while his queue holds
    only what he may act on (not the drafting they do), and another leader sees neither?"""
    case = start_disclosure(api)
    register(api, case["id"])
    draft = open_task(api, case["id"])
    assert api.get(f"/process-instances/{case['id']}", "zhao.lei").status_code == 200  # oversees planning
    assert api.get(f"/tasks/{draft['id']}", "zhao.lei").status_code == 200
    assert api.get("/tasks?scope=department", "zhao.lei").get_json()["total"] == 0
    assert api.get(f"/process-instances/{case['id']}", "sun.li").status_code == 403


def test_a_completion_answers_with_the_case_state_and_what_the_same_person_does_next(api, clock):
    """Does completing 发布 return the case still running and the centre's 发布后核查 that 徐明 may do
    next, and completing that one the case completed with nothing next (no second call needed)?"""
    from tests.service.test_publishing_api import draft, to_publish

    case = draft(api, clock)
    case = to_publish(api, case)
    publish = open_task(api, case, "xu.ming")
    published = {"published_on": "2026-03-02", "published_url": "https://example.gov.cn/1.html"}
    response = api.post(f"/tasks/{publish['id']}/complete", "xu.ming", {"data": published})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["id"], body["status"], body["case"]["status"]) == (publish["id"], "done", "running")
    assert body["case"]["tracking_number"] == case["tracking_number"]
    assert [(t["task_spec"], t["department"]["code"]) for t in body["next_tasks"]] == [
        ("post_check", "info_center")
    ]
    check = body["next_tasks"][0]
    body = api.post(f"/tasks/{check['id']}/complete", "xu.ming", {"data": {"check_result": "ok"}}).get_json()
    assert (body["case"]["status"], body["next_tasks"]) == ("completed", [])


def test_a_completion_does_not_offer_a_task_of_another_department(api):
    """After 登记 by the office, is the planning department's drafting task left out of 张伟's next tasks?"""
    case = start_disclosure(api)
    body = register(api, case["id"])
    assert body["case"]["status"] == "running" and body["next_tasks"] == []
    assert open_task(api, case, "wang.fang")["task_spec"] == "draft_reply"  # it is there, for planning
