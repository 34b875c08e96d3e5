"""The staff pages beside the API: log-in, log-out, password change, the layout (issue 11)."""

from __future__ import annotations

import re

import pytest

from tests.service.pages import Pages, csrf_token


@pytest.fixture
def pages(app):
    return Pages(app)


def test_a_page_without_a_session_sends_the_person_to_log_in_and_back(pages):
    response = pages.get("/notifications?page=2")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/notifications?page%3D2"


def test_the_api_without_a_session_still_answers_401_problem(pages):
    response = pages.get("/api/v1/tasks")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_logging_in_goes_to_the_inbox_or_to_the_page_asked_for(app):
    first = Pages(app).log_in()
    assert first.status_code == 302 and first.headers["Location"] == "/inbox"
    second = Pages(app).log_in(next_="/notifications")
    assert second.status_code == 302 and second.headers["Location"] == "/notifications"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "///x",
    ],
)
def test_logging_in_never_follows_a_next_that_leaves_the_site(app, target):
    response = Pages(app).log_in(next_=target)
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"


def test_the_login_page_is_chinese_with_labelled_fields(pages):
    html = pages.text("/login")
    assert '<html lang="zh-CN">' in html and "登录" in html
    for field in ("username", "password"):
        assert re.search(rf'<label[^>]+for="{field}"', html), field
    assert "<script>" not in html and "<style" not in html and " style=" not in html


def test_a_wrong_password_and_an_unknown_name_get_the_same_chinese_message(app):
    wrong_password = Pages(app)
    html = wrong_password.log_in(password="not-the-password").get_data(as_text=True)
    unknown = Pages(app).log_in(username="nobody.here").get_data(as_text=True)
    assert "用户名或密码错误" in html and "用户名或密码错误" in unknown
    assert wrong_password.get("/notifications").status_code == 302  # not logged in


def test_a_disabled_account_cannot_log_in(app, pages, demo_passwords):
    from sqlalchemy import select

    from service.extensions import db
    from service.models import User

    demo_passwords.append("ma.li")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "ma.li")).active = False
        db.session.commit()
    html = pages.log_in("ma.li").get_data(as_text=True)
    assert "用户名或密码错误" in html
    assert pages.get("/notifications").status_code == 302


def test_an_empty_field_is_named_in_chinese_beside_it(pages):
    response = pages.log_in(username="", password="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请输入用户名" in html and "请输入密码" in html


def test_a_form_without_its_csrf_token_is_refused(app, pages):
    response = pages.client.post("/login", data={"username": "zhang.wei", "password": "govflow-demo"})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)
    assert pages.get("/notifications").status_code == 302


def test_the_session_cookie_is_httponly_and_samesite_lax(pages):
    response = pages.log_in()
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_over_https_the_session_cookie_is_secure(monkeypatch, tmp_path):
    from service import config

    monkeypatch.setenv("GOVFLOW_HTTPS", "1")
    assert config.from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("GOVFLOW_HTTPS", "0")
    assert config.from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"] is False


def test_the_api_keeps_bearer_tokens_and_json_only_sessions(app, pages, api):
    assert api.get("/tasks", user="zhang.wei").status_code == 200
    pages.log_in()
    # A logged-in browser may call the API with a JSON body and no CSRF token (no other site can send one) ...
    assert pages.client.post("/api/v1/notifications/read-all", json={}).status_code == 200
    # ... but not with a form.
    refused = pages.client.post("/api/v1/notifications/read-all", data={"a": "b"})
    assert refused.status_code == 403 and refused.json["code"] == "csrf_check_failed"


def test_the_header_shows_the_person_department_and_links(pages):
    pages.log_in()
    html = pages.text("/password")
    header = html[html.index("<header") : html.index("</header>")]
    assert "张伟" in header and "办公室" in header
    for link in ('href="/inbox"', 'href="/notifications"', 'href="/password"'):
        assert link in header
    assert "待办" in header and "通知" in header and "修改密码" in header and "退出" in header
    logout_form = re.search(r'<form[^>]+action="/logout"[^>]*>', header)
    assert logout_form and 'method="post"' in logout_form.group(0)


def test_logging_out_needs_a_post_with_the_csrf_token(pages):
    pages.log_in()
    assert pages.get("/logout").status_code == 405
    assert pages.client.post("/logout").status_code == 400  # no token: still logged in
    assert pages.get("/notifications").status_code == 200
    response = pages.submit("/notifications", "/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert pages.get("/notifications").status_code == 302


def test_changing_the_password_then_logging_in_with_the_new_one(app, pages, demo_passwords):
    demo_passwords.append("zhang.wei")
    pages.log_in()
    response = pages.submit(
        "/password",
        data={"current": "govflow-demo", "new": "new-secret-1", "repeat": "new-secret-1"},
        follow_redirects=True,
    )
    assert "密码已修改" in response.get_data(as_text=True)
    assert "用户名或密码错误" in Pages(app).log_in(password="govflow-demo").get_data(as_text=True)
    assert Pages(app).log_in(password="new-secret-1").headers["Location"] == "/inbox"


@pytest.mark.parametrize(
    "current, new, repeat, field, message",
    [
        ("wrong-password", "new-secret-1", "new-secret-1", "current", "当前密码不正确"),
        ("govflow-demo", "short", "short", "new", "新密码至少需要 10 个字符"),
        ("govflow-demo", "Zhang.Wei-2026", "Zhang.Wei-2026", "new", "新密码不能包含用户名或姓名"),
        ("govflow-demo", "new-secret-1", "new-secret-2", "repeat", "两次输入的新密码不一致"),
        ("", "new-secret-1", "new-secret-1", "current", "请输入当前密码"),
    ],
)
def test_a_refused_password_change_says_why_beside_the_field(
    app, pages, current, new, repeat, field, message
):
    pages.log_in()
    response = pages.submit("/password", data={"current": current, "new": new, "repeat": repeat})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert Pages(app).log_in().headers["Location"] == "/inbox"  # the old password still works


def test_the_password_use_case_keeps_its_rules_beside_the_page(app):
    from sqlalchemy import select

    from service.errors import ServiceError
    from service.extensions import db
    from service.models import User
    from service.services import accounts

    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == "li.na"))
        with pytest.raises(ServiceError) as refused:
            accounts.change_password(user, "govflow-demo", "1234567", "1234567")
        assert refused.value.field == "new" and refused.value.status == 422
        assert accounts.log_in("li.na", "govflow-demo", "127.0.0.1") is user


def test_the_csrf_token_is_in_every_page_form(pages):
    pages.log_in()
    assert csrf_token(pages.text("/password"))


def test_changing_the_password_ends_the_persons_other_sessions_but_not_this_one(app, demo_passwords):
    demo_passwords.append("zhang.wei")
    phone, desk = Pages(app), Pages(app)
    phone.log_in()
    desk.log_in()
    desk.submit(
        "/password", data={"current": "govflow-demo", "new": "new-secret-1", "repeat": "new-secret-1"}
    )
    assert desk.get("/notifications").status_code == 200
    assert phone.get("/notifications").status_code == 302  # the other session must log in again
