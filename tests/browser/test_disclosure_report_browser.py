"""The annual disclosure report in a real browser (STAT-3, NAT-3, NAT-4): 张伟 of 办公室 opens it from
统计, enters the figures the service cannot count, reads the request table as counted, downloads the
workbook and prints it (print media: no navigation, bordered tables).

The year of requests and its hand counts are test_disclosure_report's (2026, read on 11 Jan 2027).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from tests.browser.conftest import accessible, screenshot, signed_in
from tests.service.pages import reset_password
from tests.service.test_disclosure_report import EXPECTED_2026, year_of_requests  # noqa: F401  (a fixture)


def test_stat3_the_office_enters_figures_reads_and_prints_the_report(
    app,
    open_page,
    demo_passwords,
    year_of_requests,  # noqa: F811
):
    """From 统计, does 张伟 open 2026's report, enter 规章 and 复议 figures and the problems text, see
    them with the computed 总计 beside the counted request table, download it, and print it without
    the navigation (STAT-3, NAT-3)?"""
    demo_passwords.append("zhang.wei")
    reset_password(app, "zhang.wei")  # on 11 Jan 2027 the demo password would have expired
    page = signed_in(open_page, "zhang.wei", "/stats")
    page.get_by_role("link", name="政府信息公开工作年度报告").click()
    page.wait_for_url("**/stats/disclosure-report")
    assert "2026年政府信息公开工作年度报告" in page.locator("h1").inner_text()
    new = page.locator('#requests tr[data-row="new"] td').all_inner_texts()
    assert new == [str(v) for v in EXPECTED_2026["new"].values()]
    page.get_by_role("link", name="录入年报数据").click()
    page.get_by_label("规章·本年制发件数").fill("-1")
    page.get_by_role("button", name="保存").click()
    assert "应为不小于0的整数" in page.locator("#rules_issued-error").inner_text()
    accessible(page, "disclosure-report-entries-error")
    page.get_by_label("规章·本年制发件数").fill("4")
    page.get_by_label("行政复议·结果维持").fill("2")
    page.get_by_label("行政复议·尚未审结").fill("1")
    page.get_by_label("五、存在的主要问题及改进情况").fill(
        "一是答复文书格式不统一；\n二是网上申请渠道宣传不够。"
    )
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/stats/disclosure-report?year=2026")
    assert page.locator('td[data-key="rules_issued"]').inner_text() == "4"
    assert page.locator('td[data-key="review_total"]').inner_text() == "3"
    assert "网上申请渠道宣传不够" in page.locator("#text-problems").inner_text()
    accessible(page, "disclosure-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    assert book["二、主动公开"]["B6"].value == 4
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".report-tools").is_visible()
    border = page.locator("#requests td").first.evaluate("cell => getComputedStyle(cell).borderTopStyle")
    assert border == "solid"
    screenshot(page, "disclosure-report-print")
