"""管理 → 工作日历, 期限规则 and 错敏词库 in a real browser at phone width (issue 12): the administrator
enters and confirms 2027's 元旦, reads the profile's deadlines, imports a word list with a bad row,
fixes it, and 试检 finds the new term."""

from __future__ import annotations

from tests.browser.conftest import field, screenshot, signed_in
from tests.service.test_screening_api import starter_list_restored  # noqa: F401  (fixture)


def test_the_administrator_keeps_the_calendar_profile_and_word_list(open_page, tmp_path):
    """Can an administrator on a phone enter and confirm a day of 2027, read the deadlines, and import,
    search and trial-check the word list, with a bad import row named beside the file?"""
    page = signed_in(open_page, "admin", "/admin", 375, 800)
    page.get_by_role("link", name="工作日历").click()
    page.get_by_label("年份", exact=True).fill("2027")
    page.get_by_role("button", name="查看").click()
    assert "暂定" in page.locator("#year-status").inner_text()
    field(page, "日期").fill("2027-01-01")
    field(page, "类型").select_option(label="休息日")
    page.get_by_label("名称", exact=True).fill("元旦")
    page.get_by_role("button", name="保存").click()
    assert "已录入 2027-01-01" in page.locator(".flash").inner_text()
    page.get_by_role("button", name="确认 2027 年").click()
    assert "已确认" in page.locator(".flash").inner_text()
    assert "正式" in page.locator("#year-status").inner_text()
    screenshot(page, "admin-calendar")
    page.get_by_role("button", name="撤回确认").click()  # the next test starts from no confirmed year
    page.get_by_role("button", name="删除 2027-01-01").click()

    page.goto("/admin")
    page.get_by_role("link", name="期限规则").click()
    row = page.locator("#deadline-disclosure\\.reply").inner_text()
    assert "20个工作日" in row and "政府信息公开条例 Art. 33" in row

    page.goto("/admin")
    page.get_by_role("link", name="错敏词库").click()
    bad = tmp_path / "list.csv"
    bad.write_text("词语,类别,级别\n浏览器测试词,测试,很严重\n", encoding="utf-8")
    field(page, "文件").set_input_files(str(bad))
    page.get_by_role("button", name="导入").click()
    assert "第 2 行" in page.locator("#import-file-error").inner_text()
    bad.write_text("词语,类别,级别,建议表述\n浏览器测试词,测试,严重,正确说法\n", encoding="utf-8")
    field(page, "文件").set_input_files(str(bad))
    page.get_by_role("button", name="导入").click()
    assert "新增 1 个" in page.locator(".flash").inner_text()
    page.get_by_label("查找", exact=True).fill("浏览器测试词")
    page.get_by_role("button", name="查找").click()
    assert "正确说法" in page.locator(".screening-terms").inner_text()
    page.get_by_label("要检查的文字", exact=True).fill("这里有一个浏览器测试词。")
    page.get_by_role("button", name="检查").click()
    result = page.locator("#check-result").inner_text()
    assert "不能发布" in result and "建议改为“正确说法”" in result
    screenshot(page, "admin-screening")
