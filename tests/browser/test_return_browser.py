"""退回 in a real browser (issue 11): the leader in charge, reviewing an important news item, sends it
back past the section head's review to the drafter's revision; the drafter finds it in her inbox
saying who sent it back and why, her revision filled in; at desktop width and at 375 px."""

from __future__ import annotations

from tests.browser.conftest import fits, log_in, screenshot, signed_in
from tests.service import flows
from tests.service.flows import act, open_task
from tests.unit.test_publishing_flow import APPROVE, DRAFT

REVISED = {
    **{k: DRAFT[k] for k in ("column", "source", "body")},
    "title": "我局召开城市更新工作推进会（修改稿）",
    "revision_note": "按处室意见修改标题",
}


def at_the_leaders_review(api, clock):
    """An important item of 规划处 drafted by 王芳, sent back once by 刘洋 through the diagram's own 退回修改,
    revised, approved by him: 分管领导审核 waits for 赵磊."""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "publishing", "wang.fang", {**DRAFT, "importance": "important"})
    back = {"secrecy_decision": "public_ok", "review_decision": "return", "review_comment": "标题不够准确"}
    act(api, case, "review_section", "liu.yang", back)
    act(api, case, "revise_item", "wang.fang", REVISED)
    return act(api, case, "review_section", "liu.yang", {**APPROVE, "importance": "important"})


def test_the_leader_in_charge_returns_an_item_to_the_drafters_revision(api, clock, open_page):
    """赵磊 chooses 修改稿件（规划处 · 王芳） with a reason; does 王芳 get 修改稿件 back with 退回重办 saying
    赵磊（分管领导审核） sent it and why, and her revised title filled in?"""
    case = at_the_leaders_review(api, clock)
    review = open_task(api, case)
    assert review["task_spec"] == "review_leader"
    clock.set("2026-03-03T02:00:00+00:00")
    page = signed_in(open_page, "zhao.lei", f"/tasks/{review['id']}")
    page.get_by_text("退回到前序步骤").click()
    page.get_by_label("退回到").select_option(label="修改稿件（规划处 · 王芳）")
    page.get_by_label("退回理由").fill("导语应写明会议时间和参会单位")
    screenshot(page, "return-choose-step")
    page.get_by_role("button", name="退回", exact=True).click()
    page.wait_for_url("**/inbox")
    assert "已退回到“修改稿件”，由王芳重新办理" in page.locator(".flash").inner_text()

    wang = open_page()
    wang.goto("/login?next=/inbox%3Ftab%3Dmine")
    log_in(wang, "wang.fang")
    wang.wait_for_url("**/inbox?tab=mine")
    wang.locator("tr", has_text=case["tracking_number"]).get_by_role("link", name="修改稿件").click()
    wang.wait_for_url("**/tasks/*")
    rework = wang.locator(".rework").inner_text()
    assert "退回重办" in rework and "赵磊（分管领导审核）于 2026-03-03 10:00 退回到本步骤" in rework
    assert "导语应写明会议时间和参会单位" in rework
    assert wang.locator("#field-title").input_value() == REVISED["title"]
    screenshot(wang, "return-reopened-desktop")
    phone = signed_in(open_page, "wang.fang", wang.url.replace(wang.url.split("/tasks/")[0], ""), 375, 740)
    assert phone.locator(".rework").is_visible()
    screenshot(phone, "return-reopened-375")
    assert fits(phone)
