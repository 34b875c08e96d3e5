"""Staff pages in a real browser (issue 11): log in as 张伟, see the header and the unread count,
a wrong password, changing the password, logging out, reading a notification, a 375 px phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import change_password, fits, log_in, screenshot, signed_in
from tests.service.pages import reset_password
from tests.service.test_notification_pages import notify


def test_zhang_wei_logs_in_and_sees_his_name_and_unread_count(app, open_page):
    notify(app, "zhang.wei", 2)
    page = open_page()
    page.goto("/notifications")
    assert re.search(r"/login\?next=", page.url)
    screenshot(page, "login")
    log_in(page)
    page.wait_for_url("**/notifications")
    header = page.locator("header")
    assert "张伟" in header.inner_text() and "办公室" in header.inner_text()
    assert page.locator("#unread-count").inner_text() == "2"
    screenshot(page, "notifications-desktop")


def test_logging_in_from_the_login_page_goes_to_the_inbox(open_page):
    page = open_page()
    page.goto("/login")
    log_in(page)
    page.wait_for_url("**/inbox")


def test_a_wrong_password_shows_the_chinese_message(open_page):
    page = open_page()
    page.goto("/login")
    log_in(page, password="wrong-password")
    assert page.get_by_role("alert").inner_text() == "用户名或密码错误"
    screenshot(page, "login-wrong-password")


def test_an_empty_field_gets_its_message_beside_it(open_page):
    page = open_page()
    page.goto("/login")
    page.get_by_role("button", name="登录").click()
    assert page.locator("#username-error").inner_text() == "请输入用户名"
    assert page.get_by_label("用户名").get_attribute("aria-describedby") == "username-error"


@pytest.fixture
def restore_zhang(app):
    yield
    reset_password(app, "zhang.wei")


def test_changing_the_password_then_logging_in_with_the_new_one(open_page, restore_zhang):
    page = open_page()
    page.goto("/password")
    log_in(page)
    page.wait_for_url("**/password")
    change_password(page, "govflow-demo", "short")
    assert "至少需要 10 个字符" in page.locator("#new-error").inner_text()
    screenshot(page, "password-too-short")
    change_password(page, "govflow-demo", "Brand-new-secret")
    page.wait_for_url("**/inbox")
    assert "密码已修改" in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login")
    page.goto("/login?next=/password")
    log_in(page, password="Brand-new-secret")
    page.wait_for_url("**/password")
    assert "张伟" in page.locator("header").inner_text()


def test_logging_out_ends_the_session(open_page):
    page = signed_in(open_page, "zhang.wei", "/notifications")
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login")
    assert page.get_by_role("button", name="退出").count() == 0
    page.goto("/notifications")
    assert "/login?next=" in page.url


def test_marking_a_notification_read_lowers_the_count(app, open_page):
    notify(app, "zhang.wei", 3)
    page = signed_in(open_page, "zhang.wei", "/notifications")
    assert page.locator("#unread-count").inner_text() == "3"
    # Each button names its notification to a screen reader ("标为已读：…").
    page.get_by_role("button", name=re.compile("标为已读.*第 2 件即将到期")).click()
    page.wait_for_load_state()
    assert page.locator("#unread-count").inner_text() == "2"
    assert page.locator("li.unread").count() == 2
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_load_state()
    assert page.locator("#unread-count").count() == 0
    screenshot(page, "notifications-all-read")


def test_the_pages_fit_a_375_px_phone(app, open_page):
    notify(app, "zhang.wei", 2)
    page = open_page(375, 740)
    page.goto("/login?next=/notifications")
    screenshot(page, "login-375")
    assert fits(page)
    log_in(page)
    page.wait_for_url("**/notifications")
    for path, name in (("/notifications", "notifications-375"), ("/password", "password-375")):
        page.goto(path)
        screenshot(page, name)
        assert fits(page), path
    # Every field can be reached with the keyboard and shows where the focus is.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
