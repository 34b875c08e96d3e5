"""委派 through the API (issue 11): the holder of a task hands it to a colleague of its department,
who resolves it back with a draft answer; the holder then decides and completes it.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. A disclosure request registered as
received that day waits in 规划处 for 起草答复 (王芳, 吴敏 and 刘洋 may act on it), due Mon 30 Mar
24:00 (REQ-2). The task stays the delegator's: assignee, deadline and statistics do not move.
"""

from __future__ import annotations

from sqlalchemy import select

from tests.service import flows
from tests.service.flows import open_task
from tests.service.test_disclosure_api import DISCLOSED
from tests.service.test_inbox_api import registered
from tests.service.test_task_page import drafted

DRAFT = {"draft_action": "submit", "category": "disclosed", "reply_text": "目录已整理，见附件。"}


def delegate(api, task_id: int, user: str, to: str | None, reason: str | None = None):
    body = {k: v for k, v in {"to": to, "reason": reason}.items() if v is not None}
    return api.post(f"/tasks/{task_id}/delegate", user, body)


def resolve(api, task_id: int, user: str, data: dict, note: str | None = None):
    return api.post(f"/tasks/{task_id}/resolve", user, {"data": data, **({"note": note} if note else {})})


def delegated_draft(api, reason: str = "请先整理目录"):
    """王芳's 起草答复, delegated to 吴敏."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    response = delegate(api, task["id"], "wang.fang", "wu.min", reason)
    assert response.status_code == 200, response.get_json()
    return case, task


def kinds(api, case) -> list[str]:
    return [e["kind"] for e in flows.view(api, case)["history"]]


def counts(api, user: str) -> dict:
    return api.get("/tasks/counts", user).get_json()


def ids(api, user: str, scope: str) -> list[int]:
    return [t["id"] for t in api.get(f"/tasks?scope={scope}", user).get_json()["items"]]


def notifications(app, username: str) -> list[tuple[str, str, str]]:
    from service.extensions import db
    from service.models import Notification, User

    with app.app_context():
        query = (
            select(Notification.kind, Notification.title, Notification.body)
            .join(User, User.id == Notification.user_id)
            .where(User.username == username)
            .order_by(Notification.id)
        )
        found = [tuple(row) for row in db.session.execute(query)]
        db.session.rollback()
        return found


def test_org4_wang_fang_delegates_wu_min_resolves_and_wang_fang_completes_from_the_draft(app, api):
    """Does the draft travel 王芳 → 吴敏 → 王芳, her task all along, each step in the history and told to the other?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    response = delegate(api, task["id"], "wang.fang", "wu.min", "请先整理目录")
    assert response.status_code == 200
    row = response.get_json()
    assert row["assignee"]["username"] == "wang.fang"  # an unclaimed task is claimed by the act
    assert row["delegate"]["username"] == "wu.min" and row["delegated_at"] == "2026-03-02T01:00:00+00:00"
    assert row["due_at"] == "2026-03-30T16:00:00+00:00"
    (told,) = notifications(app, "wu.min")
    assert told[0] == "delegation" and "王芳委派您办理“起草答复”" in told[1] and "请先整理目录" in told[2]

    detail = api.get(f"/tasks/{task['id']}", "wu.min").get_json()
    assert detail["delegate"]["name"] == "吴敏" and detail["draft"] is None

    resolved = resolve(api, task["id"], "wu.min", DRAFT, "年份已核对")
    assert resolved.status_code == 200
    assert resolved.get_json()["delegate"] is None
    assert resolved.get_json()["assignee"]["username"] == "wang.fang"
    (back,) = notifications(app, "wang.fang")
    assert back[0] == "delegation" and "吴敏已办理完毕交回“起草答复”" in back[1] and back[2] == "年份已核对"

    detail = api.get(f"/tasks/{task['id']}", "wang.fang").get_json()
    assert detail["draft"]["note"] == "年份已核对" and detail["draft"]["by"]["username"] == "wu.min"
    prefill = {f["name"]: f["value"] for f in detail["form"]}
    assert prefill["category"] == "disclosed" and prefill["reply_text"] == "目录已整理，见附件。"

    flows.complete(api, task["id"], "wang.fang", {**DRAFT, "reply_text": "所申请的目录见附件。"})
    done = flows.view(api, case)["done_tasks"][-1]
    assert done["completed_by"]["username"] == "wang.fang" and done["delegate"] is None
    mine = [k for k in kinds(api, case) if k in ("task_claimed", "task_delegated", "task_resolved")]
    assert mine[-3:] == ["task_claimed", "task_delegated", "task_resolved"]
    history = flows.view(api, case)["history"]
    (given,) = [e for e in history if e["kind"] == "task_delegated"]
    assert given["actor"]["username"] == "wang.fang"
    assert given["details"] == {"task": "起草答复", "delegate": "吴敏", "reason": "请先整理目录"}
    (handed,) = [e for e in history if e["kind"] == "task_resolved"]
    assert handed["actor"]["username"] == "wu.min" and handed["details"]["note"] == "年份已核对"
    assert handed["details"]["data"]["reply_text"] == "目录已整理，见附件。"


def test_the_delegate_sees_it_waiting_for_them_and_the_delegator_keeps_it_as_theirs(api):
    """吴敏 finds the task under 待我办理 and 我的在办; 王芳 keeps it in 我的在办 but it waits for 吴敏, not her."""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    before = {user: counts(api, user) for user in ("wang.fang", "wu.min")}
    assert before["wang.fang"]["actionable"] == before["wu.min"]["actionable"] == 1
    assert delegate(api, task["id"], "wang.fang", "wu.min").status_code == 200
    assert task["id"] in ids(api, "wu.min", "actionable") and task["id"] in ids(api, "wu.min", "mine")
    assert task["id"] in ids(api, "wang.fang", "mine")
    assert task["id"] not in ids(api, "wang.fang", "actionable")
    assert task["id"] not in ids(api, "liu.yang", "actionable")  # held by 王芳: not free for him
    after = {user: counts(api, user) for user in before}
    assert after["wu.min"]["actionable"] == before["wu.min"]["actionable"]  # it was free for her before
    assert after["wu.min"]["mine"] == before["wu.min"]["mine"] + 1
    assert after["wang.fang"]["mine"] == before["wang.fang"]["mine"] + 1
    assert after["wang.fang"]["actionable"] == before["wang.fang"]["actionable"] - 1
    (row,) = [t for t in api.get("/tasks?scope=mine", "wu.min").get_json()["items"] if t["id"] == task["id"]]
    assert row["assignee"]["name"] == "王芳" and row["delegate"]["name"] == "吴敏"


def test_while_delegated_nobody_completes_claims_releases_or_transfers_it(api):
    """Is every other act on the task a 409 task_delegated while 吴敏 works on it, the administrator's too?"""
    case, task = delegated_draft(api)
    path = f"/tasks/{task['id']}"
    refusals = [
        api.post(f"{path}/complete", "wang.fang", {"data": DISCLOSED}),
        api.post(f"{path}/complete", "wu.min", {"data": DISCLOSED}),
        api.post(f"{path}/complete", "admin", {"data": DISCLOSED}),
        api.post(f"{path}/claim", "liu.yang"),
        api.post(f"{path}/unclaim", "wang.fang"),
        api.post(f"{path}/transfer", "wang.fang", {"department": "legal", "reason": "不属本处室"}),
        delegate(api, task["id"], "wang.fang", "liu.yang"),
    ]
    for response in refusals:
        assert response.status_code == 409, response.get_json()
        assert response.get_json()["code"] == "task_delegated"
        assert "已委派给吴敏办理" in response.get_json()["title"]
    now = open_task(api, case)
    assert now["assignee"]["username"] == "wang.fang" and now["delegate"]["username"] == "wu.min"
    assert now["department"]["code"] == "planning"


def test_who_may_be_chosen_is_an_active_colleague_of_the_tasks_department(api):
    """Is anyone but an active member of 规划处 other than 王芳 refused with 422 naming `to`?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    for to, message in [
        (None, "请选择受委派人"),
        ("", "请选择受委派人"),
        ("wang.fang", "不能委派给自己"),
        ("chen.jing", "只能委派给规划处的在职人员"),  # 法规处
        ("admin", "只能委派给规划处的在职人员"),  # an administrator-only account
        ("zhao.lei", "只能委派给规划处的在职人员"),  # oversees 规划处, is not of it
        ("nobody.here", "只能委派给规划处的在职人员"),
    ]:
        response = delegate(api, task["id"], "wang.fang", to)
        assert response.status_code == 422, (to, response.get_json())
        body = response.get_json()
        assert body["field"] == "to" and body["errors"][0]["message"] == message, (to, body)
    long = delegate(api, task["id"], "wang.fang", "wu.min", "理" * 501)
    assert long.status_code == 422 and long.get_json()["field"] == "reason"
    assert open_task(api, case)["assignee"] is None and "task_delegated" not in kinds(api, case)


def test_four_eyes_the_drafter_is_no_delegate_for_the_review_of_her_draft(api):
    """刘洋 may not hand 处室负责人审核 of 王芳's draft to 王芳 herself, but may to 吴敏, who has no right to review it."""
    case = drafted(api)
    review = open_task(api, case)
    refused = delegate(api, review["id"], "liu.yang", "wang.fang")
    assert refused.status_code == 422 and refused.get_json()["field"] == "to"
    assert "王芳本人办理的工作" in refused.get_json()["title"]
    assert delegate(api, review["id"], "liu.yang", "wu.min").status_code == 200
    # 吴敏 is no section head: she may not complete a review, yet she may work on the one given her.
    assert api.get(f"/tasks/{review['id']}", "wu.min").status_code == 200
    answer = {"section_decision": "approve", "section_comment": "拟同意"}
    assert resolve(api, review["id"], "wu.min", answer).status_code == 200
    flows.complete(api, review["id"], "liu.yang", answer)
    assert open_task(api, case)["task_spec"] == "office_approval"


def test_only_the_holder_delegates(api):
    """Is 陈静 (法规处) refused 403, and 吴敏 a 409 when 王芳 already holds the task?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    other = delegate(api, task["id"], "chen.jing", "wu.min")
    assert other.status_code == 403 and other.get_json()["code"] == "not_task_department"
    assert api.post(f"/tasks/{task['id']}/claim", "wang.fang").status_code == 200
    held = delegate(api, task["id"], "wu.min", "liu.yang")
    assert held.status_code == 409 and held.get_json()["code"] == "task_claimed_by_other"
    assert open_task(api, case)["delegate"] is None


def test_only_the_delegate_resolves_and_the_draft_is_checked_as_a_completion_would_be(api):
    """Is a resolve by anyone but 吴敏 refused, and her draft without 答复内容 a 422 naming the field, nothing kept?"""
    case, task = delegated_draft(api)
    for user, status, code in [
        ("wang.fang", 403, "not_delegate"),
        ("liu.yang", 403, "not_delegate"),
        ("chen.jing", 403, "not_task_department"),
    ]:
        response = resolve(api, task["id"], user, DRAFT)
        assert response.status_code == status and response.get_json()["code"] == code, user
    bad = resolve(api, task["id"], "wu.min", {"draft_action": "submit", "category": "disclosed"})
    assert bad.status_code == 422 and bad.get_json()["field"] == "reply_text"
    long = resolve(api, task["id"], "wu.min", DRAFT, "说" * 501)
    assert long.status_code == 422 and long.get_json()["field"] == "note"
    assert open_task(api, case)["delegate"]["username"] == "wu.min"
    assert api.get(f"/tasks/{task['id']}", "wang.fang").get_json()["draft"] is None
    assert resolve(api, task["id"], "wu.min", DRAFT).status_code == 200
    again = resolve(api, task["id"], "wu.min", DRAFT)
    assert again.status_code == 409 and again.get_json()["code"] == "task_not_delegated"


def test_the_delegator_takes_it_back_early(app, api):
    """王芳 takes the task back: 吴敏 is told and may no longer resolve it; 王芳 completes it herself."""
    case, task = delegated_draft(api)
    refused = api.post(f"/tasks/{task['id']}/take-back", "wu.min")
    assert refused.status_code == 403 and refused.get_json()["code"] == "not_delegator"
    taken = api.post(f"/tasks/{task['id']}/take-back", "wang.fang")
    assert taken.status_code == 200 and taken.get_json()["delegate"] is None
    assert taken.get_json()["assignee"]["username"] == "wang.fang"
    assert "王芳已收回委派的“起草答复”" in notifications(app, "wu.min")[-1][1]
    late = resolve(api, task["id"], "wu.min", DRAFT)
    assert late.status_code == 409 and late.get_json()["code"] == "task_not_delegated"
    twice = api.post(f"/tasks/{task['id']}/take-back", "wang.fang")
    assert twice.status_code == 409 and twice.get_json()["code"] == "task_not_delegated"
    assert task["id"] not in ids(api, "wu.min", "mine")
    flows.complete(api, task["id"], "wang.fang", DISCLOSED)
    history = flows.view(api, case)["history"]
    (back,) = [e for e in history if e["kind"] == "delegation_taken_back"]
    assert back["actor"]["username"] == "wang.fang" and back["details"]["delegate"] == "吴敏"


def test_cancelling_the_case_ends_the_delegation(api):
    """The administrator cancels the case: the task leaves 吴敏's inbox and nobody shows as its delegate."""
    case, task = delegated_draft(api)
    cancel = api.post(f"/process-instances/{case['id']}/cancel", "admin", {"reason": "申请人撤回"})
    assert cancel.status_code == 200
    assert task["id"] not in ids(api, "wu.min", "mine") + ids(api, "wu.min", "actionable")
    row = api.get(f"/tasks/{task['id']}", "admin").get_json()
    assert row["status"] == "cancelled" and row["delegate"] is None
    late = resolve(api, task["id"], "wu.min", DRAFT)
    assert late.status_code == 409 and late.get_json()["code"] == "task_not_open"


def test_releasing_the_task_drops_the_draft_made_for_its_holder(api):
    """王芳 releases the task after 吴敏 handed back a draft: 刘洋, claiming it, starts from an empty form."""
    case, task = delegated_draft(api)
    assert resolve(api, task["id"], "wu.min", DRAFT).status_code == 200
    assert api.post(f"/tasks/{task['id']}/unclaim", "wang.fang").status_code == 200
    assert api.post(f"/tasks/{task['id']}/claim", "liu.yang").status_code == 200
    detail = api.get(f"/tasks/{task['id']}", "liu.yang").get_json()
    assert detail["draft"] is None and all(f["value"] is None for f in detail["form"])
    assert open_task(api, case)["assignee"]["username"] == "liu.yang"
