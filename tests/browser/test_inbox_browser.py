"""The inbox in a real browser (issue 11): 张伟 logs in and finds the request waiting for him, with
its deadline in words, on a desktop screen and on a 375 px phone."""

from __future__ import annotations

from tests.browser.conftest import fits, screenshot, signed_in
from tests.service import flows
from tests.service.test_disclosure_api import START


def test_req1_zhang_wei_finds_the_new_request_first_in_his_inbox_with_its_deadline_in_words(
    api, clock, open_page
):
    """Registered Mon 2 Mar 2026 09:00, is 登记申请 waiting for 张伟 with 今日到期 (disclosure.registration: 1 working day, due Tue 3 Mar), and still readable on a phone?"""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "disclosure_request", "zhang.wei", START)
    clock.set("2026-03-03T01:00:00+00:00")  # Tue 09:00 Beijing: the registration is due tonight
    page = signed_in(open_page, "zhang.wei", "/inbox")
    row = page.locator("tr", has_text=case["tracking_number"])
    assert "登记申请" in row.inner_text() and "今日到期" in row.inner_text()
    assert page.locator(".inbox-tabs a.current").inner_text().startswith("待我办理")
    screenshot(page, "inbox-desktop")
    phone = signed_in(open_page, "zhang.wei", "/inbox", 375, 740)
    assert case["tracking_number"] in phone.locator("main").inner_text()
    # On a phone each row is a card whose lines say what they are, not a squeezed table.
    assert not phone.locator(".inbox-list thead").is_visible()
    assert phone.locator(".inbox-tabs li").first.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    screenshot(phone, "inbox-375")
    assert fits(phone)
