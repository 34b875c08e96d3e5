"""管理 → 审计日志 in a real browser (issue 12, ORG-4): the administrator changes a calendar day, then
finds that change on 审计日志 filtered by its kind, with what it was before and after."""

from __future__ import annotations

from tests.browser.conftest import field, screenshot, signed_in


def test_the_administrator_finds_a_calendar_change_in_the_audit_log(open_page):
    """After entering and correcting 2031-10-08, does 审计日志 filtered by 录入日历日期 show both,
    newest first, with the day's state before and after the correction, not yet sealed into the chain?"""
    page = signed_in(open_page, "admin", "/admin", 1280, 900)
    page.get_by_role("link", name="工作日历").click()
    page.get_by_label("年份", exact=True).fill("2031")
    page.get_by_role("button", name="查看").click()
    for kind, note in (("休息日", "国庆节"), ("调休上班日", "国庆调休")):
        field(page, "日期").fill("2031-10-08")
        field(page, "类型").select_option(label=kind)
        page.get_by_label("名称", exact=True).fill(note)
        page.get_by_role("button", name="保存").click()
        assert "已录入 2031-10-08" in page.locator(".flash").inner_text()

    page.goto("/admin")
    page.get_by_role("link", name="审计日志").click()
    field(page, "操作类型").select_option(label="录入日历日期")
    page.get_by_role("button", name="筛选").click()
    assert "符合条件的记录 2 条" in page.locator("#audit-count").inner_text()
    newest = page.locator(".audit-log tbody tr").first
    assert "系统管理员（admin）" in newest.inner_text() and "为调休上班日（国庆调休）" in newest.inner_text()
    assert newest.locator(".audit-seal").inner_text() == "待封存"  # the sweep has not sealed it yet
    newest.get_by_text("操作前后").click()
    states = newest.locator(".audit-states").inner_text()
    assert "国庆节" in states and "国庆调休" in states
    screenshot(page, "admin-audit")
    page.goto("/admin/calendar?year=2031")
    page.get_by_role("button", name="删除 2031-10-08").click()  # the next test starts without it
