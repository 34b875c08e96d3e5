"""任务办理: one task's page — the case at a glance, what this step needs, the opinions so far, and
only the actions this person may take now (claim, release, the form to complete it). Issue 11.

It calls the use cases the API calls (task_detail, claim_task, unclaim_task, complete_task), so the
page offers nothing the API would refuse, and shows their refusals in Chinese.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from workflows.calendar import SERVICE_TZ
from workflows.forms import EARLIEST_DATE, LATEST_DATE, TODAY, Form, FormField

from ..errors import ServiceError
from ..services import (
    case_view,
    cases,
    clocks,
    columns,
    delegation,
    opinions,
    org,
    rewind,
    task_detail,
    urging,
)
from ..services import inbox as inbox_rows
from ..services.queries import task_for_viewer
from . import attachment_pages, bp, copy_pages

INTEGER = re.compile(r"^-?\d{1,12}$")


@bp.get("/tasks/<id:task_id>")
@login_required
def task(task_id: int):
    rewind.note_viewed(current_user, task_id)
    detail = visible_detail(task_id)
    if detail is None:
        return not_found()
    return task_page(detail)


def visible_detail(task_id: int) -> task_detail.TaskDetail | None:
    """The task as its page shows it, or None when this person may not see it: one may not learn
    that a task one may not see exists, so the page then says 不存在 (404) either way."""
    try:
        return task_detail.task_detail(current_user, task_id)
    except ServiceError as err:
        if err.status in (403, 404):
            return None
        raise


def refused_operation(detail: task_detail.TaskDetail, err: ServiceError, name: str, typed: Any):
    """An operation's refusal on the task page: one naming a field is shown beside it in the
    operation's partial (`<name>_errors`, with what was typed as `<name>_values`); any other (taken
    meanwhile, no longer possible) is a message on the task's page."""
    errors = field_errors(err)
    if not errors:
        flash(err.message, "error")
        return redirect(url_for("web.task", task_id=detail.task.id))
    return task_page(detail, **{f"{name}_errors": errors, f"{name}_values": typed}), err.status


def task_page(detail: task_detail.TaskDetail, **extra: Any):
    """The page as first shown: the form prefilled with a delegate's draft or, on rework, one's own
    earlier answer; `extra` is context for an operation's partial, such as the errors of its form."""
    draft = delegation.draft_of(detail.task)  # a delegate's answer comes before one's own earlier one
    return page(detail, _values_of(detail.form, draft.data if draft else detail.earlier or {}), {}, **extra)


@bp.post("/tasks/<id:task_id>/claim")
@login_required
def task_claim(task_id: int):
    return act_on(task_id, cases.claim_task, "已签收“{}”，任务已在您的在办中")


@bp.post("/tasks/<id:task_id>/release")
@login_required
def task_release(task_id: int):
    return act_on(task_id, cases.unclaim_task, "已退回待办：“{}”回到本处室的待办中")


@bp.post("/tasks/<id:task_id>/complete")
@login_required
def task_complete(task_id: int):
    return submit_form(
        task_id,
        lambda answer, _: cases.complete_task(current_user, task_id, answer),
        lambda done: f"成功办理“{done.name}”",
    )


def submit_form(task_id: int, act, done_message) -> Any:
    """Post the task's form to a use case: `act(answer, posted)` with the answer as the use case
    takes it. A mistake draws the page again with the message beside its field; any other refusal
    is a message on the task's page; success goes back to the inbox with `done_message(task)`."""
    detail = visible_detail(task_id)
    if detail is None:
        return not_found()
    try:
        done = act(submitted(detail.form, request.form), request.form)
    except ServiceError as err:
        errors = field_errors(err)
        if not errors:  # taken or finished meanwhile, not one's to do: say so on the task's page
            flash(err.message, "error")
            return redirect(url_for("web.task", task_id=task_id))
        return page(detail, posted_values(detail.form, request.form), errors), err.status
    flash(done_message(done), "success")
    return redirect(url_for("web.inbox"))


def submitted(form: Form, posted: MultiDict) -> dict[str, Any]:
    """The page form's strings as the use case takes them: numbers, lists of choices, true/false.

    A field left empty is left out (the use case says whether it was required); a value that does
    not convert is passed on as typed, for the use case to name it as malformed.
    """
    data: dict[str, Any] = {}
    for f in form.fields:
        if f.type in ("enums", "departments"):
            chosen = [v for v in posted.getlist(f.name) if v]
            if chosen:
                data[f.name] = chosen
            continue
        raw = posted.get(f.name, "")
        if not raw.strip():
            continue
        if f.type == "integer":
            data[f.name] = int(raw.strip()) if INTEGER.match(raw.strip()) else raw
        elif f.type == "boolean":
            data[f.name] = {"true": True, "false": False}.get(raw, raw)
        else:
            data[f.name] = raw
    return data


def act_on(task_id: int, use_case, done_message: str):
    try:
        task_for_viewer(current_user, task_id)
    except ServiceError as err:
        if err.status in (403, 404):
            return not_found()
        raise
    try:
        row = use_case(current_user, task_id)
    except ServiceError as err:  # claimed by someone else, no longer open, not one's department
        flash(err.message, "error")
    else:
        flash(done_message.format(row.name), "success")
    return redirect(url_for("web.task", task_id=task_id))


def due_words(moment: datetime) -> str:
    """A due moment as the rules say it: the end of a day is that day's 24:00, not the next 00:00."""
    local = moment.astimezone(SERVICE_TZ)
    if local.time() == time(0, 0):
        return f"{(local.date() - timedelta(days=1)).isoformat()} 24:00"
    return local.strftime("%Y-%m-%d %H:%M")


def not_found():
    return render_template("not_found.html", what="任务"), 404


def _values_of(form: Form, answer: dict[str, Any]) -> dict[str, list[str]]:
    """An earlier answer (JSON values) as the page form's strings, to prefill it on rework."""
    out = {}
    for f in form.fields:
        value = answer.get(f.name)
        if value is None:
            continue
        if isinstance(value, bool):
            out[f.name] = ["true" if value else "false"]
        elif isinstance(value, list):
            out[f.name] = [str(v) for v in value]
        else:
            out[f.name] = [str(value)]
    return out


def posted_values(form: Form, posted: MultiDict) -> dict[str, list[str]]:
    """What was typed into the page form, to show it again beside the messages."""
    return {f.name: posted.getlist(f.name) for f in form.fields if f.name in posted}


def field_errors(err: ServiceError) -> dict[str, list[str]]:
    """A use case's refusal as messages by form field ("" for the form as a whole); empty when it
    names no field (the task was taken meanwhile, say)."""
    errors: dict[str, list[str]] = {}
    for error in err.errors:
        errors.setdefault(error.get("field") or "", []).append(error["message"])
    return errors


def _may(detail: task_detail.TaskDetail) -> dict[str, bool]:
    """What this person may do with the task now, by the rules the use cases apply."""
    task, user = detail.task, current_user
    acts = (
        task.status == "open"
        and not task.delegated  # 委派: nobody claims, releases or completes it meanwhile
        and org.can_act_on_task(user, task)
        and task.barred_user_id != user.id
    )
    free = task.assignee_id is None
    mine = task.assignee_id == user.id
    return {
        "claim": acts and free,
        "release": acts and not free and (mine or user.is_admin),
        "complete": acts and (free or mine or user.is_admin),
        "barred": task.status == "open" and task.barred_user_id == user.id,
        "transfer": acts and (free or mine or user.is_admin),
    }


def page(detail: task_detail.TaskDetail, values: dict[str, list[str]], errors: dict[str, list[str]], **extra):
    """The task page; `extra`: what an operation's partial needs to show again (its refused answer)."""
    task = detail.task
    (row,) = inbox_rows.rows([task])
    own = {f.name for f in detail.form.fields}
    fields = field_views(detail.form)
    return render_template(
        "task.html",
        task=task,
        row=row,
        due=due_words(task.due_at) if task.due_at else "",
        case_status=case_view.CASE_STATUS.get(task.instance.status, task.instance.status),
        case_data=task_detail.case_data_labelled(task, own),
        rework=detail.returned_by,
        reopened=detail.reopened,
        earlier=task_detail.labelled_answer(task, detail.earlier or {})
        if detail.returned_by or detail.reopened
        else [],
        process=opinions.process_lines(task, detail.opinions),
        countersign=detail.countersign,
        may=_may(detail),
        fields=fields,
        departments=org.departments(),
        values=values,
        errors=errors,
        general_errors=errors.get("", []) + errors.get("data", []),
        attachments=attachment_pages.task_panel(task),
        rewind=rewind.offers(current_user, task),
        delegation=delegation.page_view(current_user, task),
        urging=urging.urging(current_user, task),
        **copy_pages.task_context(task.instance_id),
        **extra,
    )


def field_views(form: Form) -> list[dict[str, Any]]:
    """The fields a page form draws: all but those asked only for a choice this profile does not offer
    (an interview's host unit where the profile has no interviews), which could never apply."""
    return [field_view(f, form) for f in form.fields if not _never_asked(f, form)]


def _never_asked(f: FormField, form: Form) -> bool:
    if f.required or not f.required_if:
        return False
    other_name, expected = f.required_if
    decides = next((g for g in form.fields if g.name == other_name), None)
    if decides is None or decides.type != "enum":
        return False
    offered = {o.value for o in decides.options}
    return not offered & set(expected.split("|"))


def field_view(f: FormField, form: Form) -> dict[str, Any]:
    """What the template needs to draw one field: its control, options, bounds and hints."""
    labels = {g.name: g for g in form.fields}
    view: dict[str, Any] = {"f": f, "id": f"field-{f.name}", "hints": []}
    if f.type in ("department", "departments"):
        view["options"] = [(d.code, d.name) for d in org.departments()]
    else:
        view["options"] = [(o.value, o.label) for o in f.options]
    for o in f.options:
        if o.only_if and o.only_if[0] in labels:  # decided by this form's own answer: say when
            other = labels[o.only_if[0]]
            shown = {p.value: p.label for p in other.options}
            wanted = "或".join(f"“{shown.get(v, v)}”" for v in o.only_if[1].split("|"))
            view["hints"].append(f"“{o.label}”仅在“{other.label}”为{wanted}时可选：{o.why_not}")
    if f.required_if:
        other_name, expected = f.required_if
        decides = labels.get(other_name)
        if decides is not None:
            shown = {p.value: p.label for p in decides.options} | {"true": "是", "false": "否"}
            wanted = "或".join(f"“{shown.get(v, v)}”" for v in expected.split("|"))
            view["hints"].append(f"“{decides.label}”为{wanted}时必填")
    if f.suggest_from == "site_columns":  # the register's open columns; free text while it is empty
        view["suggestions"] = columns.suggestions()
    if f.min_items:
        view["hints"].append(f"至少选择{f.min_items}项")
    if f.type == "date":
        view["min"] = EARLIEST_DATE.isoformat()
        latest = clocks.today() if f.not_after == TODAY else f.not_after or LATEST_DATE.isoformat()
        view["max"] = str(latest)
    return view
