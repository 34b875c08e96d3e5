"""The public side's frame and guard (issue 13): pages reached with no log-in, a challenge against
scripted submissions whose answer never reaches the browser, and limits said in Chinese."""

from __future__ import annotations

import time

import pytest
from flask import session

from service.web.public import _per, guard


def test_is_the_public_home_page_open_to_anyone_small_and_free_of_staff_links(app):
    """Does someone with no account reach /public/ (no redirect to log-in), without the staff menu,
    in a page far under 100 KB?"""
    page = app.test_client().get("/public/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "政务公开与互动服务" in html and "/inbox" not in html and "退出" not in html
    assert len(page.data) < 100 * 1024


@pytest.fixture
def fixed_answer(monkeypatch):
    """An alphabet of one character and a sum of threes, so the test knows both answers."""
    monkeypatch.setattr(guard, "ALPHABET", "K")
    monkeypatch.setattr(guard, "ADDENDS", (3,))
    return "KKKK"


def test_is_a_challenge_answered_once_and_its_answer_never_in_the_cookie(app, fixed_answer):
    """Does the right answer (any case, spaces ignored) pass exactly once, a replay of the same
    solved challenge fail, and the session hold no readable answer?"""
    with app.test_request_context("/public/"):
        challenge = guard.new_challenge()
        assert challenge.image.startswith("data:image/png;base64,")
        held = dict(session[guard.SESSION_KEY])
        assert fixed_answer not in str(held)
        assert guard.challenge_passed(" kk kk ")
        assert not guard.challenge_passed(fixed_answer)  # popped: a second answer needs a new image
    with app.test_request_context("/public/"):
        session[guard.SESSION_KEY] = held  # the old cookie sent again
        assert not guard.challenge_passed(fixed_answer)


def test_does_a_wrong_or_stale_answer_fail(app, fixed_answer):
    """Is a wrong answer refused, and a right one given after the challenge expired?"""
    with app.test_request_context("/public/"):
        guard.new_challenge()
        assert not guard.challenge_passed("ABCD")
        guard.new_challenge()
        session[guard.SESSION_KEY]["expires"] = int(time.time()) - 1
        assert not guard.challenge_passed(fixed_answer)


def test_is_the_sum_in_words_an_answer_as_good_as_the_image_and_as_once_only(app, fixed_answer):
    """For someone who cannot see the image (无障碍), does the same challenge ask a sum in Chinese
    numerals and take its answer (full-width digits too) exactly once, a wrong sum fail, neither
    answer readable in the session, and a used or stale challenge fail the sum as it fails the image?"""
    with app.test_request_context("/public/"):
        challenge = guard.new_challenge()
        assert challenge.question == "三加三等于几？请填写阿拉伯数字"
        held = dict(session[guard.SESSION_KEY])
        assert set(held) == {"nonce", "digest", "sum_digest", "expires"}
        assert "6" not in held.values() and fixed_answer not in str(held)
        assert guard.challenge_passed(" 6 ")
        assert not guard.challenge_passed("6")  # answered: the next try needs a new challenge
        guard.new_challenge()
        assert guard.challenge_passed("６")  # typed with a Chinese input method
        guard.new_challenge()
        assert not guard.challenge_passed("7")
        assert not guard.challenge_passed("6")  # a wrong answer used the challenge up
        guard.new_challenge()
        session[guard.SESSION_KEY]["expires"] = int(time.time()) - 1
        assert not guard.challenge_passed("6")
    with app.test_request_context("/public/"):
        session[guard.SESSION_KEY] = held  # the sum's challenge sent again with the old cookie
        assert not guard.challenge_passed("6")
        session[guard.SESSION_KEY] = held
        assert not guard.challenge_passed(fixed_answer)  # one challenge, one use, by either answer


def test_are_limits_said_in_chinese():
    """Is a limit shown to the public in words they read (每10分钟不超过10次)?"""
    assert _per(10, 600) == "每10分钟不超过10次"
    assert _per(30, 86400) == "每天不超过30次"
    assert _per(5, 60) == "每分钟不超过5次"
