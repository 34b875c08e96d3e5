"""One important news item through 三审三校 in the browser (issue 11, PUB-1..8, national profile):
王芳 drafts it on 发起; 刘洋 (section head) and 赵磊 (leader in charge) review it; 徐明 lays it out; the
three proofreads go to 王芳, 刘洋 and 赵磊; 徐明 publishes it. Each works only from their own inbox.

Mon 2 Mar 2026 09:00 Beijing; nothing is late.
"""

from __future__ import annotations

from tests.browser.conftest import field, screenshot, signed_in, work


def test_pub1_to_pub8_an_important_item_is_reviewed_three_times_and_proofread_three_times(clock, open_page):
    """Does an important item drafted in the browser reach publication through each reviewer's and
    proofreader's inbox, with every step and opinion on the case page at the end?"""
    clock.set("2026-03-02T01:00:00+00:00")
    page = signed_in(open_page, "wang.fang", "/start")
    page.get_by_role("link", name="信息发布").click()
    field(page, "信息类型").select_option(label="新闻动态")
    field(page, "标题").fill("我局召开城市更新工作推进会")
    field(page, "发布栏目").fill("工作动态")
    field(page, "作者").fill("王芳")
    field(page, "联系电话").fill("0898-12345678")
    field(page, "信息来源（单位规范简称或原文出处）").fill("规划处")
    field(page, "信息形成日期").fill("2026-03-02")
    field(page, "正文").fill("3月2日，我局召开城市更新工作推进会，部署全年重点任务。")
    field(page, "重要程度").select_option(value="important")
    field(page, "是否规范性文件或重大决策").select_option(label="否")
    field(page, "稿件性质").select_option(value="original")
    screenshot(page, "publishing-start")
    page.get_by_role("button", name="提交").click()
    flash = page.locator(".flash").inner_text()
    assert "已发起“信息发布”，受理编号" in flash
    tracking = flash.split("受理编号")[1].strip()

    review = {
        "保密审查意见": "不涉密，可以公开",
        "复审意见": "同意",
        "重要程度（确认）": "重要（涉及群众切身利益、社会公共利益、需广泛知晓或权威数据）",
        "审核要点": "已逐项核对：合法合规、不涉密、时效、格式文字、栏目正确，无禁止发布内容，无公章签名红头等",
    }
    work(open_page, "liu.yang", tracking, "保密审查及复审", review)
    work(open_page, "zhao.lei", tracking, "分管领导审核", {"审核意见": "同意"})
    work(open_page, "xu.ming", tracking, "排版", {"排版预览地址": "https://example.gov.cn/preview/1"})
    work(open_page, "wang.fang", tracking, "一校", {"一校结果": "校对无误"})
    work(open_page, "liu.yang", tracking, "二校", {"二校结果": "校对无误"})
    work(open_page, "zhao.lei", tracking, "三校", {"三校结果": "校对无误"})
    xu = work(
        open_page,
        "xu.ming",
        tracking,
        "发布",
        {"发布日期": "2026-03-02", "发布网址": "https://example.gov.cn/xw/1.html"},
    )

    xu.goto(f"/cases?q={tracking}")
    xu.get_by_role("link", name=tracking).click()
    xu.wait_for_url("**/cases/*")
    text = xu.locator("main").inner_text()
    for step in ("保密审查及复审", "分管领导审核", "排版", "一校", "二校", "三校", "发布"):
        assert step in text, step
    for person in ("王芳", "刘洋", "赵磊", "徐明"):
        assert person in text, person
    assert "交规划处（处室负责人）" in text and "泳道" not in text  # where each step went, in plain words
    xu.locator(".case-diagram.drawn").wait_for()
    before = xu.evaluate("document.querySelector('#case-diagram svg g.viewport').getAttribute('transform')")
    xu.get_by_role("button", name="放大").click()
    after = xu.evaluate("document.querySelector('#case-diagram svg g.viewport').getAttribute('transform')")
    assert after != before  # a diagram too large to read at fit size can be enlarged
    screenshot(xu, "publishing-case-published")
