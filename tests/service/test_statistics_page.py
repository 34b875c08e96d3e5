"""The 统计 page /stats (issue 14, STAT-1): the API's figures in two tables, a period chooser and the
导出Excel link, for administrators, the office and leaders; the link in the header for them only.

The cases and hand counts are test_statistics_api's (five cases of 2026, read on Mon 11 May).
"""

from __future__ import annotations

import re

import pytest

from tests.service.pages import logged_in, page_text
from tests.service.test_statistics_api import MARCH, five_cases  # noqa: F401  (a fixture)


@pytest.fixture
def person(app):
    return lambda username: logged_in(app, username)


def cells(html: str, table: str, key: str) -> list[str]:
    """The figures of one row of a table, as the page shows them."""
    body = html.split(f'id="stats-{table}"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<tr data-key="{key}">(.*?)</tr>', body, re.S)
    assert row, (table, key)
    return re.findall(r'<td data-figure="[a-z_0-9]+">([^<]*)</td>', row.group(1))


def shown(value) -> str:
    return "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


def test_stat1_the_office_reads_march_for_planning_as_the_api_counts_it(person, five_cases):  # noqa: F811
    """Does 张伟 (办公室) see 规划处's March figures, the total and the 导出Excel link for the same period?"""
    html = person("zhang.wei").text("/stats?period=2026-03")
    assert "统计时段：2026年3月" in html
    assert cells(html, "department", "planning") == [shown(v) for v in MARCH.values()]
    assert cells(html, "department", "total") == [shown(v) for v in MARCH.values()]
    assert cells(html, "flow", "disclosure_request")[:2] == ["4", "2"]
    assert 'href="/api/v1/statistics.xlsx?period=2026-03"' in html


def test_the_page_opens_on_this_month_and_takes_a_custom_range(person, clock):
    """Without a period, is it the current month; do two dates make a custom range; is a bad period said in Chinese?"""
    clock.set("2026-05-11T02:00:00+00:00")
    admin = person("admin")
    assert "统计时段：2026年5月" in admin.text("/stats")
    assert "统计时段：2026-04-01至2026-04-30" in admin.text("/stats?from=2026-04-01&to=2026-04-30")
    refused = admin.get("/stats?period=2026-13")
    assert refused.status_code == 400 and "月份应为 01 到 12" in page_text(refused)


def test_the_link_and_the_page_are_for_those_who_may_read_the_figures(person):
    """Do 赵磊, 周强 and 李娜 (办公室) find 统计 in the header, and 王芳 neither the link nor the page (403)?"""
    for reader in ("zhao.lei", "zhou.qiang", "li.na"):
        assert 'href="/stats"' in person(reader).text("/inbox")
    wang = person("wang.fang")
    assert 'href="/stats"' not in wang.text("/inbox")
    refused = wang.get("/stats")
    assert refused.status_code == 403 and "统计报表仅供" in page_text(refused)
