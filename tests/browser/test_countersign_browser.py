"""会签 in a real browser (issue 11, PUB-12): a 规划处 news item drafted jointly with 办公室 and 法规处
goes to both section heads at once. 李娜 confirms 办公室's part from her inbox; 陈静 then opens 法规处's
task and sees who has signed — 办公室, 李娜, when, her opinion — and that her own part is awaited; she
confirms, and the case page shows the round complete. At desktop width and at 375 px."""

from __future__ import annotations

from tests.browser.conftest import fits, log_in, screenshot
from tests.service import flows
from tests.unit.test_publishing_flow import DRAFT


def _confirm(page, comment: str) -> None:
    page.get_by_label("确认意见").select_option(label="确认稿件内容")
    page.get_by_label("意见说明").fill(comment)
    page.get_by_role("button", name="办理完成").click()
    page.wait_for_url("**/inbox")
    assert "成功办理“联合发布处室确认”" in page.locator(".flash").inner_text()


def _open_from_inbox(page, username: str, tracking_number: str) -> None:
    page.goto("/login?next=/inbox")
    log_in(page, username)
    page.wait_for_url("**/inbox")
    page.locator("tr", has_text=tracking_number).get_by_role("link", name="联合发布处室确认").click()
    page.wait_for_url("**/tasks/*")


def test_pub12_li_na_and_chen_jing_countersign_a_joint_item_and_each_sees_who_has_signed(
    api, clock, open_page
):
    """Mon 2 Mar 2026 09:00 drafted; 李娜 confirms at 10:00 with 标题已核对; 陈静 sees 已签 1/2 and confirms; the case page shows 已签 2/2."""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "publishing", "wang.fang", {**DRAFT, "co_departments": ["office", "legal"]})
    number = case["tracking_number"]
    clock.set("2026-03-02T02:00:00+00:00")
    li = open_page()
    _open_from_inbox(li, "li.na", number)
    panel = li.locator(".countersign")
    assert "已签 0/2" in panel.inner_text() and "本任务" in panel.locator(".signer-current").inner_text()
    _confirm(li, "标题已核对\n同意联合发布")

    chen = open_page()
    _open_from_inbox(chen, "chen.jing", number)
    panel = chen.locator(".countersign")
    assert "已签 1/2" in panel.inner_text()
    office = panel.locator(".signer-signed")
    assert "办公室" in office.inner_text() and "李娜" in office.inner_text()
    assert "2026-03-02 10:00" in office.inner_text() and "确认稿件内容" in office.inner_text()
    assert office.locator(".opinion-text").inner_text() == "标题已核对\n同意联合发布"  # the line break kept
    mine = panel.locator(".signer-current")
    assert "法规处" in mine.inner_text() and "待签" in mine.inner_text()
    steps = chen.locator("section", has=chen.get_by_role("heading", name="办理过程与审批意见"))
    assert "联合发布处室确认" in steps.inner_text() and "李娜" in steps.inner_text()
    screenshot(chen, "countersign-task-desktop")
    phone = open_page(375, 740)
    phone.goto("/login?next=/" + chen.url.split("/", 3)[3])  # the same task page
    log_in(phone, "chen.jing")
    phone.wait_for_url("**/tasks/*")
    assert phone.locator(".countersign").is_visible()
    screenshot(phone, "countersign-task-375")
    assert fits(phone)
    _confirm(chen, "数据无误")

    chen.goto(f"/cases/{case['id']}")
    signed = chen.locator("section.countersign")
    assert "已签 2/2" in signed.inner_text() and "待签" not in signed.inner_text()
    opinions = chen.locator("section", has=chen.get_by_role("heading", name="审批意见", exact=True))
    assert "标题已核对" in opinions.inner_text() and "数据无误" in opinions.inner_text()
    signed.scroll_into_view_if_needed()
    screenshot(chen, "countersign-case-desktop")
