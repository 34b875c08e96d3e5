"""审批意见 and 会签 through the API (issue 11): GET /process-instances/{id}/opinions, the opinions and
the countersign round in GET /tasks/{id}, the opinions a transfer and a refused step leave, and the
backfill of opinions given before they had a table.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing and is moved an hour per step.
"""

from __future__ import annotations

from tests.service import flows
from tests.service.flows import act, open_task
from tests.service.test_api_errors import assert_problem
from tests.service.test_disclosure_api import DISCLOSED
from tests.service.test_inbox_api import registered
from tests.unit.test_publishing_flow import DRAFT

REVIEWED = {"section_decision": "approve", "section_comment": "同意公开。\n请按期答复申请人。"}


def opinions(api, case, user="admin"):
    response = api.get(f"/process-instances/{case['id']}/opinions", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def reviewed(api, clock, case=None):
    """A request registered by 张伟, drafted by 王芳, approved by 刘洋: 办公室审批 waits for 李娜."""
    case = case or registered(api, "2026-03-02")
    clock.advance(hours=1)
    act(api, case, "draft_reply", "wang.fang", DISCLOSED)
    clock.advance(hours=1)
    return act(api, case, "section_review", "liu.yang", REVIEWED)


def test_org4_a_cases_opinions_come_in_order_with_step_department_person_time_and_verdict(api, clock):
    """Does 张伟 (who registered it) read 登记申请's verdict, then 刘洋's 同意 with his two lines, and no line for the draft?"""
    case = reviewed(api, clock)
    first, second = opinions(api, case, "zhang.wei")
    assert (first["step"], first["task_spec"], first["kind"]) == ("登记申请", "register", "approval")
    assert first["verdict"] == "申请内容明确，交承办处室办理" and first["text"] == ""
    assert (first["department"]["code"], first["author"]["username"]) == ("office", "zhang.wei")
    assert first["at"] == "2026-03-02T01:00:00+00:00"
    assert (second["step"], second["department"]["name"], second["author"]["name"]) == (
        "处室负责人审核",
        "规划处",
        "刘洋",
    )
    assert (second["verdict"], second["text"]) == ("同意", "同意公开。\n请按期答复申请人。")
    assert second["at"] == "2026-03-02T03:00:00+00:00"
    done = [t for t in flows.view(api, case)["done_tasks"] if t["task_spec"] == "section_review"]
    assert second["task_id"] == done[0]["id"]


def test_org4_the_task_detail_carries_the_opinions_so_far_and_no_countersign(api, clock):
    """Does 李娜's 办公室审批 come with the two opinions before it, and null for 会签 (no parallel step)?"""
    case = reviewed(api, clock)
    task = open_task(api, case)
    detail = api.get(f"/tasks/{task['id']}", "li.na").get_json()
    assert [o["step"] for o in detail["opinions"]] == ["登记申请", "处室负责人审核"]
    assert detail["countersign"] is None


def test_opinions_are_for_those_who_may_see_the_case(api, clock):
    """陈静 (法规处, not involved) gets 403 not_involved, a case that does not exist 404, nobody logged in 401?"""
    case = reviewed(api, clock)
    assert_problem(api.get(f"/process-instances/{case['id']}/opinions", "chen.jing"), 403, "not_involved")
    assert_problem(api.get("/process-instances/999999/opinions", "zhang.wei"), 404, "instance_not_found")
    assert_problem(api.get(f"/process-instances/{case['id']}/opinions"), 401, "unauthorized")


def test_esc3_a_transfers_reason_is_an_opinion_of_the_department_it_leaves(api, clock):
    """王芳 sends the draft to 法规处 with a reason: is it an opinion (transfer, 转办至法规处) under 规划处?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    clock.advance(hours=1)
    body = {"department": "legal", "reason": "该信息由法规处制作"}
    assert api.post(f"/tasks/{task['id']}/transfer", "wang.fang", body).status_code == 200
    said = opinions(api, case)[-1]
    assert (said["kind"], said["verdict"], said["text"]) == ("transfer", "转办至法规处", "该信息由法规处制作")
    assert (said["department"]["code"], said["author"]["username"], said["step"]) == (
        "planning",
        "wang.fang",
        "起草答复",
    )


def test_esc3_a_refused_transfer_and_a_refused_completion_leave_no_opinion(api, clock):
    """A transfer without a reason (422 naming reason), a review of a task already done (409): is nothing recorded?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    refused = api.post(f"/tasks/{task['id']}/transfer", "wang.fang", {"department": "legal", "reason": " "})
    assert_problem(refused, 422, "validation_failed", "reason")
    case = reviewed(api, clock, case)
    done = [t for t in flows.view(api, case)["done_tasks"] if t["task_spec"] == "section_review"][0]
    again = api.post(f"/tasks/{done['id']}/complete", "liu.yang", {"data": REVIEWED})
    assert_problem(again, 409, "task_not_open")
    assert [o["kind"] for o in opinions(api, case)] == ["approval", "approval"]


def joint(api, clock):
    """A 规划处 news item drafted with 法规处 and 办公室 as co-departments: both section heads confirm (PUB-12)."""
    clock.set("2026-03-02T01:00:00+00:00")
    return flows.start(api, "publishing", "wang.fang", {**DRAFT, "co_departments": ["legal", "office"]})


def co_task(api, case, department):
    return open_task(api, case, department=department)


def test_pub12_the_countersign_shows_who_has_signed_and_who_is_awaited(api, clock):
    """陈静 confirms for 法规处: does 李娜's 办公室 task show 法规处 signed by 陈静 with her opinion and 办公室 waiting?"""
    case = joint(api, clock)
    legal, office = co_task(api, case, "legal"), co_task(api, case, "office")
    clock.advance(hours=2)
    answer = {"co_decision": "confirm", "co_comment": "数据已核对"}
    assert api.post(f"/tasks/{legal['id']}/complete", "chen.jing", {"data": answer}).status_code == 200
    countersign = api.get(f"/tasks/{office['id']}", "li.na").get_json()["countersign"]
    assert (countersign["step"], countersign["round"], countersign["signed"], countersign["expected"]) == (
        "联合发布处室确认",
        1,
        1,
        2,
    )
    signed, waiting = countersign["signers"]
    assert (signed["department"]["code"], signed["status"], signed["person"]["name"]) == (
        "legal",
        "signed",
        "陈静",
    )
    assert signed["at"] == "2026-03-02T03:00:00+00:00"
    assert (signed["opinion"]["verdict"], signed["opinion"]["text"]) == ("确认稿件内容", "数据已核对")
    assert (waiting["task_id"], waiting["status"], waiting["person"], waiting["opinion"]) == (
        office["id"],
        "waiting",
        None,
        None,
    )


def test_pub12_a_return_by_one_co_department_starts_a_second_round(api, clock):
    """办公室 returns, 法规处 confirms, 王芳 revises: is the new 法规处 task in round 2 with both waiting again?"""
    case = joint(api, clock)
    act(api, case, "co_confirm", "chen.jing", {"co_decision": "confirm"}, department="legal")
    back = {"co_decision": "return", "co_comment": "标题须写明会议名称"}
    case = act(api, case, "co_confirm", "li.na", back, department="office")
    case = act(api, case, "revise_item", "wang.fang", revised())
    again = co_task(api, case, "legal")
    countersign = api.get(f"/tasks/{again['id']}", "chen.jing").get_json()["countersign"]
    assert (countersign["round"], countersign["signed"], countersign["expected"]) == (2, 0, 2)
    assert {s["status"] for s in countersign["signers"]} == {"waiting"}
    said = [(o["department"]["code"], o["verdict"], o["text"]) for o in opinions(api, case, "wang.fang")]
    assert said == [
        ("legal", "确认稿件内容", ""),
        ("office", "不同意，退回牵头处室修改", "标题须写明会议名称"),
        ("planning", None, "已按办公室意见修改标题"),  # 修改说明: the drafter's answer to it
    ]


def revised():
    return {
        "title": DRAFT["title"] + "（修改）",
        "column": DRAFT["column"],
        "source": DRAFT["source"],
        "body": DRAFT["body"],
        "revision_note": "已按办公室意见修改标题",
    }


def test_org4_opinions_given_before_the_table_are_backfilled_once(app, api, clock):
    """With the opinion rows gone (a database from before 0011), does `backfill-opinions` bring back the same opinions, and nothing the second time?"""
    from sqlalchemy import delete

    from service.extensions import db
    from service.models import Opinion

    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    api.post(f"/tasks/{task['id']}/transfer", "wang.fang", {"department": "legal", "reason": "属法规处职责"})
    case = flows.view(api, case)
    before = [{k: v for k, v in o.items() if k != "id"} for o in opinions(api, case)]
    with app.app_context():
        db.session.execute(delete(Opinion))
        db.session.commit()
    first = app.test_cli_runner().invoke(args=["backfill-opinions"])
    assert first.exit_code == 0 and first.output.strip() == "2 opinions added", first.output
    assert [{k: v for k, v in o.items() if k != "id"} for o in opinions(api, case)] == before
    assert app.test_cli_runner().invoke(args=["backfill-opinions"]).output.strip() == "0 opinions added"
