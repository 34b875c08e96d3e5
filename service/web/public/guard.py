"""What keeps the public pages usable under abuse (issue 13): rate limits per address and a challenge
against scripted submissions, with no outside service.

Rate limits are Flask-Limiter's, counted in Redis when REDIS_URL is set (every web node sees the same
counts) and in memory otherwise (`make run`). When Redis cannot be reached the counting goes on in
this process's memory until it can again (issue 15): the public pages keep serving. Each limit is
read from the configuration on every request, so an agency (or a test) sets its own. The address is
the connection's; behind a reverse proxy the proxy must pass the client's address on (see the
README's operations section).

The challenge is an image of four characters (the `captcha` package draws it) and, for whoever
cannot see the image (无障碍), a sum written in Chinese numerals beside it; one answer field takes
either. Neither answer leaves the server in readable form: the session (a signed, not encrypted,
cookie) holds only keyed digests of them with a one-time nonce, and a nonce once answered is
recorded in the limiter's storage until it expires, so a solved challenge replayed with an old
cookie is refused. The sum is easier for a program than the image; the rate limits stay the
guard against volume either way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from captcha.image import ImageCaptcha
from flask import Flask, current_app, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

log = logging.getLogger("govflow.public")

# Characters a person reads without doubt in the drawn image (no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V).
ALPHABET = "ACEFHJKMNPRTWXY34679"
ANSWER_LENGTH = 4
ADDENDS = range(1, 10)  # each number of the sum, written 一 to 九
NUMERALS = "零一二三四五六七八九"
CHALLENGE_SECONDS = 10 * 60
SESSION_KEY = "public_challenge"

DEFAULT_LIMITS = {
    # Submissions of any public form, per address.
    "GOVFLOW_PUBLIC_FORM_LIMIT": "5 per minute;30 per day",
    # Showing a form, per address: each draws a new challenge image (some milliseconds of CPU).
    "GOVFLOW_PUBLIC_PAGE_LIMIT": "60 per minute;1000 per day",
    # Every look-up on the status page, right or wrong, per address.
    "GOVFLOW_PUBLIC_STATUS_LIMIT": "30 per minute;300 per day",
    # Wrong tracking number + query code pairs, per address: counted only when wrong.
    "GOVFLOW_PUBLIC_WRONG_CODE_LIMIT": "10 per 10 minutes;50 per day",
}

limiter = Limiter(key_func=get_remote_address, key_prefix="govflow", headers_enabled=True)


def init_app(app: Flask) -> None:
    for name, value in DEFAULT_LIMITS.items():
        app.config.setdefault(name, value)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):
        # A Redis that hangs fails fast instead of holding every public request.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter.init_app(app)


def configured(name: str) -> Callable[[], str]:
    """A limit read from the configuration when a request comes (for @limiter.limit)."""
    return lambda: current_app.config[name]


@dataclass(frozen=True)
class Challenge:
    """What the form shows: the image as a data: URI, and the same challenge as a question in words."""

    image: str
    question: str


def new_challenge() -> Challenge:
    """A fresh challenge for the form being shown: the image as a data: URI (the page carries it, so
    there is no image address to fetch answers from) and a sum in words for anyone who cannot see
    it. Replaces any earlier one in this session."""
    characters = "".join(secrets.choice(ALPHABET) for _ in range(ANSWER_LENGTH))
    first, second = secrets.choice(ADDENDS), secrets.choice(ADDENDS)
    nonce = secrets.token_urlsafe(16)
    session[SESSION_KEY] = {
        "nonce": nonce,
        "digest": _digest(nonce, characters),
        "sum_digest": _digest(nonce, str(first + second)),
        "expires": int(time.time()) + CHALLENGE_SECONDS,
    }
    image = ImageCaptcha(width=200, height=70, font_sizes=(40, 44)).generate(characters).getvalue()
    question = f"{NUMERALS[first]}加{NUMERALS[second]}等于几？请填写阿拉伯数字"
    return Challenge("data:image/png;base64," + base64.b64encode(image).decode("ascii"), question)


def challenge_passed(answer: str) -> bool:
    """Whether `answer` solves this session's challenge, by the image's characters or the sum; a
    challenge is answered once, right or wrong."""
    held = session.pop(SESSION_KEY, None)
    if not isinstance(held, dict) or int(held.get("expires", 0)) < time.time():
        return False
    nonce = str(held.get("nonce"))
    # NFKC: full-width ＡＢ１２ typed with a Chinese input method count as AB12.
    typed = unicodedata.normalize("NFKC", str(answer or ""))
    given = _digest(nonce, "".join(typed.split()).upper())
    # Both compared every time, so the time taken does not say which one was near.
    by_image = hmac.compare_digest(given, str(held.get("digest")))
    by_sum = hmac.compare_digest(given, str(held.get("sum_digest")))
    if not (by_image or by_sum):
        return False
    return _first_use(nonce)


def _first_use(nonce: str) -> bool:
    # limiter.limiter's storage: memory while Redis is unreachable.
    spent = limiter.limiter.storage.incr(f"govflow/challenge/{nonce}", CHALLENGE_SECONDS)
    if spent > 1:
        log.warning("a solved challenge was offered again")
    return spent == 1


def _digest(nonce: str, answer: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(key, f"{nonce}:{answer}".encode(), hashlib.sha256).hexdigest()
