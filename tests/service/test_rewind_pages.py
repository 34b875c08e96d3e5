"""退回 and 撤回 on the task page (issue 11): the forms only for those the use cases let act, their
refusals beside the field, and the reopened step saying who sent it back or took it back, and why.

A general news item of 规划处 (national), drafted Mon 2 Mar 2026: reviewed by 刘洋, laid out by 徐明,
proofread by its drafter 王芳; 二校 waits for 刘洋.
"""

from __future__ import annotations

import pytest

from tests.service import flows
from tests.service.flows import open_task, view
from tests.service.pages import logged_in, page_text
from tests.service.test_withdraw_api import proofread
from tests.unit.test_publishing_flow import DRAFT


@pytest.fixture
def person(app):
    return lambda username: logged_in(app, username)


def test_the_reviewer_sends_the_item_back_to_the_drafters_proofreading_from_the_page(api, clock, person):
    """刘洋 opens 二校: is 退回 offered with the steps done so far; sent back to 一校 with a reason, does
    王芳 find 一校 in her inbox saying 刘洋 sent it back from 二校 and why, with her answer filled in?"""
    case, _ = proofread(api, clock)
    task = open_task(api, case)
    liu = person("liu.yang")
    html = liu.text(f"/tasks/{task['id']}")
    assert "退回到前序步骤" in html and 'action="/tasks/{}/return"'.format(task["id"]) in html
    assert '<option value="proof_officer">一校（规划处 · 王芳）</option>' in html
    assert '<option value="layout">排版（信息中心 · 徐明）</option>' in html
    assert '<option value="review_section">保密审查及复审（规划处 · 刘洋）</option>' in html
    clock.set("2026-03-03T02:00:00+00:00")
    sent = liu.submit(
        f"/tasks/{task['id']}",
        f"/tasks/{task['id']}/return",
        {"to": "proof_officer", "reason": "第二段数字与原文不符"},
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/inbox")
    assert "已退回到“一校”，由王芳重新办理" in page_text(liu.get("/inbox"))
    reopened = open_task(api, case)
    assert (reopened["task_spec"], reopened["assignee"]["username"]) == ("proof_officer", "wang.fang")
    wang = person("wang.fang")
    assert "一校" in page_text(wang.get("/inbox?tab=mine"))
    html = wang.text(f"/tasks/{reopened['id']}")
    text = page_text(wang.get(f"/tasks/{reopened['id']}"))
    assert "退回重办" in text and "刘洋（二校）于 2026-03-03 10:00 退回到本步骤" in text
    assert "退回理由 第二段数字与原文不符" in text and "表单已按上次的办理填好" in text
    assert '<option value="ok" selected>' in html
    history = page_text(wang.get(f"/cases/{case['id']}"))
    assert "刘洋 退回 二校；退回至“一校”；第二段数字与原文不符" in history


def test_a_return_without_a_reason_is_refused_beside_the_field_keeping_the_choice(api, clock, person):
    """Is 退回 without a reason answered on the page (422) with 请填写退回理由 under the reason, the
    chosen step still chosen, and the task still 刘洋's to do?"""
    case, _ = proofread(api, clock)
    task = open_task(api, case)
    liu = person("liu.yang")
    refused = liu.submit(
        f"/tasks/{task['id']}", f"/tasks/{task['id']}/return", {"to": "layout", "reason": " "}
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert '<p class="field-error" id="return-reason-error">请填写退回理由</p>' in html
    assert '<option value="layout" selected>' in html and '<details class="op op-rewind" open>' in html
    both = liu.submit(f"/tasks/{task['id']}", f"/tasks/{task['id']}/return", {"to": "", "reason": ""})
    html = both.get_data(as_text=True)
    assert '<p class="field-error" id="return-to-error">请选择可以退回的步骤</p>' in html
    assert '<p class="field-error" id="return-reason-error">请填写退回理由</p>' in html
    assert open_task(api, case)["id"] == task["id"]


def test_the_return_form_is_only_for_those_who_may_complete_the_task(api, clock, person):
    """Does 王芳 (the drafter, barred from 二校) see no 退回 form, 张伟 of another department get 任务不存在
    for a hand-made post, and the first review (nothing done before it) offer no 退回?"""
    case, _ = proofread(api, clock)
    task = open_task(api, case)
    assert "退回到前序步骤" not in person("wang.fang").text(f"/tasks/{task['id']}")
    zhang = person("zhang.wei")
    posted = zhang.submit("/inbox", f"/tasks/{task['id']}/return", {"to": "layout", "reason": "x"})
    assert posted.status_code == 404 and "任务不存在" in page_text(posted)
    first = open_task(api, flows.start(api, "publishing", "wang.fang", DRAFT))
    assert "退回到前序步骤" not in person("liu.yang").text(f"/tasks/{first['id']}")


def test_the_drafter_withdraws_her_proofreading_from_her_handled_list(api, clock, person):
    """王芳 finds 一校 under 已办, opens it and sees 撤回; withdrawn with a reason, is she taken to 一校
    open again, the page saying she took it back and why?"""
    case, done = proofread(api, clock)
    wang = person("wang.fang")
    handled = wang.text("/inbox?tab=done")
    assert f'<a href="/tasks/{done["id"]}">一校</a>' in handled
    html = wang.text(f"/tasks/{done['id']}")
    assert "撤回本步骤" in html and f'action="/tasks/{done["id"]}/withdraw"' in html
    clock.set("2026-03-02T03:00:00+00:00")
    response = wang.submit(f"/tasks/{done['id']}", f"/tasks/{done['id']}/withdraw", {"reason": "漏看了附件"})
    reopened = open_task(api, case)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tasks/{reopened['id']}")
    text = page_text(wang.get(f"/tasks/{reopened['id']}"))
    assert "已撤回“一校”，请重新办理" in text and "撤回重办" in text
    assert "王芳于 2026-03-02 11:00 撤回了本步骤的办理" in text and "撤回理由 漏看了附件" in text
    old_round = page_text(wang.get(f"/tasks/{done['id']}"))
    assert "撤回本步骤" not in old_round and "王芳（已撤回）" in old_round
    assert "该步骤已由办理人撤回，重新打开办理。" in old_round


def test_once_the_section_head_opened_the_next_task_withdrawal_is_no_longer_offered(api, clock, person):
    """刘洋 opens 二校 on his page: does 王芳's 一校 page stop offering 撤回, and a post anyway say why?"""
    case, done = proofread(api, clock)
    wang = person("wang.fang")
    assert "撤回本步骤" in wang.text(f"/tasks/{done['id']}")
    person("liu.yang").text(f"/tasks/{open_task(api, case)['id']}")
    assert "撤回本步骤" not in wang.text(f"/tasks/{done['id']}")
    refused = wang.submit(f"/tasks/{done['id']}", f"/tasks/{done['id']}/withdraw", {"reason": ""})
    assert refused.status_code == 302
    assert "后续步骤“二校”的办理人已查看，不能撤回" in page_text(wang.get(f"/tasks/{done['id']}"))
    assert [t["task_spec"] for t in view(api, case)["open_tasks"]] == ["proof_section"]
