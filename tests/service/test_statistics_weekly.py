"""每周发布 (issue 14, STAT-2 first half): items published per department in each ISO week of a period,
through GET /api/v1/statistics, the workbook and /stats, checked against a hand count.

national profile, 2026; the period 2 to 22 March holds ISO weeks 10 (2-8 Mar), 11 (9-15) and 12 (16-22).

- 规划处 (王芳 drafts): items published Mon 2 Mar and Sun 8 Mar (week 10) and Wed 18 Mar (week 12);
  one more published Tue 17 Mar but not yet checked (post_check open): counted, it went out that day.
- 办公室 (张伟 drafts): one item published Tue 10 Mar (week 11).

Hand count: 规划处 2, 0, 2 (week 11 无发布); 办公室 0, 1, 0 (weeks 10 and 12 无发布); others none.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.service import flows
from tests.service.flows import act
from tests.service.pages import logged_in
from tests.unit.test_publishing_flow import APPROVE, DRAFT

PERIOD = "2026-03-02..2026-03-22"
WEEKS = ["2026-W10", "2026-W11", "2026-W12"]
# drafter, section head, published on, checked after publishing (the case completed)
ITEMS = [
    ("wang.fang", "liu.yang", "2026-03-02", True),
    ("wang.fang", "liu.yang", "2026-03-08", True),
    ("wang.fang", "liu.yang", "2026-03-18", True),
    ("wang.fang", "liu.yang", "2026-03-17", False),
    ("zhang.wei", "li.na", "2026-03-10", True),
]


def published(api, clock, drafter, head, day, checked):
    """An item drafted, reviewed and proofread in its department, published on `day` by the centre."""
    clock.set(f"{day}T01:00:00+00:00")
    case = flows.start(api, "publishing", drafter, {**DRAFT, "formed_on": day})
    act(api, case, "review_section", head, APPROVE)
    act(api, case, "layout", "xu.ming", {"layout_url": "https://example.gov.cn/preview/1"})
    act(api, case, "proof_officer", drafter, {"proof1_result": "ok"})
    act(api, case, "proof_section", head, {"proof2_result": "ok"})
    case = act(
        api,
        case,
        "publish",
        "xu.ming",
        {"published_on": day, "published_url": f"https://example.gov.cn/{day}.html"},
    )
    if checked:
        case = act(api, case, "post_check", "xu.ming", {"check_result": "ok"})
    assert case["status"] == ("completed" if checked else "running")


@pytest.fixture
def items(api, clock):
    for item in ITEMS:
        published(api, clock, *item)
    clock.set("2026-03-25T02:00:00+00:00")


def weekly(api, user="zhang.wei"):
    response = api.get(f"/statistics?period={PERIOD}", user)
    assert response.status_code == 200, response.get_json()
    found = response.get_json()["weekly_published"]
    return found, {row["key"]: (row["counts"], row["weeks_without"]) for row in found["rows"]}


def test_stat2_each_department_counts_its_items_per_week_and_names_the_weeks_without(api, items):
    """Does the API count 规划处 2, 0, 2 and 办公室 0, 1, 0 over weeks 10 to 12, naming each week with none, and count an item published but not yet checked in its week (STAT-2)?"""
    found, rows = weekly(api)
    assert found["weeks"] == [
        {"week": "2026-W10", "from": "2026-03-02", "to": "2026-03-08"},
        {"week": "2026-W11", "from": "2026-03-09", "to": "2026-03-15"},
        {"week": "2026-W12", "from": "2026-03-16", "to": "2026-03-22"},
    ]
    assert rows.pop("planning") == ([2, 0, 2], ["2026-W11"])
    assert rows.pop("office") == ([0, 1, 0], ["2026-W10", "2026-W12"])
    assert rows and all(value == ([0, 0, 0], WEEKS) for value in rows.values())


def test_stat2_a_leader_in_charge_sees_only_the_departments_overseen(api, items):
    """Does 孙丽, in charge of 信访, 法规 and 财务, see only those rows, and none of 规划处's items (STAT-2)?"""
    _, rows = weekly(api, "sun.li")
    assert set(rows) == {"petition", "legal", "finance"}


def test_stat2_the_workbook_has_a_weekly_sheet_with_no_publication_in_words(api, items):
    """Does the .xlsx hold a third sheet 每周发布 with the weeks as columns and 0 无发布 written where a week had none?"""
    response = api.get(f"/statistics.xlsx?period={PERIOD}", "li.na")
    book = load_workbook(BytesIO(response.data))
    assert book.sheetnames == ["按处室", "按流程", "每周发布"]
    sheet = book["每周发布"]
    assert [c.value for c in sheet[4]] == [
        "处室",
        "第10周（03-02至03-08）",
        "第11周（03-09至03-15）",
        "第12周（03-16至03-22）",
        "无发布周数",
    ]
    rows = {row[0]: list(row[1:]) for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["规划处"] == [2, "0 无发布", 2, 1]
    assert rows["办公室"] == ["0 无发布", 1, "0 无发布", 2]


def test_stat2_the_page_shows_the_weekly_table_with_no_publication_in_text(app, api, items):
    """Does /stats show 每周发布 with a week column each and 无发布 written in 规划处's empty week (STAT-2)?"""
    html = logged_in(app, "zhou.qiang").text("/stats?from=2026-03-02&to=2026-03-22")
    table = html[html.index('id="stats-weekly"') :]
    table = table[: table.index("</table>")]
    assert "第11周（03-09至03-15）" in table
    planning = table[table.index('data-key="planning"') :]
    planning = planning[: planning.index("</tr>")]
    assert planning.count("无发布") == 1 and "<td>2</td>" in planning
