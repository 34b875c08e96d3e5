"""A recurring duty in a real browser (REC-1..6, NAT-4): the service opens the annual report on its
day, the office finds it in its inbox by its title and due day, records it, and the administrator
reads 定期工作."""

from __future__ import annotations

from datetime import datetime

from tests.browser.conftest import field, screenshot, signed_in

OPENS = "2026-01-05T01:00:00+00:00"  # Monday 5 January, 09:00 in Beijing


def test_nat4_the_office_records_the_annual_report_the_service_opened(app, clock, open_page):
    """Does the annual report the sweep opened on 5 January show in 办公室's inbox with its title and
    due day 31 January, can its task be recorded, and does 定期工作 show it opened (NAT-4)?"""
    from service.services import jobs

    clock.set(OPENS)
    with app.app_context():
        jobs.sweep(datetime.fromisoformat(OPENS), jobs.InlinePublisher())

    page = signed_in(open_page, "zhang.wei", "/inbox")
    row = page.locator("tr", has_text="编制发布政府信息公开工作年度报告")
    assert "剩余26日" in row.inner_text()  # due 31 January
    screenshot(page, "duty-inbox")
    row.get_by_role("link", name="办理并记录定期工作").click()
    page.wait_for_url("**/tasks/*")
    text = page.locator("main").inner_text()
    assert "编制发布政府信息公开工作年度报告" in text and "NAT-4" in text
    if page.get_by_role("button", name="签收").count():
        page.get_by_role("button", name="签收").click()
    field(page, "完成日期").fill("2026-01-05")
    field(page, "完成情况记录").fill("2025年度报告已于门户网站发布。")
    screenshot(page, "duty-task")
    page.get_by_role("button", name="办理完成").click()
    page.wait_for_url("**/inbox")
    assert "成功办理“办理并记录定期工作”" in page.locator(".flash").inner_text()

    admin = signed_in(open_page, "admin", "/admin/duties")
    assert "已发起" in admin.locator("#duty-annual_report").inner_text()
    screenshot(admin, "duty-admin")
