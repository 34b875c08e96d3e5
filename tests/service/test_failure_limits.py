"""Limits on guessing (issue 15): wrong bearer tokens and failed log-ins, counted per address; once
an address is over, every further attempt from it waits, and other addresses do not."""

from __future__ import annotations

import pytest

from service.web.public import guard
from tests.service.pages import Pages, csrf_token

GUESSER = {"REMOTE_ADDR": "198.51.100.7"}
NEIGHBOUR = {"REMOTE_ADDR": "203.0.113.20"}


@pytest.fixture
def tight_limits(app):
    """The limits an agency would set, for this test; the counts forgotten afterwards."""
    before = {name: app.config[name] for name in ("GOVFLOW_BAD_TOKEN_LIMIT", "GOVFLOW_LOGIN_LIMIT")}
    app.config.update(GOVFLOW_BAD_TOKEN_LIMIT="20/minute", GOVFLOW_LOGIN_LIMIT="10/minute")
    with app.app_context():
        guard.limiter.reset()
    yield
    app.config.update(before)
    with app.app_context():
        guard.limiter.reset()


def test_do_500_bad_tokens_from_one_address_get_429_after_the_limit_and_others_still_work(
    app, tokens, tight_limits
):
    """After 20 wrong tokens from one address, is every further call from it 429 problem+json with
    Retry-After, a right token from it included, while a right token from another address works?"""
    client = app.test_client()
    answers = [
        client.get(
            "/api/v1/tasks", headers={"Authorization": f"Bearer wrong-{n}"}, environ_base=GUESSER
        ).status_code
        for n in range(500)
    ]
    assert answers[:20] == [401] * 20 and set(answers[20:]) == {429}
    refused = client.get(
        "/api/v1/tasks", headers={"Authorization": f"Bearer {tokens['zhang.wei']}"}, environ_base=GUESSER
    )
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert body["code"] == "too_many_failures" and "稍后再试" in body["title"]
    assert 0 < int(refused.headers["Retry-After"]) <= 60 and body["retry_after"] == int(
        refused.headers["Retry-After"]
    )
    elsewhere = client.get(
        "/api/v1/tasks", headers={"Authorization": f"Bearer {tokens['zhang.wei']}"}, environ_base=NEIGHBOUR
    )
    assert elsewhere.status_code == 200


def test_does_a_right_token_count_nothing(app, tokens, tight_limits):
    """Do right tokens, however many, never bring an address near the limit?"""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {tokens['zhang.wei']}"}
    assert {
        client.get("/api/v1/tasks", headers=headers, environ_base=GUESSER).status_code for _ in range(40)
    } == {200}


def _log_in(pages: Pages, username: str, password: str, address: dict):
    html = pages.client.get("/login", environ_base=address).get_data(as_text=True)
    body = {"csrf_token": csrf_token(html), "username": username, "password": password}
    return pages.client.post("/login", data=body, environ_base=address)


@pytest.fixture
def failures_forgotten(app):
    """The failed log-ins the test makes are also kept by the lock-out (ORG-2): removed afterwards."""
    yield
    from sqlalchemy import delete

    from service.extensions import db
    from service.models import LoginFailure

    with app.app_context():
        addresses = (GUESSER["REMOTE_ADDR"], NEIGHBOUR["REMOTE_ADDR"])
        db.session.execute(delete(LoginFailure).where(LoginFailure.address.in_(addresses)))
        db.session.commit()


def test_after_ten_failed_log_ins_does_the_address_wait_on_a_chinese_page(
    app, tight_limits, failures_forgotten
):
    """After 10 failed log-ins from one address (within the lock-out's 20, ORG-2), is the next one,
    even a right name and password, a Chinese 429 page with Retry-After, while a person at another
    address logs in?"""
    pages = Pages(app)
    answers = [_log_in(pages, f"guess{n}", "wrong-password", GUESSER).status_code for n in range(10)]
    assert answers == [401] * 10
    waiting = _log_in(pages, "wang.fang", "govflow-demo", GUESSER)
    assert waiting.status_code == 429 and 0 < int(waiting.headers["Retry-After"]) <= 60
    html = waiting.get_data(as_text=True)
    assert "尝试次数过多" in html and "登录失败次数过多" in html and "分钟后再试" in html
    assert _log_in(Pages(app), "wang.fang", "govflow-demo", NEIGHBOUR).status_code == 302
