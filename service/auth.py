"""Who is asking: a session (Flask-Login) or a bearer token."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Flask, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from .attempts import BAD_TOKEN, LOGIN, TooManyFailures, count_failure, refuse_if_limited
from .extensions import db, login_manager
from .models import User
from .services.org import user_for_token

# What a person whose password must change may still reach (ORG-2): changing it, leaving, assets.
PASSWORD_CHANGE_OPEN = frozenset({"web.change_password", "web.logout", "web.login", "static"})


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_session_user)
    login_manager.request_loader(_load_bearer_user)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(_password_change_gate)
    app.register_error_handler(TooManyFailures, _too_many_failures)


def refuse_if_login_limited() -> None:
    """Before checking a log-in: an address with too many failed log-ins waits (issue 15); the
    TooManyFailures raised is answered with the Chinese 429 page."""
    refuse_if_limited(LOGIN)


def count_failed_login() -> None:
    count_failure(LOGIN)


def _password_change_gate():
    """Until an initial, reset or expired password is changed, every page leads to 修改密码 and
    every API call is refused (403 password_change_required)."""
    if request.endpoint in PASSWORD_CHANGE_OPEN or request.endpoint is None:
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.path.startswith("/api/"):
        from .api.errors import problem

        return problem(
            403, "password_change_required", "请先修改密码：须修改初始密码或已到期的密码后才能继续"
        )
    return redirect(url_for("web.change_password"))


def _load_session_user(session_id: str) -> User | None:
    """The person a session belongs to, while their account is active and their password is the
    one they logged in with (User.get_id)."""
    user_id, _, fingerprint = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isascii() and user_id.isdigit() else None
    if user is None or not user.active or not hmac.compare_digest(fingerprint, user.session_fingerprint()):
        return None
    return user


def _load_bearer_user(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    refuse_if_limited(BAD_TOKEN)  # issue 15: an address guessing tokens waits, whatever it sends
    user = user_for_token(header[len("Bearer ") :].strip())
    if user is None:
        count_failure(BAD_TOKEN)
    return user


def _too_many_failures(err: TooManyFailures) -> ResponseReturnValue:
    """Over a failure limit (issue 15): 429 with Retry-After, as a problem on the API and as a Chinese
    page elsewhere (the log-in form)."""
    from .api.errors import problem

    wait = {"Retry-After": str(err.retry_after)}
    if request.path.startswith("/api/"):
        message = "来自您所在网络地址的失败尝试过多，请稍后再试"
        response = problem(429, "too_many_failures", message, retry_after=err.retry_after)
        response.headers.update(wait)
        return response
    return render_template("too_many_attempts.html", minutes=max(1, -(-err.retry_after // 60))), 429, wait


def _unauthorized():
    from .api.errors import problem

    if request.path.startswith("/api/"):
        return problem(401, "unauthorized", "请先登录或提供有效的访问令牌")
    # A page: log in, then come back to it.
    query = request.query_string.decode("latin-1")
    return redirect(url_for("web.login", next=request.path + (f"?{query}" if query else "")))


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: only same-site relative paths are followed
    after log-in, so a link to /login?next=… cannot send a person on to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None  # browsers drop tabs and newlines: "/\t/evil" would become "//evil"
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
