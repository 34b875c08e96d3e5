"""The public side (issue 13): pages anyone on the internet reaches, with no log-in — submitting a
request, a letter, a petition or an error report, following it with its tracking number and query
code, and reading published replies. Small server-rendered pages with no script framework; every
form has a CSRF token, a challenge and a rate limit (guard.py)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import RequestEntityTooLarge

bp = Blueprint("public", __name__, url_prefix="/public")


@bp.errorhandler(RateLimitExceeded)
def too_many(err: RateLimitExceeded):
    """Over a limit: said in Chinese, with when to try again (Retry-After carries it too)."""
    item = err.limit.limit
    return render_template("public/too_many.html", allowed=_per(item.amount, item.get_expiry())), 429


@bp.before_app_request
def _public_body_limit():
    """Anyone on the internet may post here, so a public page takes a much smaller body than a staff
    page. Set before the CSRF check, the first to read the body (app hooks run in the order they were
    registered, and this blueprint is registered before CSRFProtect)."""
    if request.blueprint == bp.name:
        request.max_content_length = current_app.config["GOVFLOW_PUBLIC_MAX_BYTES"]


@bp.errorhandler(RequestEntityTooLarge)
def too_large(err: RequestEntityTooLarge):
    """Over the body limit: refused before it is read, nothing stored, said in Chinese."""
    limit = max(1, current_app.config["GOVFLOW_PUBLIC_MAX_BYTES"] // 1024)
    came_from = request.referrer or ""
    back = came_from if came_from.startswith(request.host_url + "public/") else None
    return render_template("public/too_large.html", limit=limit, back=back), 413


def _per(amount: int, seconds: int) -> str:
    """A limit in words: 每10分钟不超过10次."""
    for unit, size in (("天", 86400), ("小时", 3600), ("分钟", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"每{'' if count == 1 else count}{unit}不超过{amount}次"
    return f"每{seconds}秒不超过{amount}次"


# The pages register themselves on bp (imported last: they import bp from here).
from . import intake_pages, replies, status  # noqa: E402, F401
