"""管理 → 错敏词库 (issue 12, PUB-9): the word list searched and paged, a term added, corrected or
removed, a file imported all or nothing, the list exported, and 试检 on pasted text — pages over the
use cases the screening API shares."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.calendar import SERVICE_TZ
from workflows.screening import Severity

from ..errors import ServiceError
from ..services import screening
from ..services.engine import now
from ..services.screening_files import MAX_FILE_BYTES, csv_bytes, read_upload
from . import bp, page_arg
from .admin_pages import admins_only, form_errors

PER_PAGE = 20
TERM_INPUTS = ("text", "category", "severity", "suggestion", "note")
SEVERITIES = [(s.value, s.label) for s in Severity]
COUNT_WORDS = (("added", "新增"), ("updated", "更新"), ("unchanged", "未变"), ("removed", "删除"))


@bp.get("/admin/screening")
@login_required
def admin_screening():
    admins_only()
    return _list_page()


@bp.post("/admin/screening/terms")
@login_required
def admin_screening_add():
    admins_only()
    values = _term_values()
    try:
        term = screening.add_term(current_user, values)
    except ServiceError as err:
        return _list_page(add_values=values, add_errors=_errors(err)), err.status
    flash(f"已添加“{term.text}”", "success")
    return redirect(url_for("web.admin_screening", q=term.text))


@bp.route("/admin/screening/terms/<id:term_id>", methods=["GET", "POST"])
@login_required
def admin_screening_term(term_id: int):
    admins_only()
    term = _term_or_404(term_id)
    if request.method == "GET":
        values = {name: getattr(term, name) for name in TERM_INPUTS} | {"version": str(term.version)}
        return _term_page(term, values, {})
    values = _term_values() | {"version": request.form.get("version", "")}
    version = values["version"]
    data = {**values, "version": int(version) if version.isascii() and version.isdigit() else None}
    try:
        changed = screening.update_term(current_user, term_id, data)
    except ServiceError as err:
        return _term_page(term, values, _errors(err)), err.status
    flash(f"已保存“{changed.text}”", "success")
    return redirect(url_for("web.admin_screening", q=changed.text))


@bp.post("/admin/screening/terms/<id:term_id>/delete")
@login_required
def admin_screening_delete(term_id: int):
    admins_only()
    term = _term_or_404(term_id)
    text = term.text
    screening.delete_term(current_user, term_id)
    flash(f"已删除“{text}”", "success")
    return redirect(url_for("web.admin_screening"))


@bp.post("/admin/screening/import")
@login_required
def admin_screening_import():
    admins_only()
    upload = request.files.get("file")
    replace = request.form.get("replace") == "yes"
    if upload is None or not upload.filename:
        return _list_page(import_errors={"file": ["请选择要导入的 .csv 或 .xlsx 文件"]}), 422
    try:
        rows = read_upload(upload.filename, upload.stream.read(MAX_FILE_BYTES + 1))
        counts = screening.import_terms(current_user, rows, replace=replace)
    except ServiceError as err:
        return _list_page(import_errors=_import_errors(err)), err.status
    said = "，".join(f"{words} {counts[key]} 个" for key, words in COUNT_WORDS if key != "removed" or replace)
    flash(f"导入完成（{upload.filename}）：{said}", "success")
    return redirect(url_for("web.admin_screening"))


@bp.get("/admin/screening/export")
@login_required
def admin_screening_export():
    admins_only()
    data, _ = csv_bytes(screening.all_terms())
    name = f"screening-terms-{now().astimezone(SERVICE_TZ):%Y%m%d}.csv"
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}", "Cache-Control": "no-store"},
    )


@bp.post("/admin/screening/check")
@login_required
def admin_screening_check():
    admins_only()
    text = request.form.get("text", "")
    if not text.strip():
        return _list_page(check_text=text, check_errors={"text": ["请粘贴要检查的文字"]}), 422
    try:
        result = screening.check({"正文": text})
    except ServiceError as err:
        errors = {"text": [e["message"] for e in err.errors] or [err.message]}
        return _list_page(check_text=text, check_errors=errors), err.status
    return _list_page(check_text=text, check_result=result)


def _list_page(**extra: Any) -> str:
    query = request.args.get("q", "")
    try:
        page = screening.list_terms(query, page_arg(), PER_PAGE)
    except ServiceError as err:  # a search longer than allowed: said beside the box
        page, extra["search_error"] = screening.list_terms("", 1, PER_PAGE), err.message
    return render_template(
        "admin/screening.html",
        query=query,
        page=page,
        pages=max(1, -(-page.total // PER_PAGE)),
        severities=SEVERITIES,
        severity_label=lambda value: Severity(value).label,
        limit_mb=MAX_FILE_BYTES // (1024 * 1024),
        **{"add_values": {}, "add_errors": {}, "import_errors": {}, "check_errors": {}} | extra,
    )


def _term_page(term, values: dict[str, Any], errors: dict[str, list[str]]) -> str:
    return render_template(
        "admin/screening_term.html", term=term, values=values, errors=errors, severities=SEVERITIES
    )


def _term_values() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in TERM_INPUTS}


def _term_or_404(term_id: int):
    try:
        return screening.term(term_id)
    except ServiceError as err:
        if err.status == 404:
            abort(404)
        raise


def _errors(err: ServiceError) -> dict[str, list[str]]:
    """A refusal by field; the stale-version and other whole-form refusals under ""."""
    errors = form_errors(err)
    if "version" in errors:
        errors.setdefault("", []).extend(errors.pop("version"))
    return errors


def _import_errors(err: ServiceError) -> dict[str, list[str]]:
    """An import's refusal: its summary, then each row at fault (第 N 行：…) beside the file field."""
    rows = [e["message"] for e in err.errors if "row" in e]
    if not rows:
        return {"file": [err.message]}
    return {"file": [f"导入失败，共 {len(rows)} 处错误，未写入任何词语", *rows]}
