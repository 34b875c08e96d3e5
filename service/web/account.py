"""Log in, log out, change one's password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..auth import safe_next
from ..errors import ServiceError
from ..services import org
from . import bp
from .forms import LoginForm, PasswordForm

HOME = "/inbox"  # the inbox page (endpoint web.inbox) is where a person starts


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    target = safe_next(request.args.get("next")) or HOME
    if form.validate_on_submit():
        user = org.authenticate(form.username.data or "", form.password.data or "")
        if user is not None:
            session.clear()  # nothing from before the log-in carries over into the person's session
            login_user(user)
            return redirect(target)
        form.form_errors.append("用户名或密码错误")
    status = 200 if request.method == "GET" else 401 if form.form_errors else 422
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
            org.change_password(current_user, form.current.data, form.new.data, form.repeat.data)
        except ServiceError as err:
            for error in err.errors:
                getattr(form, error["field"]).errors.append(error["message"])
            status = err.status
        else:
            login_user(current_user._get_current_object())  # this session goes on; others end
            flash("密码已修改，其他设备上的登录已退出，下次登录请使用新密码", "success")
            return redirect(url_for("web.change_password"))
    elif request.method == "POST":
        status = 422
    return render_template("password.html", form=form), status
