"""The public side in the browser (issue 13, REQ-1, REQ-5): a citizen with no account submits a
disclosure request and a letter to the leader mailbox through the pages and sees the codes; every
public page passes axe-core with no serious or critical violation.

Mon 2 Mar 2026 09:00 Beijing.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import accessible, field

ANSWER = "KKKK"


pytestmark = pytest.mark.usefixtures("known_challenge")


def test_req1_a_citizen_submits_a_request_and_a_letter_and_keeps_the_codes(open_page):
    """Can a citizen reach each form from the home page, be told in Chinese what is missing, submit
    a disclosure request and a letter, and see a tracking number and query code for each, with
    every public page free of serious accessibility faults (phone width too)?"""
    page = open_page()
    page.goto("/public/")
    accessible(page, "public-home")
    for title in ("在线咨询", "网上信访与投诉", "网站纠错"):
        page.get_by_role("link", name=re.compile(title)).click()
        assert page.get_by_role("heading", name=title).is_visible()
        accessible(page, f"public-form-{title}")
        page.go_back()

    page.get_by_role("link", name=re.compile("政府信息公开申请")).click()
    accessible(page, "public-disclosure-form")
    field(page, "申请人类型").select_option(label="公民")
    field(page, "申请人姓名").fill("王小明")
    page.get_by_role("button", name="提交").click()
    alert = page.get_by_role("alert")
    assert "需要修改" in alert.inner_text() and "请填写“身份证件号码”" in alert.inner_text()
    assert field(page, "申请人姓名").input_value() == "王小明"  # what was typed is kept
    assert field(page, "身份证件号码").get_attribute("aria-invalid") == "true"
    accessible(page, "public-disclosure-errors")

    field(page, "身份证件类型").select_option(label="居民身份证")
    field(page, "身份证件号码").fill("110101199001011234")
    field(page, "联系方式").fill("13800000000")
    field(page, "所需信息内容描述").fill("请公开2025年建设用地规划许可证发放目录")
    field(page, "获取信息的方式").select_option(label="电子邮件")
    field(page, "验证码：图中的4个字符或算题的答案").fill(ANSWER.lower())
    page.get_by_role("button", name="提交").click()
    assert page.get_by_role("heading", name="已提交").is_visible()
    facts = page.locator("dl.facts").inner_text()
    assert re.search(r"GK-2026-\d{8}", facts) and re.search(r"([0-9A-Z]{4}-){4}[0-9A-Z]{4}", facts)
    accessible(page, "public-disclosure-done")

    phone = open_page(375, 800)
    phone.goto("/public/mailbox/new")
    accessible(phone, "public-mailbox-form-phone")
    field(phone, "来信人姓名").fill("李四")
    field(phone, "联系方式（手机号码或电子邮箱）").fill("li.si@example.cn")
    field(phone, "来信标题").fill("小区路灯不亮")
    field(phone, "来信内容").fill("东区三号路的路灯已坏一个月。")
    field(phone, "来信人是否同意公开").select_option(label="同意公开")
    field(phone, "验证码：图中的4个字符或算题的答案").fill(ANSWER)
    phone.get_by_role("button", name="提交").click()
    assert re.search(r"LX-2026-\d{8}", phone.locator("dl.facts").inner_text())
    accessible(phone, "public-mailbox-done-phone")

    page.goto("/public/no-such-form/new")
    accessible(page, "public-not-found")
