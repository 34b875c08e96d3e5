"""Issue 13's proof in the browser (REQ-1, REQ-5, MBX-3, MBX-4): a citizen writes to the leader
mailbox through the public form, staff take the letter through their own pages, and the citizen
reads the reply with the codes they were given, then finds it among the published replies. The
letter's title carries a script, which every page shows as text. Every public page is held to
axe-core.

Mon 2 Mar 2026 09:00 Beijing.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import accessible, field, screenshot, work

ANSWER = "KKKK"
TITLE = '<script>alert("x")</script>路灯不亮'
REPLY = "已安排城管部门于3月5日前修复东区三号路路灯。"


pytestmark = pytest.mark.usefixtures("known_challenge")


def submit_letter(page) -> tuple[str, str]:
    page.goto("/public/mailbox/new")
    field(page, "来信人姓名").fill("李四")
    field(page, "联系方式（手机号码或电子邮箱）").fill("13600000000")
    field(page, "来信标题").fill(TITLE)
    field(page, "来信内容").fill("东区三号路的路灯已坏一个月，夜里行人看不清路。")
    field(page, "来信人是否同意公开").select_option(label="同意公开")
    field(page, "验证码：图中的4个字符或算题的答案").fill(ANSWER)
    page.get_by_role("button", name="提交").click()
    facts = page.locator("dl.facts").inner_text()
    number = re.search(r"LX-2026-\d{8}", facts).group(0)
    code = re.search(r"(?:[0-9A-Z]{4}-){4}[0-9A-Z]{4}", facts).group(0)
    return number, code


def look_up(page, number: str, code: str) -> None:
    page.goto("/public/track")
    field(page, "受理编号").fill(number)
    field(page, "查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/public/track")


def test_issue13_proof_a_letter_goes_from_the_public_form_through_staff_pages_to_its_published_reply(
    open_page,
):
    """Does the letter reach 信息中心's inbox, its script shown as text to staff, move through intake,
    dispatch, reply, review and publication on the staff pages, and does the citizen then read the
    stage on the way, the reply at the end, and find it published, with a wrong code showing nothing?"""
    citizen = open_page(375, 800)
    number, code = submit_letter(citizen)

    look_up(citizen, number, code)
    assert citizen.locator("#stage").inner_text() == "已收到来信，待初审"
    assert "李四" not in citizen.inner_text("main")  # the stage, not the letter
    accessible(citizen, "proof-status-received")

    intake = work(open_page, "xu.ming", number, "来信初审", {"初审意见": "有效来信，报送保密室"})
    intake.goto("/inbox?tab=done")
    intake.locator("tr", has_text=number).get_by_role("link").first.click()
    assert TITLE in intake.inner_text("main")
    screenshot(intake, "proof-staff-sees-script-as-text")
    dispatch = {
        "收文编号": "收〔2026〕9号",
        "承办处室": "规划处",
        "来信繁简": "一般来信",
        "分送日期": "2026-03-02",
    }
    work(open_page, "ma.li", number, "收文登记并分办", dispatch)
    reply = {"办理方式": "拟写答复", "答复内容": REPLY, "公开建议": "建议公开答复"}
    work(open_page, "wang.fang", number, "办理答复", reply)

    look_up(citizen, number, code)
    assert citizen.locator("#stage").inner_text() == "答复已拟定，正在审核"
    assert REPLY not in citizen.inner_text("main")  # not before it is approved and sent
    assert "王芳" not in citizen.inner_text("main")

    work(open_page, "liu.yang", number, "审核答复", {"审核意见": "同意答复"})
    publish = {"公开范围": "在网站公开来信和答复", "答复（上网）日期": "2026-03-02"}
    work(open_page, "xu.ming", number, "审核上网并答复来信人", publish)

    look_up(citizen, number, code)
    assert citizen.locator("#stage").inner_text() == "已办结"
    assert REPLY in citizen.inner_text("main")
    accessible(citizen, "proof-status-replied")

    citizen.goto("/public/replies")
    assert REPLY in citizen.inner_text("main") and TITLE in citizen.inner_text("main")
    accessible(citizen, "proof-published-replies")

    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    look_up(citizen, number, wrong)
    assert "受理编号或查询码不正确" in citizen.inner_text("main")
    assert REPLY not in citizen.inner_text("main") and TITLE not in citizen.inner_text("main")
    accessible(citizen, "proof-wrong-code")
