"""A new account in a real browser (ORG-2): the first log-in leads to 修改密码, then to the inbox."""

from __future__ import annotations

from tests.browser.conftest import change_password, log_in, screenshot
from tests.service.test_account_rules import newcomer  # noqa: F401  (a fixture)


def test_org2_a_new_account_changes_its_initial_password_then_lands_on_the_inbox(open_page, newcomer):  # noqa: F811
    """Is 钱宇, logging in for the first time, sent to 修改密码 and, once changed, to the inbox?"""
    page = open_page()
    page.goto("/login")
    log_in(page, newcomer, "Initial-pw-1")
    page.wait_for_url("**/password")
    assert "须修改后才能继续" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="待办").count() == 0  # only 退出 beside the form
    page.goto("/inbox")
    page.wait_for_url("**/password")  # nothing else opens first
    change_password(page, "Initial-pw-1", "qianyu-2026")
    assert "新密码不能包含用户名或姓名" in page.locator("#new-error").inner_text()
    screenshot(page, "account-first-login-refused")
    change_password(page, "Initial-pw-1", "Harbour-Lights-7")
    page.wait_for_url("**/inbox")
    assert "密码已修改" in page.locator(".flash").inner_text()
    assert "钱宇" in page.locator("header").inner_text()
    screenshot(page, "account-first-login-inbox")
