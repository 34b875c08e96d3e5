"""发起 in the browser (issue 11): the flows a person may start, each start form built from its diagram,
Chinese messages beside the fields, and the drafter taken straight to the next step that is theirs.

national profile; the clock stands at Mon 2 Mar 2026 09:00 Beijing.
"""

from __future__ import annotations

import re

import pytest

from tests.service.pages import logged_in, page_text
from tests.unit.test_publishing_flow import DRAFT


@pytest.fixture
def morning(clock):
    clock.set("2026-03-02T01:00:00+00:00")


def _form(data: dict) -> dict:
    """The JSON start data as a browser posts it (booleans as true/false, lists as repeated names)."""
    return {k: ("true" if v else "false") if isinstance(v, bool) else v for k, v in data.items()}


def test_pub1_a_planning_officer_sees_publishing_among_the_flows_she_may_start(app, morning):
    """Does 王芳 (规划处信息员) find 信息发布 on 发起, and does the page lead to its start form?"""
    wang = logged_in(app, "wang.fang")
    text = wang.text("/start")
    assert "信息发布" in text
    form = wang.text("/start/publishing")
    assert 'name="title"' in form and "标题" in form and "（必填）" in form
    assert 'name="csrf_token"' in form
    # national offers no interviews: the interview's host unit is not asked, and no hint names a code
    assert 'name="host_department"' not in form and "interview" not in form
    assert 'name="interpretation_title"' in form  # asked when the item is a policy, which national offers


def test_pub1_starting_an_item_opens_the_drafters_first_step_or_the_case(app, morning):
    """Does 王芳's submitted item get a tracking number, and does the page go on to what she does next?"""
    wang = logged_in(app, "wang.fang")
    response = wang.submit("/start/publishing", data=_form(DRAFT))
    assert response.status_code == 302
    target = response.headers["Location"]
    assert re.search(r"/(tasks|cases)/\d+$", target)
    landed = wang.get(target)
    text = page_text(landed)
    assert "已发起“信息发布”，受理编号" in text
    assert DRAFT["title"] in text


def test_pub1_a_missing_title_is_said_in_chinese_beside_the_field_and_nothing_is_started(app, morning):
    """Does a start form without 标题 come back with the message next to 标题 and the typed text kept?"""
    wang = logged_in(app, "wang.fang")
    data = {k: v for k, v in _form(DRAFT).items() if k != "title"}
    response = wang.submit("/start/publishing", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="field-title-error"' in html
    assert DRAFT["body"] in html  # what was typed is still there
    assert _case_count(app) == 0


def _case_count(app) -> int:
    from sqlalchemy import func, select

    from service.extensions import db
    from service.models import ProcessInstance

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProcessInstance))


def test_a_flow_one_may_not_start_is_not_offered_and_its_form_is_not_found(app, morning):
    """Is a flow outside one's lane absent from 发起, and is its address a 404, not a form?"""
    wang = logged_in(app, "wang.fang")
    offered = set(re.findall(r'href="/start/([a-z_]+)"', wang.text("/start")))
    assert "publishing" in offered and "petition" not in offered  # 信访 is 信访处's to register
    assert wang.get("/start/petition").status_code == 404
    assert wang.get("/start/no_such_flow").status_code == 404


def test_the_start_pages_need_a_login(app):
    """Is someone without a session sent to log in?"""
    response = app.test_client().get("/start/publishing")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
