"""栏目检查风险 in a real browser (NAT-7, COL-1..4): 徐明 of the information centre registers a column
from 网站栏目 and opens the risk page, where each fail line says met or failed with its count and the
columns it counts; on a phone the tables scroll inside their panel."""

from __future__ import annotations

import pytest

from tests.browser.conftest import accessible, fits, screenshot, signed_in
from tests.service.column_fixtures import add, remove_columns


@pytest.fixture
def registered(app, api):
    """Five open columns never updated (the empty line fails at 5) and one news column updated today."""
    remove_columns(app)
    for n in range(5):
        add(api, name=f"专题{n + 1}", path=f"/zt/{n + 1}", kind="hot_topic")
    add(api, name="工作动态", path="/xwzx/gzdt", last_update="2026-03-02")
    yield
    remove_columns(app)


def test_nat7_the_centre_reads_the_risk_page_and_sees_the_empty_columns_fail(open_page, registered):
    """From 网站栏目, does 徐明 register 通知公告 and find on the risk page six empty columns failing and the news line met?"""
    page = signed_in(open_page, "xu.ming", "/inbox")
    page.get_by_role("link", name="网站栏目").click()
    page.wait_for_url("**/columns")
    page.get_by_label("栏目名称（必填）").fill("通知公告")
    page.get_by_label("栏目路径（必填）").fill("/tzgg")
    page.get_by_label("栏目层级（1 为一级栏目）（必填）").fill("1")
    page.get_by_label("栏目类型（必填）").select_option("notice")
    page.get_by_label("责任处室（必填）").select_option("office")
    page.get_by_role("button", name="登记").click()
    page.wait_for_load_state()
    assert "已登记栏目“通知公告”" in page.content()
    page.get_by_role("link", name="查看栏目检查风险").click()
    page.wait_for_url("**/stats/columns")
    empty = page.locator("#line-empty td").all_inner_texts()
    assert empty[:3] == ["≥ 5", "6", "不达标"] and "通知公告" in empty[3]
    news = page.locator("#line-news td").all_inner_texts()
    assert news[1:3] == ["0", "达标"]
    assert "有指标未达标" in page.locator("#risk-verdict").inner_text()
    accessible(page, "columns-risk-desktop")
    phone = signed_in(open_page, "xu.ming", "/stats/columns", 375, 800)
    screenshot(phone, "columns-risk-375")
    assert fits(phone)
