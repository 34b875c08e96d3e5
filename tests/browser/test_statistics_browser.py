"""The 统计 page in a real browser (issue 14, STAT-1): 张伟 of 办公室 reads March for 规划处, chooses
another period and downloads the workbook; on a phone the tables scroll inside their panel.

The cases and hand counts are test_statistics_api's (five cases of 2026, read on Mon 11 May).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from tests.browser.conftest import accessible, fits, screenshot, signed_in
from tests.service.test_statistics_api import MARCH, five_cases  # noqa: F401  (a fixture)


def test_stat1_the_office_reads_march_chooses_the_quarter_and_exports_it(open_page, five_cases):  # noqa: F811
    """From the header's 统计, does 张伟 see 规划处's March, switch to 本季度 by its link and download that quarter's workbook?"""
    page = signed_in(open_page, "zhang.wei", "/inbox")
    page.get_by_role("link", name="统计").click()
    page.wait_for_url("**/stats")
    assert "2026年5月" in page.locator("#period-head").inner_text()
    page.get_by_label("月、季度或年").fill("2026-03")
    page.get_by_role("button", name="查询").first.click()
    page.wait_for_url("**/stats?period=2026-03")
    planning = page.locator('#stats-department tr[data-key="planning"] td')
    assert planning.all_inner_texts() == [
        f"{v:g}" if isinstance(v, float) else str(v) for v in MARCH.values()
    ]
    accessible(page, "stats-desktop")
    page.get_by_role("link", name="本季度（2026-Q2）").click()
    page.wait_for_url("**/stats?period=2026-Q2")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))  # the path has no .xlsx
    assert book.sheetnames == ["按处室", "按流程"] and book["按处室"]["B2"].value == "2026年第2季度"
    phone = signed_in(open_page, "zhang.wei", "/stats?period=2026-03", 375, 800)
    screenshot(phone, "stats-375")
    assert fits(phone)
