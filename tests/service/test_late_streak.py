"""STAT-2 (002 §40, xingning): after three late submissions in a row, a task asks the department to explain.

Under xingning, news is due 2 working days after it was formed (002 §13). 规划处 (王芳 drafts, 刘洋
heads it, no principal leader of its own) forms news items on Mon 2 Mar 2026, due Wed 4 Mar, and
the centre publishes them on Fri 6 Mar: each closes 2 working days late.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from service.services import scheduled
from tests.service import flows
from tests.service.flows import act, open_task, serve, view
from tests.service.pages import logged_in
from tests.service.test_publishing_api import to_publish
from tests.unit.test_publishing_flow import DRAFT


@pytest.fixture
def xingning(app, api, api_for_profile):
    return serve("xingning", api, app, api_for_profile)


def late_item(served, clock, title: str, published_at: str):
    """A news item formed and drafted on 2 Mar, published at `published_at` (after its due day)."""
    api = served.api
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "publishing", "wang.fang", {**DRAFT, "title": title})
    to_publish(api, case, served.profile)
    clock.set(published_at)
    published = {"published_on": published_at[:10], "published_url": "https://example.gov.cn/1.html"}
    case = act(api, case, "publish", "xu.ming", published)
    news = next(c for c in case["deadlines"] if c["name"] == "publishing.news")
    assert (news["status"], news["on_time"]) == ("met", False)
    return case


def sweep(served, moment: str) -> int:
    """The sweep's opening job at `moment`: how many requests to explain it opened (the profile's
    recurring duties open beside them)."""
    before = len(explanations(served))
    with served.app.app_context():
        scheduled.open_due(datetime.fromisoformat(moment))
    return len(explanations(served)) - before


def explanations(served) -> list[int]:
    """The cases the sweep opened to ask for an explanation, oldest first."""
    from sqlalchemy import select

    from service.extensions import db
    from service.models import ScheduledCase

    with served.app.app_context():
        query = select(ScheduledCase.instance_id).where(ScheduledCase.source == "late_streak")
        return list(db.session.scalars(query.order_by(ScheduledCase.id)))


def test_stat2_the_third_late_submission_in_a_row_asks_the_department_to_explain_once(xingning, clock):
    """Does the third late item of 规划处 in a row open one 情况说明 task for its head, and a fourth open none?"""
    late_item(xingning, clock, "第一条", "2026-03-06T01:00:00+00:00")
    late_item(xingning, clock, "第二条", "2026-03-06T02:00:00+00:00")
    assert sweep(xingning, "2026-03-06T02:30:00+00:00") == 0
    third = late_item(xingning, clock, "第三条", "2026-03-06T03:00:00+00:00")
    assert sweep(xingning, "2026-03-06T03:05:00+00:00") == 1
    assert sweep(xingning, "2026-03-06T03:10:00+00:00") == 0  # the next sweep opens nothing more
    [case] = explanations(xingning)
    case = view(xingning.api, case)
    task = open_task(xingning.api, case, "liu.yang")
    assert (task["name"], task["department"]["code"], task["role"]) == (
        "说明连续迟报情况",
        "planning",
        "section_head",
    )
    summary = case["data"]["late_summary"].splitlines()
    assert [line.split("《")[1].split("》")[0] for line in summary] == ["第一条", "第二条", "第三条"]
    assert (
        summary[2].startswith(third["tracking_number"]) and "应于2026-03-04前发布，迟2个工作日" in summary[2]
    )
    opened = [e["details"]["label"] for e in case["history"] if e["kind"] == "opened_on_schedule"]
    assert opened == ["规划处报送信息连续3次不及时（STAT-2，002 §40）"]

    late_item(xingning, clock, "第四条", "2026-03-06T04:00:00+00:00")
    assert sweep(xingning, "2026-03-06T04:05:00+00:00") == 0  # a new run needs three new late items


def test_stat2_the_head_explains_and_the_office_reviews(xingning, clock):
    """Can the office send an explanation back, and does the case end once it accepts the second one?"""
    for hour in (1, 2, 3):
        late_item(xingning, clock, f"第{hour}条", f"2026-03-06T0{hour}:00:00+00:00")
    sweep(xingning, "2026-03-06T03:05:00+00:00")
    [case] = explanations(xingning)
    api = xingning.api
    said = {"explanation": "信息员调岗，交接不及时。", "measures": "已指定专人报送，每周一检查。"}
    act(api, case, "explain_as_head", "liu.yang", said)
    act(
        api,
        case,
        "review_explanation",
        "li.na",
        {"review_decision": "again", "review_comment": "请说明具体原因"},
    )
    act(api, case, "explain_as_head", "liu.yang", said)
    case = act(api, case, "review_explanation", "li.na", {"review_decision": "accepted"})
    assert case["status"] == "completed"


def test_stat2_a_profile_without_the_rule_asks_nobody(app, api, clock):
    """Under national (no late_streak), do three late items in a row open nothing?"""
    national = serve("national", api, app, None)
    for hour in (1, 2, 3):
        clock.set("2026-03-02T01:00:00+00:00")
        case = flows.start(api, "publishing", "wang.fang", {**DRAFT, "formed_on": "2026-02-02"})
        to_publish(api, case)
        clock.set(f"2026-03-06T0{hour}:00:00+00:00")
        act(
            api,
            case,
            "publish",
            "xu.ming",
            {"published_on": "2026-03-06", "published_url": "https://example.gov.cn/1.html"},
        )
    assert sweep(national, "2026-03-06T04:00:00+00:00") == 0
    assert explanations(national) == []


def test_stat2_the_task_page_shows_which_items_were_late(xingning, clock):
    """Does the head see on the task page which items were late, by how much, and that the system asked?"""
    for hour in (1, 2, 3):
        late_item(xingning, clock, f"第{hour}条<b>", f"2026-03-06T0{hour}:00:00+00:00")
    sweep(xingning, "2026-03-06T03:05:00+00:00")
    [case] = explanations(xingning)
    task = open_task(xingning.api, case, "liu.yang")
    html = logged_in(xingning.app, "liu.yang").text(f"/tasks/{task['id']}")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "说明连续迟报情况" in text and "迟报的信息" in text
    assert "《第3条&lt;b&gt;》：应于2026-03-04前发布，迟2个工作日" in html  # typed text stays text
    case_page = logged_in(xingning.app, "liu.yang").text(f"/cases/{case}")
    assert "系统按期发起" in case_page and "规划处报送信息连续3次不及时" in case_page
