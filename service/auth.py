"""Who is asking: a session (Flask-Login) or a bearer token."""

from __future__ import annotations

from flask import Flask, request

from .extensions import db, login_manager
from .models import User
from .services.org import user_for_token


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_session_user)
    login_manager.request_loader(_load_bearer_user)
    login_manager.unauthorized_handler(_unauthorized)


def _load_session_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def _load_bearer_user(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return user_for_token(header[len("Bearer ") :].strip())
    return None


def _unauthorized():
    from .api.errors import problem

    if request.path.startswith("/api/"):
        return problem(401, "unauthorized", "请先登录或提供有效的访问令牌")
    return problem(401, "unauthorized", "请先登录")
