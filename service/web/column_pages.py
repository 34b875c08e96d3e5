"""网站栏目 (COL-1..4, NAT-7): the column register for administrators and the information centre (list,
add, edit: owner, interval, last update, open or closed), and 栏目检查风险 (/stats/columns), NAT-7's
fail lines for administrators, the office, the centre and principal leaders — pages over the use
cases the columns API shares."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.profiles.columns import KIND_LABELS, KINDS

from ..errors import ServiceError
from ..services import column_risk, columns, org
from . import bp
from .admin_pages import form_errors

INPUTS = ("name", "path", "level", "kind", "department", "interval_days", "content_plan", "last_update")


@bp.get("/columns")
@login_required
def column_register():
    columns.require_keeper(current_user)
    return _register_page({}, {})


@bp.post("/columns")
@login_required
def column_add():
    columns.require_keeper(current_user)
    values = _values()
    try:
        row = columns.add_column(current_user, values)
    except ServiceError as err:
        return _register_page(values, form_errors(err)), err.status
    flash(f"已登记栏目“{row.name}”", "success")
    return redirect(url_for("web.column_register"))


@bp.route("/columns/<id:column_id>", methods=["GET", "POST"])
@login_required
def column_edit(column_id: int):
    columns.require_keeper(current_user)
    row = _column_or_404(column_id)
    if request.method == "GET":
        values = columns.state_of(row) | {"version": str(row.version), "content_plan": row.content_plan}
        return _edit_page(row, {k: "" if v is None else str(v) for k, v in values.items()}, {})
    values = _values() | {
        "status": request.form.get("status", ""),
        "version": request.form.get("version", ""),
    }
    version = values["version"]
    data = {**values, "version": int(version) if version.isascii() and version.isdigit() else None}
    try:
        changed = columns.update_column(current_user, column_id, data)
    except ServiceError as err:
        errors = form_errors(err)
        if "version" in errors:
            errors.setdefault("", []).extend(errors.pop("version"))
        return _edit_page(row, values, errors), err.status
    flash(f"已保存栏目“{changed.name}”", "success")
    return redirect(url_for("web.column_register"))


@bp.get("/stats/columns")
@login_required
def column_risk_page():
    report = column_risk.report(current_user)
    return render_template("columns/risk.html", report=report, may_keep=columns.may_keep(current_user))


def _register_page(values: dict[str, Any], errors: dict[str, list[str]]) -> str:
    return render_template(
        "columns/register.html",
        register=columns.register(),
        values=values,
        errors=errors,
        **_choices(),
        sees_risk=column_risk.may_read(current_user),
    )


def _edit_page(row, values: dict[str, Any], errors: dict[str, list[str]]) -> str:
    return render_template("columns/edit.html", row=row, values=values, errors=errors, **_choices())


def _choices() -> dict[str, Any]:
    return {
        "kinds": [(kind, KIND_LABELS[kind]) for kind in KINDS],
        "departments": [(d.code, d.name) for d in org.departments()],
        "statuses": list(columns.STATUS_LABELS.items()),
        "state_labels": columns.STATE_LABELS,
    }


def _values() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in INPUTS}


def _column_or_404(column_id: int):
    try:
        return columns.column(column_id)
    except ServiceError as err:
        if err.status == 404:
            abort(404)
        raise
