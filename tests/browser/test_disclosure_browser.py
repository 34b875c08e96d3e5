"""One information-disclosure request from the counter to the reply, in the browser (issue 11,
REQ-1, REQ-2, NAT-1, national profile): 张伟 registers it on 发起 and in 登记申请; 王芳 drafts the
reply; 刘洋 sends it back with his opinion, and 王芳 finds the opinion and her earlier answer on the
redo; 刘洋 and 李娜 approve it; 张伟 sends it. The reply is in time and the case is finished.

Mon 2 Mar 2026 09:00 Beijing.
"""

from __future__ import annotations

from tests.browser.conftest import field, log_in, screenshot, signed_in, work


def test_req1_req2_a_request_registered_at_the_counter_is_answered_in_time_after_one_return(clock, open_page):
    """Does a request go from 发起 to 发送答复 through each person's inbox, with the section head's
    return shown to the drafter and the reply deadline kept?"""
    clock.set("2026-03-02T01:00:00+00:00")
    page = signed_in(open_page, "zhang.wei", "/start")
    page.get_by_role("link", name="依申请公开").click()
    field(page, "申请人类型").select_option(label="公民")
    field(page, "申请人姓名").fill("王小明")
    field(page, "身份证件类型").select_option(label="居民身份证")
    field(page, "身份证件号码").fill("110101199001011234")
    field(page, "联系方式").fill("13800000000")
    field(page, "所需信息内容描述").fill("请公开2025年建设用地规划许可证发放目录")
    field(page, "获取信息的方式").select_option(label="纸质文本（邮寄）")
    field(page, "申请渠道").select_option(label="当面申请")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/tasks/*")  # 登记申请 is his own next step: he lands on it
    tracking = page.locator(".flash").inner_text().split("受理编号")[1].strip()
    assert page.get_by_role("heading", name="登记申请", exact=True).is_visible()

    register = {
        "承办处室": "规划处",
        "收到申请日期": "2026-03-02",
        "登记结论": "申请内容明确，交承办处室办理",
    }
    work(open_page, "zhang.wei", tracking, "登记申请", register)
    draft = {"办理方式": "提交答复审核", "答复类型": "予以公开", "答复内容": "所申请的目录见附件。"}
    work(open_page, "wang.fang", tracking, "起草答复", draft)
    back = {"审核意见": "退回修改", "审核说明": "请写明目录所含许可证的年份范围"}
    work(open_page, "liu.yang", tracking, "处室负责人审核", back)

    wang = open_page()
    wang.goto("/login?next=/inbox")
    log_in(wang, "wang.fang")
    wang.locator("tr", has_text=tracking).get_by_role("link", name="起草答复").click()
    rework = wang.locator(".rework").inner_text()
    assert "刘洋" in rework and "请写明目录所含许可证的年份范围" in rework
    assert field(wang, "答复内容").input_value() == "所申请的目录见附件。"  # her answer, to edit
    screenshot(wang, "disclosure-redraft")
    work(open_page, "wang.fang", tracking, "起草答复", {"答复内容": "所申请的2025年度目录见附件。"})
    work(open_page, "liu.yang", tracking, "处室负责人审核", {"审核意见": "同意"})
    work(open_page, "li.na", tracking, "公开办负责人审批", {"审批意见": "同意"})
    zhang = work(
        open_page, "zhang.wei", tracking, "发送答复", {"送达方式": "当面领取", "送达日期": "2026-03-02"}
    )

    zhang.goto(f"/cases?q={tracking}")
    zhang.get_by_role("link", name=tracking).click()
    text = zhang.locator("main").inner_text()
    assert "已办结" in text and "按期办结" in text
    screenshot(zhang, "disclosure-replied")
