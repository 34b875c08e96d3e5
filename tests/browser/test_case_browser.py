"""The case page in a real browser (issue 11): 张伟 opens the disclosure request he registered and
sees its diagram drawn by bpmn-js with 登记申请 finished and 起草答复 current, on a desktop screen
and on a 375 px phone."""

from __future__ import annotations

from tests.browser.conftest import fits, log_in, screenshot, signed_in
from tests.service import flows
from tests.service.test_disclosure_api import ACCEPT, START


def _keep_error(errors: list[str], message) -> None:
    # The browser's own favicon request (the site has none) is no error of this page.
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        errors.append(f"{message.text} {message.location.get('url', '')}")


def _drawn(page) -> None:
    page.wait_for_selector("#case-diagram.drawn svg")
    assert page.locator('.djs-element[data-element-id="register"].step-finished').count() == 1
    assert page.locator('.djs-element[data-element-id="draft_reply"].step-current').count() == 1
    assert page.locator('.djs-element[data-element-id="draft_reply"].step-overdue').count() == 0
    assert page.locator(".bjs-powered-by").is_visible()  # the bpmn.io watermark stays


def test_req2_zhang_wei_sees_the_registered_request_drawn_with_its_finished_and_current_steps(
    api, clock, open_page
):
    """Received and registered Mon 2 Mar 2026: 登记申请 marked finished, 起草答复 current, the reply due in 20 working days (剩余20个工作日)."""
    clock.set("2026-03-02T01:00:00+00:00")
    case = flows.start(api, "disclosure_request", "zhang.wei", START)
    flows.complete(api, flows.open_task(api, case)["id"], "zhang.wei", ACCEPT)
    path = f"/cases/{case['id']}"
    page = open_page()
    errors: list[str] = []
    page.on("console", lambda message: _keep_error(errors, message))
    page.goto(f"/login?next={path}")
    log_in(page)
    page.wait_for_url(f"**{path}")
    _drawn(page)
    assert "剩余20个工作日" in page.locator("main").inner_text()
    legend = page.locator(".diagram-legend").inner_text()
    assert "已完成" in legend and "正在办理" in legend and "已超期" in legend
    screenshot(page, "case-desktop")
    assert errors == []  # nothing the CSP refused, no script error
    phone = signed_in(open_page, "zhang.wei", path, 375, 740)
    _drawn(phone)
    screenshot(phone, "case-375")
    assert fits(phone)
