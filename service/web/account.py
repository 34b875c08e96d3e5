"""Log in, log out, change one's password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..auth import count_failed_login, refuse_if_login_limited, safe_next
from ..errors import ServiceError
from ..services import accounts
from . import bp
from .forms import LoginForm, PasswordForm

HOME = "/inbox"  # the inbox page (endpoint web.inbox) is where a person starts


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    target = safe_next(request.args.get("next")) or HOME
    status = 200 if request.method == "GET" else 422
    if form.validate_on_submit():
        refuse_if_login_limited()
        try:
            user = accounts.log_in(form.username.data or "", form.password.data or "", request.remote_addr)
        except ServiceError as err:
            count_failed_login()
            form.form_errors.append(err.message)
            status = err.status
        else:
            session.clear()  # nothing from before the log-in carries over into the person's session
            login_user(user)
            if user.must_change_password:
                return redirect(url_for("web.change_password"))  # the page says why
            return redirect(target)
    return render_template("login.html", form=form), status


@bp.post("/logout")
def logout():
    # A POST only (no other site's link or image logs a person out); CSRFProtect checked its token.
    logout_user()
    session.clear()
    return redirect(url_for("web.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.new.data, form.repeat.data)
        except ServiceError as err:
            for error in err.errors:
                getattr(form, error["field"]).errors.append(error["message"])
            status = err.status
        else:
            login_user(current_user._get_current_object())  # this session goes on; others end
            flash("密码已修改，其他设备上的登录已退出，下次登录请使用新密码", "success")
            return redirect(HOME)
    elif request.method == "POST":
        status = 422
    rules = accounts.policy()
    return render_template("password.html", form=form, rules=rules), status
