"""The inbox page, GET /inbox (issue 11): what an officer sees after logging in.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. A disclosure request registered as
received on Mon 2 Mar is due for its reply on Mon 30 Mar 24:00 (REQ-2: 20 working days); its
registration, one working day after arrival, on Tue 3 Mar 24:00.
"""

from __future__ import annotations

import re

import pytest

from tests.service import flows
from tests.service.flows import open_task
from tests.service.pages import logged_in, page_text
from tests.service.test_deadlines import sweep
from tests.service.test_inbox_api import registered


@pytest.fixture
def browser(app):
    """A browser session logged in through the log-in page as a demo user: browser("wang.fang")."""
    return lambda username: logged_in(app, username).client


def rows_of(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr class=\"inbox-row.*?</tr>", html, re.S)
    ]


def test_req2_wang_fang_sees_her_drafts_by_deadline_with_the_deadline_in_words(api, browser):
    """王芳 on Mon 2 Mar: the request received 26 Feb (due 25 Mar) above the one received 2 Mar (due 30 Mar), each in working days left."""
    later = registered(api, "2026-03-02", applicant="王小明")
    sooner = registered(api, "2026-02-26", applicant="李四")
    response = browser("wang.fang").get("/inbox")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    first, second = rows_of(response)
    # After Mon 2 Mar: 3-6, 9-13, 16-20, 23-25 Mar are 17 working days; to 30 Mar, 20.
    assert "起草答复" in first and sooner["tracking_number"] in first and "李四" in first
    assert "剩余17个工作日" in first
    assert later["tracking_number"] in second and "剩余20个工作日" in second
    assert "待签收" in first and "规划处" in first
    text = page_text(response)
    assert "待我办理 2" in text and "本处室 2" in text and "我的在办 0" in text and "已办 0" in text
    html = response.get_data(as_text=True)
    assert f'href="/tasks/{open_task(api, sooner)["id"]}"' in html


def test_esc1_overdue_and_escalated_rows_are_marked_in_words_and_class(app, api, browser, clock):
    """王芳 on Wed 1 Apr: the reply due Mon 30 Mar is 已超期2个工作日, marked 超期 and 已督办（第1级） by text, not colour alone."""
    registered(api, "2026-03-02")
    sweep(app, "2026-03-30T16:00:00+00:00")  # the deadline passes: raised to the section head
    clock.set("2026-04-01T02:00:00+00:00")
    response = browser("wang.fang").get("/inbox")
    (row,) = rows_of(response)
    assert "已超期2个工作日" in row and "超期" in row and "已督办（第1级）" in row
    html = response.get_data(as_text=True)
    assert re.search(r'<tr class="inbox-row overdue escalated">', html)
    assert 'class="mark mark-overdue"' in html and 'class="mark mark-escalated"' in html


def test_tabs_filters_and_the_done_tab(api, browser):
    """张伟: a filter narrows the rows, the done tab lists what he registered, and an empty filter says so in Chinese."""
    registered(api, "2026-03-02", applicant="王小明")
    waiting = flows.start(api, "disclosure_request", "zhang.wei", {**flows.START, "applicant_name": "李四"})
    zhang = browser("zhang.wei")
    (row,) = rows_of(zhang.get("/inbox"))
    assert waiting["tracking_number"] in row and "今日到期" not in row and "剩余1个工作日" in row
    done = zhang.get("/inbox?tab=done")
    (row,) = rows_of(done)
    assert "登记申请" in row and "王小明" in row and "2026-03-02 09:00" in row
    assert "已办 1" in page_text(done)
    assert len(rows_of(zhang.get("/inbox?tab=actionable&q=李四&process=disclosure_request"))) == 1
    empty = zhang.get("/inbox?tab=actionable&q=没有这个人")
    assert rows_of(empty) == [] and "没有符合筛选条件的任务" in page_text(empty)
    assert "这里暂时没有任务" in page_text(zhang.get("/inbox?tab=mine"))
    form = zhang.get("/inbox?q=李四").get_data(as_text=True)
    assert 'value="李四"' in form and '<label for="filter-q">' in form


def test_nobody_sees_another_departments_work(api, browser):
    """陈静 (法规处) sees none of 规划处's drafts on any tab, and a logged-out visitor gets no page."""
    case = registered(api, "2026-03-02")
    chen = browser("chen.jing")
    for tab in ("actionable", "mine", "department", "done"):
        response = chen.get(f"/inbox?tab={tab}")
        assert response.status_code == 200
        assert case["tracking_number"] not in response.get_data(as_text=True)
    anonymous = api.client.application.test_client().get("/inbox")
    assert anonymous.status_code in (302, 401)
    assert case["tracking_number"] not in anonymous.get_data(as_text=True)


def test_user_text_is_escaped_and_the_page_has_no_inline_script(api, browser):
    """An applicant called <script>…</script> shows as text; the page carries no inline script or style (CSP)."""
    flows.start(
        api, "disclosure_request", "zhang.wei", {**flows.START, "applicant_name": "<script>alert(1)</script>"}
    )
    response = browser("zhang.wei").get("/inbox")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "style=" not in html and "<style" not in html
    assert '<html lang="zh-CN">' in html


def test_pages_of_twenty(api, browser):
    """张伟 with 21 requests waiting sees 20, then the 21st on page 2, with links between."""
    for _ in range(21):
        flows.start_disclosure(api)
    zhang = browser("zhang.wei")
    first = zhang.get("/inbox")
    assert len(rows_of(first)) == 20 and "第 1 / 2 页" in page_text(first)
    assert 'rel="next" href="/inbox?page=2&amp;tab=actionable"' in first.get_data(as_text=True)
    second = zhang.get("/inbox?page=2")
    assert len(rows_of(second)) == 1 and "上一页" in page_text(second)


def test_a_bad_tab_is_refused_naming_it(browser):
    """A hand-made address with an unknown tab is a 400 page saying so in Chinese, naming tab, not an empty list."""
    response = browser("zhang.wei").get("/inbox?tab=everything")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert 'data-field="tab"' in response.get_data(as_text=True)
    assert "tab 只能是" in page_text(response)
