"""JSON API routes: parse the request, call one use case, shape the answer."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, jsonify, request
from flask_login import current_user, login_required
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from workflows.forms import Form
from workflows.text import MAX_JSON_DEPTH, bad_strings, depth

from ..errors import ServiceError, invalid
from ..services import cases, copies, org, queries, rewind, task_detail
from ..services.engine import engine
from . import bp, serialize
from .openapi import openapi_document


@bp.before_request
def refuse_unstorable_parameters():
    """A NUL in a query parameter (q=%00) would reach the database: refused, naming the parameter."""
    for name, value in request.args.items(multi=True):
        if "\x00" in value or "\x00" in name:
            raise ServiceError("invalid_parameter", f"参数 {name} 含有空字符（NUL）", 400, field=name)


# Endpoints that take a file (multipart/form-data), which any site's form can send: on a session they
# need the CSRF token of one of our pages in a header, which no other site can read or set.
FILE_UPLOADS: set[str] = set()
CSRF_HEADERS = ("X-CSRFToken", "X-CSRF-Token")


@bp.before_request
def refuse_cross_site_posts():
    """A browser session may only change state with a JSON body: no cross-site form can send one."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.headers.get("Authorization", "").startswith("Bearer "):
        return None
    if request.endpoint in FILE_UPLOADS and not request.is_json:
        token = next((request.headers[h] for h in CSRF_HEADERS if request.headers.get(h)), None)
        try:
            validate_csrf(token)
        except ValidationError:
            message = "使用登录会话上传文件时，请在 X-CSRFToken 请求头中附上页面的 CSRF 令牌"
            raise ServiceError("csrf_check_failed", message, 403) from None
        return None
    if not request.is_json:
        raise ServiceError("csrf_check_failed", "使用登录会话时，请求必须以 JSON 格式提交", 403)
    return None


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/departments")
@login_required
def list_departments():
    return jsonify({"items": [serialize.department(d) for d in org.departments()]})


@bp.get("/process-definitions")
@login_required
def list_definitions():
    items = [
        serialize.definition(row, _offered(parsed.start_form), org.can_start(current_user, parsed.start_lane))
        for row, parsed in queries.latest_parsed_definitions()
    ]
    return jsonify({"items": items})


def _offered(form: Form | None) -> Form | None:
    """The start form as the active profile offers it (its item types, for one)."""
    return engine().profile.offered(form) if form else None


@bp.post("/process-definitions/<key>/instances")
@login_required
def start_instance(key: str):
    body = json_body()
    # The answer is read in the start's own transaction: one transaction a start (issue 15).
    data = body.get("data", {})
    answer = cases.start_and_read(current_user, key, data, lambda case: instance_view(case.id))
    return jsonify(answer), 201


@bp.get("/process-instances/<id:instance_id>")
@login_required
def get_instance(instance_id: int):
    answer = instance_view(instance_id)
    copies.mark_read(current_user, instance_id)  # 抄送: opening the case reads one's copies of it
    return jsonify(answer)


def instance_view(instance_id: int) -> dict[str, Any]:
    """A case as the API shows it to the person asking (403 if they may not see it)."""
    instance, tasks, events = queries.instance_for_viewer(current_user, instance_id)
    return serialize.instance(instance, tasks, events, queries.clocks_of(instance.id))


@bp.get("/tasks")
@login_required
def list_tasks():
    page = queries.list_tasks(
        current_user,
        request.args.get("scope", "mine"),
        request.args.get("status", "open"),
        int_arg("page", 1, 1, 100000),
        int_arg("per_page", 20, 1, 100),
        request.args.get("due") or None,
        request.args.get("process") or None,
        request.args.get("q") or None,
    )
    # total_capped: the count stopped at queries.COUNT_CAP (or the page's end); total is a lower bound.
    return jsonify({**page_of(page, serialize.task), "total_capped": page.total_capped})


@bp.get("/tasks/counts")
@login_required
def task_counts():
    counts = queries.task_counts(current_user)
    capped = [tab for tab, count in counts.items() if count.capped]
    return jsonify({**{tab: count.value for tab, count in counts.items()}, "capped": capped})


@bp.get("/tasks/<id:task_id>")
@login_required
def get_task(task_id: int):
    rewind.note_viewed(current_user, task_id)
    return jsonify(serialize.task_detail(task_detail.task_detail(current_user, task_id)))


@bp.post("/tasks/<id:task_id>/claim")
@login_required
def claim(task_id: int):
    return jsonify(serialize.task(cases.claim_task(current_user, task_id)))


@bp.post("/tasks/<id:task_id>/unclaim")
@login_required
def unclaim(task_id: int):
    return jsonify(serialize.task(cases.unclaim_task(current_user, task_id)))


@bp.post("/tasks/<id:task_id>/complete")
@login_required
def complete(task_id: int):
    body = json_body()
    done, following = cases.complete_and_next(current_user, task_id, body.get("data", {}))
    return jsonify(serialize.completion(done, following))


@bp.post("/tasks/<id:task_id>/transfer")
@login_required
def transfer(task_id: int):
    body = json_body()
    task = cases.transfer_task(current_user, task_id, body.get("department"), body.get("reason"))
    return jsonify(serialize.task(task))


def page_of(page, serializer) -> dict[str, Any]:
    """A page of a list as the API shows it."""
    items = [serializer(row) for row in page.items]
    return {"items": items, "total": page.total, "page": page.page, "per_page": page.per_page}


def json_body() -> dict[str, Any]:
    """The request's JSON object: nested at most MAX_JSON_DEPTH deep, every text storable."""
    if request.content_length and not request.is_json:
        abort(415)
    if not request.content_length:
        return {}
    too_deep = ServiceError(
        "body_too_deep", f"请求体的嵌套层级不能超过 {MAX_JSON_DEPTH} 层", 400, field="body"
    )
    try:
        body = json.loads(request.get_data(cache=True))
    except RecursionError:
        raise too_deep from None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ServiceError("invalid_body", "请求体必须是 JSON 对象", 400, field="body")
    if depth(body) > MAX_JSON_DEPTH:
        raise too_deep
    errors = [
        {"field": path.removeprefix("data."), "code": "invalid_text", "message": f"“{path}”{reason}"}
        for path, reason in bad_strings(body)
    ]
    if errors:
        raise invalid("提交的文字无法保存：" + "；".join(e["message"] for e in errors), errors)
    return body


def unread_paging() -> tuple[bool, int, int]:
    """?unread=1&page=&per_page= of a list of one's own things (notifications, copies)."""
    return request.args.get("unread") == "1", int_arg("page", 1, 1, 100000), int_arg("per_page", 20, 1, 100)


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    # ASCII digits only: str.isdigit() also takes "²", which int() then refuses.
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ServiceError("invalid_parameter", f"{name} 必须是 {low} 到 {high} 之间的整数", 400, field=name)
    return int(raw)
