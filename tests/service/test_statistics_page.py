"""The 统计 page /stats (issue 14, STAT-1): the API's figures in two tables, a period chooser and the
导出Excel link, for administrators, the office and leaders; the link in the header for them only.

The cases and hand counts are test_statistics_api's (five cases of 2026, read on Mon 11 May).
"""

from __future__ import annotations

import json
import re
from html import unescape

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


def chart_data(html: str, table: str) -> dict:
    """The figures a table's chart is handed (its data-chart attribute, JSON), as the bundle reads them."""
    found = re.search(
        rf"id=\"chart-{table}\" role=\"img\" aria-label=\"([^\"]*)\" data-chart='([^']*)'", html
    )
    assert found, table
    return {"summary": found.group(1), **json.loads(unescape(found.group(2)))}


def test_stat1_each_table_hands_its_chart_the_same_figures(person, five_cases):  # noqa: F811
    """Does each table's bar chart get the table's names and received / finished / on-time / late figures, labelled in Chinese, with a summary for readers who cannot see it?"""
    html = person("zhang.wei").text("/stats?period=2026-03")
    assert "build/charts.js" in html and "<script>" not in html
    departments = chart_data(html, "department")
    planning = departments["names"].index("规划处")
    assert [s["label"] for s in departments["series"]] == ["受理数", "办结数", "按期办结", "超期办结"]
    assert [s["values"][planning] for s in departments["series"]] == [
        MARCH[name] for name in ("received", "finished", "on_time", "late")
    ]
    assert departments["summary"].startswith(
        f"按处室柱状图，{len(departments['names'])}个处室：合计受理{MARCH['received']}件"
    )
    flows = chart_data(html, "flow")
    assert [s["values"][flows["names"].index("依申请公开")] for s in flows["series"]][:2] == [4, 2]
