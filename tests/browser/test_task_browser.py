"""The task page in a real browser (issue 11): 张伟 registers a disclosure request from his inbox —
claims it, fills the form, completes it — and 王芳 then finds 起草答复 in hers; at desktop width and
at 375 px."""

from __future__ import annotations

from tests.browser.conftest import fits, log_in, screenshot, signed_in
from tests.service import flows
from tests.service.test_disclosure_api import START


def test_req1_req2_zhang_wei_registers_the_request_from_his_inbox_and_wang_fang_gets_the_draft(
    api, clock, open_page
):
    """Mon 2 Mar 2026 09:00: 张伟 claims 登记申请, chooses 规划处, received 2 Mar, 交承办处室办理; 王芳 sees 起草答复 with 剩余20个工作日."""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "disclosure_request", "zhang.wei", START)
    page = signed_in(open_page, "zhang.wei", "/inbox")
    page.locator("tr", has_text=case["tracking_number"]).get_by_role("link", name="登记申请").click()
    page.wait_for_url("**/tasks/*")
    assert page.get_by_role("heading", name="登记申请", exact=True).is_visible()
    assert "剩余1个工作日\n（2026-03-03 24:00 前）" in page.locator(".case-summary").inner_text()
    assert "王小明" in page.locator(".case-data").inner_text()
    assert "办公室" in page.locator(".case-data").inner_text()  # drafting_department, named
    page.get_by_role("button", name="签收").click()
    assert "已签收“登记申请”" in page.locator(".flash").inner_text()
    assert page.get_by_role("button", name="退回待办").is_visible()
    page.get_by_label("承办处室").select_option(label="规划处")
    page.get_by_label("收到申请日期").fill("2026-03-02")
    page.get_by_label("登记结论").select_option(label="申请内容明确，交承办处室办理")
    page.get_by_label("登记备注").fill("申请人来电确认了年份")
    screenshot(page, "task-desktop")
    phone = open_page(375, 740)
    phone.goto(page.url.replace(page.url.split("/tasks/")[0], ""))
    log_in(phone)
    phone.wait_for_url("**/tasks/*")
    assert phone.get_by_label("收到申请日期").is_visible()
    screenshot(phone, "task-375")
    assert fits(phone)
    page.get_by_role("button", name="办理完成").click()
    page.wait_for_url("**/inbox")
    assert "成功办理“登记申请”" in page.locator(".flash").inner_text()

    wang = signed_in(open_page, "wang.fang", "/inbox")
    row = wang.locator("tr", has_text=case["tracking_number"])
    assert "起草答复" in row.inner_text() and "剩余20个工作日" in row.inner_text()
