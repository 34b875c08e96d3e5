"""抄送 and the leader page in a real browser (issue 11).

赵磊 finds an overdue planning task under 规划处 on /leader and opens it in one click; 张伟 copies a
request to 刘洋, who finds it unread under 抄送我的 and reads it by opening the case.
"""

from __future__ import annotations

from tests.browser.conftest import fits, screenshot, signed_in
from tests.service import flows
from tests.service.test_disclosure_api import ACCEPT
from tests.service.test_inbox_api import registered


def _logged_in(open_page, username: str, path: str, width: int = 1280):
    page = signed_in(open_page, username, path, width, 800)
    return page


def test_esc1_zhao_lei_opens_an_overdue_planning_task_from_the_leader_page(api, clock, open_page):
    """On Wed 1 Apr the reply due Mon 30 Mar is under 规划处, 已超期2个工作日; one click opens its task to look at."""
    case = registered(api, "2026-03-02")
    draft = flows.open_task(api, case)
    clock.set("2026-04-01T02:00:00+00:00")
    page = _logged_in(open_page, "zhao.lei", "/inbox")
    page.get_by_role("link", name="领导督办").click()
    page.wait_for_url("**/leader")
    planning = page.locator("#dept-planning")
    assert "超期 1" in planning.locator("h3").inner_text()
    assert "已超期2个工作日" in planning.inner_text()
    screenshot(page, "leader-desktop")
    planning.get_by_role("link", name="起草答复").click()
    page.wait_for_url(f"**/tasks/{draft['id']}")
    assert "该任务由规划处的办理人员办理，您可以查看。" in page.locator("main").inner_text()
    screenshot(page, "leader-task")
    phone = _logged_in(open_page, "zhao.lei", "/leader", 375)
    assert phone.locator("#dept-planning").get_by_role("link", name="起草答复").is_visible()
    screenshot(phone, "leader-375")
    assert fits(phone)


def test_a_copy_from_zhang_wei_is_unread_for_liu_yang_until_he_opens_the_case(api, clock, open_page):
    """张伟 copies the request he registered to 刘洋 with a note; 刘洋 sees it unread under 抄送我的, opens the case, and it reads 已读."""
    case = flows.start(api, "disclosure_request", "zhang.wei", flows.START)
    clock.set("2026-03-02T01:30:00+00:00")  # registered half an hour after it came in
    step = flows.complete(api, flows.open_task(api, case)["id"], "zhang.wei", ACCEPT)
    zhang = _logged_in(open_page, "zhang.wei", f"/tasks/{step['id']}")
    zhang.locator("details.op-copy summary").click()
    zhang.get_by_label("抄送给").select_option(["liu.yang"])
    zhang.get_by_label("附言（选填）").fill("请关注答复口径")
    screenshot(zhang, "copy-form")
    zhang.locator("details.op-copy").get_by_role("button", name="抄送").click()
    zhang.wait_for_url(f"**/tasks/{step['id']}")
    assert "已抄送给刘洋" in zhang.get_by_role("status").first.inner_text()
    assert "未读" in zhang.locator("section.copies").inner_text()

    liu = _logged_in(open_page, "liu.yang", "/inbox")
    liu.get_by_role("link", name="抄送我的 1").click()
    liu.wait_for_url("**/inbox?tab=copies")
    row = liu.locator("tr.copy-row")
    assert "张伟" in row.inner_text() and "请关注答复口径" in row.inner_text() and "未读" in row.inner_text()
    screenshot(liu, "copies-inbox-unread")
    row.get_by_role("link", name=case["tracking_number"]).click()
    liu.wait_for_url(f"**/cases/{case['id']}")
    assert "本案件已抄送给您阅知" in liu.locator("section.copies").inner_text()
    screenshot(liu, "copies-case")
    liu.goto("/inbox?tab=copies")
    assert "已读" in liu.locator("tr.copy-row").inner_text()
    assert "抄送我的 0" in liu.locator(".inbox-tabs").inner_text()
    screenshot(liu, "copies-inbox-read")
    phone = _logged_in(open_page, "liu.yang", "/inbox?tab=copies", 375)
    assert "请关注答复口径" in phone.locator("tr.copy-row").inner_text()
    screenshot(phone, "copies-inbox-375")
    assert fits(phone)
