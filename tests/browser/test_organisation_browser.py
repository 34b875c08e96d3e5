"""Running the organisation in a real browser (issue 12, ORG-2, ORG-6): the administrator creates 钱宇
in 规划处, who must change the initial password at first log-in; then deactivates 王芳, whose claimed
task goes back to 规划处's queue."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import change_password, log_in, screenshot, signed_in
from tests.service import flows
from tests.service.test_inbox_api import registered


def test_org2_org6_a_new_person_changes_the_initial_password_and_a_leavers_task_returns(
    api, open_page, qian, wang_fang_back
):
    """Does 钱宇 land on 修改密码 with nothing else open, and does 王芳's deactivation send her task back?"""
    admin = signed_in(open_page, "admin", "/admin/people/new")
    admin.get_by_label("用户名（登录名）").fill("qian.yu")
    admin.get_by_label("真实姓名").fill("钱宇")
    admin.get_by_label("规划处信息员").check()
    admin.get_by_role("button", name="新建人员").click()
    password = admin.locator(".one-time-password").inner_text()
    screenshot(admin, "org-person-created")

    qian = open_page()
    qian.goto("/login?next=/inbox")
    log_in(qian, "qian.yu", password)
    qian.wait_for_url("**/password*")
    assert qian.get_by_role("link", name="待办").count() == 0  # nothing else opens first
    change_password(qian, password, "Guihua-2026-qy")
    qian.wait_for_url("**/inbox")

    case = registered(api, "2026-03-02")
    task = flows.open_task(api, case)
    assert api.post(f"/tasks/{task['id']}/claim", "wang.fang").status_code == 200
    admin.goto("/admin/people/wang.fang")
    admin.get_by_role("link", name="停用…").click()
    assert "将退回1个在办任务" in admin.locator("main").inner_text()
    screenshot(admin, "org-deactivate-confirm")
    admin.get_by_role("button", name="确认停用").click()
    expect(admin.locator("main")).to_contain_text("已停用")
    back = flows.open_task(api, case)
    assert back["id"] == task["id"] and back["assignee"] is None  # in 规划处's queue again
