"""Every public channel in a browser (issue 13; REQ-1, REQ-5, MBX, PET-4, ERR-1): a citizen submits
each kind through its form, keeps the codes from the page, and — once staff have taken the case to
its reply (through the API here; test_public_proof_browser.py walks a letter through the staff
pages) — reads the reply on the status page, which axe-core finds free of serious faults.

Mon 2 Mar 2026 09:00 Beijing.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import accessible, field
from tests.service.flows import act
from tests.service.test_public_end_to_end import ROUTES, case_id
from tests.service.test_public_intake import CHANNELS as SUBMITTED

pytestmark = pytest.mark.usefixtures("known_challenge")


def fill(page, data: dict[str, str]) -> None:
    """Answer the form by its controls' names, choosing options by value."""
    for name, value in data.items():
        control = page.locator(f'[name="{name}"]')
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value=value)
        else:
            control.fill(value)


@pytest.mark.parametrize("channel", sorted(ROUTES))
def test_req1_req5_a_citizen_submits_each_kind_and_reads_its_reply(app, api, open_page, channel):
    """Does each form take the citizen's answers and the challenge, show a tracking number and a
    query code, and do those two later show the reply staff sent, with no accessibility fault?"""
    page = open_page(375, 800)
    page.goto(f"/public/{channel}/new")
    fill(page, SUBMITTED[channel][0])
    field(page, "验证码：图中的4个字符或算题的答案").fill("kkkk")
    page.get_by_role("button", name="提交").click()
    facts = page.locator("dl.facts").inner_text()
    number = re.search(r"[A-Z]+-2026-\d{8}", facts).group(0)
    code = re.search(r"(?:[0-9A-Z]{4}-){4}[0-9A-Z]{4}", facts).group(0)

    route = ROUTES[channel]
    case = case_id(app, number)
    for spec, user, data in (*route.before, route.reply):
        act(api, case, spec, user, data)

    page.goto("/public/track")
    field(page, "受理编号").fill(number)
    field(page, "查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/public/track")
    assert page.locator("#stage").inner_text() == route.stage
    shown = page.locator("main").inner_text()
    assert [value for _label, value in route.shown if value not in shown] == []
    accessible(page, f"public-reply-{channel}")
