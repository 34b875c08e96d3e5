"""The 统计 page in a real browser (issue 14, STAT-1): 张伟 of 办公室 reads March for 规划处, chooses
another period and downloads the workbook; on a phone the tables scroll inside their panel. Above each
table a bar chart is drawn (a canvas with something on it), an image whose label sums the table up.

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
    for by in ("department", "flow"):
        assert drawn(page, by), by
    assert "合计受理" in page.locator("#chart-department").get_attribute("aria-label")
    accessible(page, "stats-desktop")
    page.get_by_role("link", name="本季度（2026-Q2）").click()
    page.wait_for_url("**/stats?period=2026-Q2")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    book = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))  # the path has no .xlsx
    assert (
        book.sheetnames == ["按处室", "按流程", "每周发布"] and book["按处室"]["B2"].value == "2026年第2季度"
    )
    phone = signed_in(open_page, "zhang.wei", "/stats", 375, 800)
    errors: list[str] = []  # a style or script the CSP refuses shows here
    phone.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    phone.goto("/stats?period=2026-03")
    assert drawn(phone, "department") and drawn(phone, "flow")
    assert errors == []
    screenshot(phone, "stats-375")
    assert fits(phone)


# How many pixels of a chart's canvas are painted (not transparent): a drawn chart has thousands.
_PAINTED = """id => {
    const canvas = document.querySelector(`#chart-${id} canvas`);
    if (!canvas || !canvas.width || !canvas.height) return 0;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted++;
    return painted;
}"""


def drawn(page, by: str) -> bool:
    """Has the chart above the table `by` been drawn: its canvas there and painted, not blank?"""
    page.wait_for_selector(f'#chart-{by}[data-drawn="true"] canvas')
    page.wait_for_function(f"({_PAINTED})('{by}') > 1000")  # raises on timeout
    return page.evaluate(_PAINTED, by) > 1000
