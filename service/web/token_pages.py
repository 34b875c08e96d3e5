"""One's API tokens on a page (ORG-2): made with a name and a term, the secret shown once, revoked."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import accounts, tokens
from . import bp
from .forms import TokenForm


@bp.get("/account/tokens")
@login_required
def token_list():
    return _page(TokenForm(), None, 200)


@bp.post("/account/tokens")
@login_required
def token_create():
    form = TokenForm()
    if not form.validate_on_submit():
        if form.days.errors:
            form.days.errors = ["有效天数须为整数"]
        return _page(form, None, 422)
    try:
        _token, secret = tokens.create_token(current_user, form.name.data or "", form.days.data)
    except ServiceError as err:
        for error in err.errors:
            getattr(form, error["field"]).errors.append(error["message"])
        return _page(form, None, err.status)
    # The secret is in this answer only: never in a flash message (the session cookie is readable).
    return _page(TokenForm(formdata=None), secret, 201)


@bp.post("/account/tokens/<id:token_id>/revoke")
@login_required
def token_revoke(token_id: int):
    # CSRFProtect has checked the form's token before this runs.
    revoked = tokens.revoke_token(current_user, token_id)
    flash(f"令牌“{revoked.name}”已撤销，使用它的请求将被拒绝", "success")
    return redirect(url_for("web.token_list"))


def _page(form: TokenForm, secret: str | None, status: int):
    mine = [tokens.token_view(t) for t in tokens.tokens_of(current_user)]
    return render_template(
        "tokens.html", form=form, tokens=mine, secret=secret, rules=accounts.policy()
    ), status
