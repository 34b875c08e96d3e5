"""审批意见 and 会签 on the task page and the case page (issue 11).

national profile; the clock starts Mon 2 Mar 2026 09:00 Beijing and is moved an hour per step.
"""

from __future__ import annotations

import re

from tests.service import flows
from tests.service.flows import act, open_task
from tests.service.pages import logged_in, page_text
from tests.service.test_inbox_api import registered
from tests.service.test_opinions_api import co_task, joint, reviewed, revised

SCRIPT = "<script>alert(1)</script>"


def section(html: str, heading_id: str) -> str:
    """The text of the section a heading opens (up to the next section)."""
    found = re.search(rf'id="{heading_id}".*?</section>', html, re.S)
    assert found, heading_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))


def test_org4_the_task_page_lists_the_steps_and_opinions_in_order(app, api, clock):
    """李娜 opens 办公室审批: 登记申请 with its verdict, 起草答复 (no opinion), then 刘洋's 同意 with his two lines kept apart?"""
    case = reviewed(api, clock)
    task = open_task(api, case)
    html = logged_in(app, "li.na").text(f"/tasks/{task['id']}")
    steps = section(html, "steps-head")
    first = steps.index("登记申请 办公室 · 张伟 · 2026-03-02 09:00 结论 申请内容明确，交承办处室办理")
    second = steps.index("起草答复 规划处 · 王芳 · 2026-03-02 10:00")
    third = steps.index(
        "处室负责人审核 规划处 · 刘洋 · 2026-03-02 11:00 结论 同意 意见 同意公开。 请按期答复申请人。"
    )
    assert first < second < third
    assert (
        '<dd class="opinion-text">同意公开。\n请按期答复申请人。</dd>' in html
    )  # shown on two lines (pre-line)
    assert "会签情况" not in html  # no parallel step here


def test_esc3_a_transfer_reason_shows_as_its_own_line_and_typed_markup_stays_text(app, api, clock):
    """王芳 transfers with a reason holding a script tag: does 陈静's page show 转办理由 · 转办至法规处 and the tag as text?"""
    case = registered(api, "2026-03-02")
    task = open_task(api, case)
    clock.advance(hours=1)
    body = {"department": "legal", "reason": f"属法规处职责{SCRIPT}"}
    assert api.post(f"/tasks/{task['id']}/transfer", "wang.fang", body).status_code == 200
    html = logged_in(app, "chen.jing").text(f"/tasks/{task['id']}")
    steps = section(html, "steps-head")
    assert "起草答复 转办理由 规划处 · 王芳 · 2026-03-02 10:00 结论 转办至法规处" in steps
    assert "属法规处职责&lt;script&gt;alert(1)&lt;/script&gt;" in html and SCRIPT not in html


def test_org4_the_case_page_shows_the_opinions_in_order_or_says_there_are_none(app, api, clock):
    """张伟 opens the reviewed case: 审批意见 lists 登记申请 then 处室负责人审核; a case just started says 本案尚无审批意见?"""
    case = reviewed(api, clock)
    zhang = logged_in(app, "zhang.wei")
    said = section(zhang.text(f"/cases/{case['id']}"), "opinions-heading")
    assert said.index("登记申请 办公室 · 张伟") < said.index(
        "处室负责人审核 规划处 · 刘洋 · 2026-03-02 11:00 结论 同意"
    )
    assert "起草答复" not in said  # the case page lists opinions only
    fresh = flows.start_disclosure(api)
    assert "本案尚无审批意见。" in section(zhang.text(f"/cases/{fresh['id']}"), "opinions-heading")


def test_pub12_the_co_departments_task_page_shows_who_has_signed(app, api, clock):
    """陈静 confirms for 法规处: does 李娜's task show 已签 1/2, 法规处 · 已签 · 陈静 · time · opinion, and 办公室 · 待签 · 本任务?"""
    case = joint(api, clock)
    office = co_task(api, case, "office")
    clock.advance(hours=1)
    answer = {"co_decision": "confirm", "co_comment": f"数据已核对{SCRIPT}"}
    act(api, case, "co_confirm", "chen.jing", answer, department="legal")
    html = logged_in(app, "li.na").text(f"/tasks/{office['id']}")
    signed = section(html, "countersign-head")
    assert "联合发布处室确认 已签 1/2" in signed
    assert "法规处 已签 人员 陈静 时间 2026-03-02 10:00 结论 确认稿件内容 意见 数据已核对" in signed
    assert "办公室 待签 本任务 人员 待签收" in signed
    assert "数据已核对&lt;script&gt;" in html and SCRIPT not in html


def test_pub12_the_case_page_shows_every_round_of_the_countersign(app, api, clock):
    """办公室 returns, 王芳 revises: does the case page show round 1 (both signed) and 第2轮 (both waiting)?"""
    case = joint(api, clock)
    act(api, case, "co_confirm", "chen.jing", {"co_decision": "confirm"}, department="legal")
    back = {"co_decision": "return", "co_comment": "标题须写明会议名称"}
    act(api, case, "co_confirm", "li.na", back, department="office")
    case = act(api, case, "revise_item", "wang.fang", revised())
    signed = section(logged_in(app, "wang.fang").text(f"/cases/{case['id']}"), "countersign-heading")
    first, second = signed.split("联合发布处室确认（第2轮）")
    assert "已签 2/2" in first and "不同意，退回牵头处室修改 意见 标题须写明会议名称" in first
    assert "已签 0/2 法规处 待签 人员 待签收 办公室 待签 人员 待签收" in second


def test_a_person_who_may_not_see_the_case_gets_no_opinions_on_any_page(app, api, clock):
    """陈静 (法规处, not involved) opening the case or its task: not found, no opinion shown?"""
    case = reviewed(api, clock)
    chen = logged_in(app, "chen.jing")
    for path in (f"/cases/{case['id']}", f"/tasks/{open_task(api, case)['id']}"):
        response = chen.get(path)
        assert response.status_code == 404 and "同意公开" not in page_text(response)
