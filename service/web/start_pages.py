"""发起: start a case in the browser — the flows this person may start, and each one's start form,
built from the diagram as the task forms are. Issue 11 (a drafter starts a publishing item here; the
office registers a request that came by letter or at the counter).

It calls the use case the API calls (cases.start_case), so the page refuses what the API refuses.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.forms import Form

from ..errors import ServiceError
from ..services import cases, org, queries
from ..services.engine import engine
from . import bp
from .task_pages import field_errors, field_views, posted_values, submitted


@bp.get("/start")
@login_required
def start_list():
    flows = [
        (row, parsed)
        for row, parsed in queries.latest_parsed_definitions()
        if org.can_start(current_user, parsed.start_lane)
    ]
    return render_template("start_list.html", flows=flows)


@bp.route("/start/<key>", methods=["GET", "POST"])
@login_required
def start_form(key: str):
    found = _startable(key)
    if found is None:
        return render_template("not_found.html", what="流程"), 404
    row, parsed = found
    form = engine().profile.offered(parsed.start_form or Form())
    if request.method == "GET":
        return _page(row, parsed, form, {}, {})
    try:
        instance = cases.start_case(current_user, key, submitted(form, request.form))
    except ServiceError as err:
        errors = field_errors(err) or {"": [err.message]}
        return _page(row, parsed, form, posted_values(form, request.form), errors), err.status
    flash(f"已发起“{parsed.name}”，受理编号 {instance.tracking_number}", "success")
    first = next(iter(queries.actionable_tasks(current_user, instance.id)), None)
    if first is not None:  # the drafter's own next step: straight to it
        return redirect(url_for("web.task", task_id=first.id))
    return redirect(url_for("web.case", instance_id=instance.id))


def _startable(key: str):
    """The newest version of a flow this person may start, or None (unknown and forbidden alike)."""
    for row, parsed in queries.latest_parsed_definitions():
        if row.key == key and org.can_start(current_user, parsed.start_lane):
            return row, parsed
    return None


def _page(row, parsed, form: Form, values: dict[str, list[str]], errors: dict[str, list[str]]):
    return render_template(
        "start.html",
        definition=row,
        parsed=parsed,
        fields=field_views(form),
        values=values,
        errors=errors,
        general_errors=errors.get("", []) + errors.get("data", []),
    )
