"""Accounts over the API (ORG-2): one's API tokens; an administrator's reset and unlock."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user, login_required

from ..services import accounts, tokens
from . import bp
from .views import json_body


@bp.get("/tokens")
@login_required
def list_tokens():
    found = tokens.tokens_of(current_user, request.args.get("user") or None)
    return jsonify({"items": [tokens.token_view(t) for t in found]})


@bp.post("/tokens")
@login_required
def create_token():
    body = json_body()
    days = body.get("days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
        days = 0  # out of range: refused naming the field
    name = body.get("name")
    token, secret = tokens.create_token(current_user, name if isinstance(name, str) else "", days)
    return jsonify({**tokens.token_view(token), "token": secret}), 201


@bp.delete("/tokens/<id:token_id>")
@login_required
def revoke_token(token_id: int):
    tokens.revoke_token(current_user, token_id)
    return "", 204


@bp.post("/users/<username>/reset-password")
@login_required
def reset_password(username: str):
    temporary = accounts.reset_password(current_user, username)
    return jsonify({"username": username, "temporary_password": temporary, "must_change_password": True})


@bp.post("/users/<username>/unlock")
@login_required
def unlock(username: str):
    forgotten = accounts.unlock(current_user, username)
    return jsonify({"username": username, "failures_cleared": forgotten})
