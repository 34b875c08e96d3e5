"""管理 → 部门 / 人员 (issue 12, ORG-2, ORG-6): departments, people, oversight and a leaver's
hand-over — pages over the use cases the organisation API shares. Anyone but an administrator gets 404."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.assignment import ROLE_LABELS, Role

from ..errors import ServiceError
from ..services import accounts, handover, org, organisation, tokens
from ..services.accounts import policy
from ..services.engine import now
from . import bp
from .admin_pages import admins_only, form_errors

ROLES = [(r.value, ROLE_LABELS[r]) for r in Role]


@bp.get("/admin/departments")
@login_required
def admin_departments():
    admins_only()
    return _departments_page({}, {})


@bp.post("/admin/departments")
@login_required
def admin_department_add():
    admins_only()
    values = _department_values()
    try:
        made = organisation.create_department(current_user, {**values, "code": request.form.get("code", "")})
    except ServiceError as err:
        return _departments_page(
            {**values, "code": request.form.get("code", "")}, form_errors(err)
        ), err.status
    flash(f"已新建部门“{made.name}”", "success")
    return redirect(url_for("web.admin_departments"))


@bp.post("/admin/departments/<code>")
@login_required
def admin_department_change(code: str):
    admins_only()
    try:
        changed = organisation.update_department(current_user, code, _department_values())
    except ServiceError as err:
        if err.status == 404:
            abort(404)
        return _departments_page({}, {}, row_errors={code: form_errors(err)}), err.status
    flash(f"已保存部门“{changed.name}”", "success")
    return redirect(url_for("web.admin_departments"))


def _department_values() -> dict[str, Any]:
    order = request.form.get("sort_order", "")
    return {
        "name": request.form.get("name", ""),
        "sort_order": int(order) if order.isascii() and order.isdigit() and len(order) <= 6 else -1,
        "is_leadership": request.form.get("is_leadership") == "1",
    }


def _departments_page(values, errors, row_errors=None):
    rows = organisation.department_rows(current_user)
    return render_template(
        "admin/departments.html", rows=rows, values=values, errors=errors, row_errors=row_errors or {}
    )


@bp.get("/admin/people")
@login_required
def admin_people():
    admins_only()
    department = request.args.get("department") or None
    active = {"1": True, "0": False}.get(request.args.get("active", ""))
    found = organisation.people(current_user, department, active)
    return render_template(
        "admin/people.html", people=found, departments=org.departments(), department=department, active=active
    )


@bp.route("/admin/people/new", methods=["GET", "POST"])
@login_required
def admin_person_new():
    admins_only()
    if request.method == "GET":
        return _person_form(None, {}, {})
    body = {"username": request.form.get("username", ""), **_person_body()}
    try:
        user, initial = organisation.create_person(current_user, body)
    except ServiceError as err:
        return _person_form(None, body, form_errors(err)), err.status
    return render_template("admin/password_once.html", person=user, password=initial, created=True)


@bp.route("/admin/people/<username>", methods=["GET", "POST"])
@login_required
def admin_person(username: str):
    admins_only()
    user = _person_or_404(username)
    if request.method == "GET":
        return _person_form(user, {}, {})
    body = _person_body()
    try:
        organisation.update_person(current_user, username, body)
    except ServiceError as err:
        return _person_form(user, body, form_errors(err)), err.status
    flash(f"已保存{user.name}的部门、角色与分管部门", "success")
    return redirect(url_for("web.admin_person", username=username))


@bp.post("/admin/people/<username>/reset-password")
@login_required
def admin_person_reset(username: str):
    admins_only()
    user = _person_or_404(username)
    temporary = accounts.reset_password(current_user, username)
    return render_template("admin/password_once.html", person=user, password=temporary, created=False)


@bp.post("/admin/people/<username>/unlock")
@login_required
def admin_person_unlock(username: str):
    admins_only()
    _person_or_404(username)
    accounts.unlock(current_user, username)
    flash("已解除登录锁定", "success")
    return redirect(url_for("web.admin_person", username=username))


@bp.route("/admin/people/<username>/deactivate", methods=["GET", "POST"])
@login_required
def admin_person_deactivate(username: str):
    admins_only()
    user = _person_or_404(username)
    if request.method == "GET":
        try:
            planned = handover.deactivate(current_user, username, dry_run=True)
        except ServiceError as err:
            flash(err.message, "error")
            return redirect(url_for("web.admin_person", username=username))
        return render_template("admin/deactivate.html", person=user, planned=planned)
    try:
        done = handover.deactivate(current_user, username)
    except ServiceError as err:
        flash(err.message, "error")
        return redirect(url_for("web.admin_person", username=username))
    flash(f"已停用{user.name}：" + done.summary.removeprefix("将").replace("将", ""), "success")
    return redirect(url_for("web.admin_person", username=username))


@bp.post("/admin/people/<username>/reactivate")
@login_required
def admin_person_reactivate(username: str):
    admins_only()
    user = _person_or_404(username)
    try:
        temporary = handover.reactivate(current_user, username)
    except ServiceError as err:
        flash(err.message, "error")
        return redirect(url_for("web.admin_person", username=username))
    return render_template("admin/password_once.html", person=user, password=temporary, created=False)


def _person_or_404(username: str):
    try:
        return organisation.person(current_user, username)
    except ServiceError as err:
        if err.status == 404:
            abort(404)
        raise


def _person_body() -> dict[str, Any]:
    """The form as the use case's body: a name, ticked department × role boxes, ticked oversight."""
    memberships = []
    for key in request.form.getlist("membership"):
        code, _, role = key.partition(":")
        memberships.append({"department": code, "role": role})
    return {
        "name": request.form.get("name", ""),
        "memberships": memberships,
        "oversees": request.form.getlist("oversees"),
    }


def _person_form(user, body: dict[str, Any], errors: dict[str, list[str]]):
    if user is not None and not body:
        state = organisation.person_state(user)
        body = {
            "name": user.name,
            "memberships": [{"department": d, "role": r} for d, r in state["memberships"]],
            "oversees": state["oversees"],
        }
    ticked = {f"{m['department']}:{m['role']}" for m in body.get("memberships", [])}
    context: dict[str, Any] = {
        "person": user,
        "body": body,
        "ticked": ticked,
        "errors": errors,
        "departments": org.departments(),
        "roles": ROLES,
    }
    if user is not None:
        context |= {
            "held": handover.holdings(user),
            "tokens": tokens.tokens_of(current_user, user.username),
            "locked_until": organisation.locked_until(user),
            "password_days": (now() - user.password_changed_at).days if user.password_changed_at else None,
            "password_limit": policy().max_age_days,
        }
    return render_template("admin/person.html", **context)


@bp.app_template_global("role_label")
def role_label(role: str) -> str:
    found = Role.from_text(role)
    return ROLE_LABELS[found] if found else role
