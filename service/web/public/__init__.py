"""The public side (issue 13): pages anyone on the internet reaches, with no log-in — submitting a
request, a letter, a petition or an error report, following it with its tracking number and query
code, and reading published replies. Small server-rendered pages with no script framework; every
form has a CSRF token, a challenge and a rate limit (guard.py)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_limiter.errors import RateLimitExceeded

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.errorhandler(RateLimitExceeded)
def too_many(err: RateLimitExceeded):
    """Over a limit: said in Chinese, with when to try again (Retry-After carries it too)."""
    item = err.limit.limit
    return render_template("public/too_many.html", allowed=_per(item.amount, item.get_expiry())), 429


def _per(amount: int, seconds: int) -> str:
    """A limit in words: 每10分钟不超过10次."""
    for unit, size in (("天", 86400), ("小时", 3600), ("分钟", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"每{'' if count == 1 else count}{unit}不超过{amount}次"
    return f"每{seconds}秒不超过{amount}次"


# The pages register themselves on bp (imported last: they import bp from here).
from . import intake_pages, replies, status  # noqa: E402, F401
