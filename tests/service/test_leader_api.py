"""GET /api/v1/leader/overview (issue 11): what waits for a leader's signature, and what is overdue or
escalated in the departments they oversee, by department.

national profile. 赵磊 oversees 办公室, 保密室, 信息中心 and 规划处; 孙丽 信访处, 法规处 and 财务处; 周强
is the principal leader. A disclosure request registered Mon 2 Mar is due Mon 30 Mar 24:00 (REQ-2).
"""

from __future__ import annotations

from tests.service import flows
from tests.service.test_api_errors import assert_problem
from tests.service.test_deadlines import sweep
from tests.service.test_inbox_api import registered
from tests.service.test_proposal_api import REPLY, assigned


def overview(api, user):
    response = api.get("/leader/overview", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def awaiting_signature(api, clock):
    """A CPPCC proposal 规划处 drafted a reply to: 审签答复 waits for the leader in charge of planning."""
    case = assigned(api, clock)
    flows.act(
        api, case, "register", "chen.jing", {"handling_mode": "single", "owning_department": "planning"}
    )
    return flows.act(api, case, "draft_reply", "wang.fang", REPLY)


def test_pro1_the_reply_to_sign_waits_for_zhao_lei_and_not_for_sun_li(api, clock):
    """赵磊 sees 审签答复 from 规划处 with the proposal's title and its deadline in words; 孙丽 and 周强 do not."""
    case = awaiting_signature(api, clock)
    sign = flows.open_task(api, case)
    waiting = overview(api, "zhao.lei")["waiting"]
    assert waiting["total"] == 1
    (row,) = waiting["items"]
    assert row["task"]["id"] == sign["id"] and row["task"]["role"] == "leader_in_charge"
    assert row["title"] == "关于优化城市更新审批流程的提案"
    assert row["from_department"] == {"code": "planning", "name": "规划处"}
    assert row["deadline"].startswith("剩余")
    assert overview(api, "sun.li")["waiting"] == {"items": [], "total": 0}
    assert overview(api, "zhou.qiang")["waiting"]["total"] == 0


def test_esc1_an_overdue_and_escalated_planning_task_is_under_planning_for_zhao_lei(app, api, clock):
    """On Wed 1 Apr the reply due Mon 30 Mar, raised at the deadline, is counted under 规划处 for 赵磊, 已超期2个工作日; 孙丽 sees none of it."""
    case = registered(api, "2026-03-02")
    draft = flows.open_task(api, case)
    clock.set("2026-03-26T02:00:00+00:00")
    before = {g["department"]["code"]: g for g in overview(api, "zhao.lei")["oversight"]}
    assert list(before) == ["office", "secrecy", "info_center", "planning"]  # the departments' order
    assert before["planning"]["total"] == 0 and before["planning"]["items"] == []

    sweep(app, "2026-03-30T16:00:00+00:00")  # the deadline passes: raised to the section head
    clock.set("2026-04-01T02:00:00+00:00")
    groups = {g["department"]["code"]: g for g in overview(api, "zhao.lei")["oversight"]}
    planning = groups["planning"]
    assert (planning["overdue"], planning["escalated"], planning["total"]) == (1, 1, 1)
    (row,) = planning["items"]
    assert row["task"]["id"] == draft["id"] and row["deadline"] == "已超期2个工作日"
    assert row["task"]["overdue"] is True and row["task"]["escalation_level"] == 1
    assert all(g["total"] == 0 for code, g in groups.items() if code != "planning")
    sun = overview(api, "sun.li")["oversight"]
    assert [g["department"]["code"] for g in sun] == ["petition", "legal", "finance"]
    assert all(g["items"] == [] for g in sun)
    assert overview(api, "zhou.qiang")["oversight"] == []  # oversees no department himself


def test_the_overview_is_for_leaders_only(api):
    """An information officer, a section head and the administrator get 403 not_leader."""
    for user in ("wang.fang", "liu.yang", "admin"):
        assert_problem(api.get("/leader/overview", user), 403, "not_leader")
