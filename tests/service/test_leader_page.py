"""The leader page /leader (issue 11): 待我签批, and 督办 by overseen department, each row one click from
its task; the 领导督办 link only for leaders.

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing. 赵磊 oversees 办公室, 保密室, 信息中心
and 规划处. A disclosure request registered Mon 2 Mar is due Mon 30 Mar 24:00 (REQ-2).
"""

from __future__ import annotations

import re

import pytest

from tests.service import flows
from tests.service.pages import Pages, logged_in, page_text
from tests.service.test_inbox_api import registered
from tests.service.test_leader_api import awaiting_signature


@pytest.fixture
def person(app):
    return lambda username: logged_in(app, username)


def test_the_link_is_shown_to_leaders_only(person):
    """赵磊 and 周强 see 领导督办 in the header; 王芳 does not, and /leader refuses her in Chinese (403)."""
    for leader in ("zhao.lei", "zhou.qiang"):
        assert 'href="/leader"' in person(leader).text("/inbox")
    wang = person("wang.fang")
    assert 'href="/leader"' not in wang.text("/inbox")
    refused = wang.get("/leader")
    assert refused.status_code == 403 and "领导督办页面仅供分管领导和主要领导使用" in page_text(refused)


def test_pro1_zhao_lei_finds_the_reply_to_sign_and_opens_it_in_one_click(api, clock, person):
    """审签答复 from 规划处 waits for 赵磊 with the proposal's title and its deadline in words; its row links to the task he may sign."""
    case = awaiting_signature(api, clock)
    sign = flows.open_task(api, case)
    zhao = person("zhao.lei")
    html = zhao.text("/leader")
    text = page_text(zhao.get("/leader"))
    assert "待我签批 1" in text
    assert re.search(r"审签答复 \S+ 关于优化城市更新审批流程的提案 周建华 规划处 待签收 剩余\d+", text), text
    assert f'href="/tasks/{sign["id"]}"' in html
    assert ">办理完成</button>" in zhao.text(f"/tasks/{sign['id']}")
    assert "暂无待您签批的事项" in page_text(person("sun.li").get("/leader"))


def test_esc1_an_overdue_planning_task_is_under_planning_and_opens_read_only(api, clock, person):
    """On Wed 1 Apr the reply due Mon 30 Mar is under 规划处 (超期 1), 已超期2个工作日; 赵磊 may open the task and look, not act."""
    case = registered(api, "2026-03-02")
    draft = flows.open_task(api, case)
    clock.set("2026-04-01T02:00:00+00:00")
    zhao = person("zhao.lei")
    html = zhao.text("/leader")
    text = page_text(zhao.get("/leader"))
    assert "规划处 超期 1 · 已督办 0" in text and "办公室 超期 0 · 已督办 0" in text
    planning = text.split("规划处 超期 1 · 已督办 0")[-1]
    assert "起草答复" in planning and "已超期2个工作日" in planning and "超期" in planning
    assert f'href="/tasks/{draft["id"]}"' in html
    task = page_text(zhao.get(f"/tasks/{draft['id']}"))
    assert "该任务由规划处的办理人员办理，您可以查看。" in task
    assert "您没有分管的处室" in page_text(person("zhou.qiang").get("/leader"))


def test_the_page_needs_a_login(app):
    response = Pages(app).get("/leader")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
