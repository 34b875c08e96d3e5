"""管理 → 流程图 → 迁移运行中的案件 (issue 12): rehearse moving running cases to another version, then
move them. Administrators only; anyone else gets 404.

预演 shows per case what the move would do (migrations.migrate_cases with dry_run, the same move
rolled back). 执行迁移 is offered only on that result and carries its selection (the target version
and the case ids) as hidden fields signed by the server, so what runs is exactly what was rehearsed,
not a selection edited in between.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer

from ..errors import ServiceError
from ..services import definitions, migrations
from . import bp

OUTCOME_WORDS = {"would_move": "可以迁移", "moved": "已迁移", "refused": "不能迁移"}


@bp.post("/admin/diagrams/<key>/migrations")
@login_required
def admin_migrations(key: str):
    if not current_user.is_admin:
        abort(404)
    try:
        versions = definitions.versions(current_user, key)
    except ServiceError:
        abort(404)
    execute = request.form.get("action") == "execute"
    try:
        to_version, cases = _rehearsed(key) if execute else _selection(key)
        report = migrations.migrate_cases(
            current_user, key, to_version=to_version, cases=cases, dry_run=not execute
        )
    except ServiceError as err:
        if err.status == 404:
            abort(404)
        return render_template("admin/diagram.html", key=key, versions=versions, migration_error=err), 422
    return render_template(
        "admin/migration.html",
        key=key,
        name=versions[0].row.name,
        report=report,
        to_version=to_version,
        signed=_sign(key, to_version, [item.case_id for item in report.items]),
        words=OUTCOME_WORDS,
    )


def _selection(key: str) -> tuple[int, list[int]]:
    """The cases of the chosen older versions (all older ones when none is ticked), and the target."""
    raw = request.form.get("to_version")
    to_version = _number(raw, "to_version") if raw else None  # none chosen: the newest
    chosen = [_number(raw, "from_version") for raw in request.form.getlist("from_version")]
    picks: list[int | None] = [*chosen] or [None]
    cases: set[int] = set()
    for version in picks:
        selection = migrations.select_cases(current_user, key, from_version=version, to_version=to_version)
        cases.update(case[0] for case in selection.cases)
        to_version = selection.to_version
    assert to_version is not None
    if not cases:
        message = "所选版本上没有运行中的案件"
        raise ServiceError("nothing_to_move", message, 422, field="from_version")
    return to_version, sorted(cases)


def _rehearsed(key: str) -> tuple[int, list[int]]:
    """The selection the dry run showed, as its hidden fields carry it; refused if altered since."""
    to_version = _number(request.form.get("to_version"), "to_version")
    cases = [_number(raw, "cases") for raw in request.form.getlist("case")]
    try:
        signed = _serializer().loads(request.form.get("signed", ""))
    except BadSignature:
        signed = None
    if signed != [key, to_version, cases]:
        raise ServiceError("not_rehearsed", "请先预演，再按预演的结果执行迁移", 422, field="to_version")
    return to_version, cases


def _number(raw: str | None, name: str) -> int:
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ServiceError("invalid", "请选择版本" if "version" in name else "案件编号无效", 422, field=name)
    return int(raw)


def _sign(key: str, to_version: int, cases: list[int]) -> str:
    return str(_serializer().dumps([key, to_version, cases]))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="govflow-migration-preview")
