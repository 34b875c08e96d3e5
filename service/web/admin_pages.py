"""管理 (issue 12): administrators' pages over the diagram versions — every diagram, its versions,
the difference between two. Anyone else gets 404, not a hint that the pages exist.

The diagram editor (another helper) adds /admin/diagrams/new and /admin/diagrams/<key>/edit.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user, login_required

from workflows.engine.problems import KINDS

from ..errors import ServiceError
from ..services import definitions
from . import bp

PROPERTY_WORDS = {
    "name": "名称",
    "lane": "泳道（办理人）",
    "source": "起点",
    "target": "终点",
    "condition": "条件",
    "attachedTo": "附着于",
    "default": "默认流向",
    "cancelActivity": "中断任务",
    "script": "脚本",
    "timerEventDefinition": "定时器",
    "multiInstanceLoopCharacteristics": "多实例（会签）",
    "deadline": "期限",
    "clock": "计时动作",
    "notice": "告知内容",
    "case": "案件设置",
    "approves": "审批对象",
    "assignee": "指定办理人",
    "caseLink": "关联案件",
    "serviceTaskOperator": "服务操作",
    "preScript": "前置脚本",
    "postScript": "后置脚本",
    "documentation": "说明",
}
FIELD_WORDS = {
    "type": "类型",
    "label": "标签",
    "required": "必填",
    "options": "选项",
    "requiredIf": "条件必填",
    "maxLength": "最大长度",
    "min": "最小值",
    "max": "最大值",
    "after": "不早于",
}


@bp.get("/admin")
@login_required
def admin_index():
    _admins_only()
    return render_template("admin/index.html")


@bp.get("/admin/diagrams")
@login_required
def admin_diagrams():
    _admins_only()
    return render_template("admin/diagrams.html", diagrams=definitions.diagrams(current_user))


@bp.get("/admin/diagrams/<key>")
@login_required
def admin_diagram(key: str):
    _admins_only()
    return render_template("admin/diagram.html", key=key, versions=_or_404(definitions.versions, key))


@bp.get("/admin/diagrams/<key>/diff")
@login_required
def admin_diagram_diff(key: str):
    _admins_only()
    versions = _or_404(definitions.versions, key)
    newest = versions[0].row.version
    before, after = _version_arg("from", max(newest - 1, 1)), _version_arg("to", newest)
    diff = _or_404(definitions.diff_versions, key, before, after)
    return render_template(
        "admin/diff.html", key=key, versions=versions, before=before, after=after, diff=diff, kind=_kind
    )


@bp.app_template_filter("property_words")
def property_words(name: str) -> str:
    """A compared property as an administrator reads it: 表单字段“title”的标签, 期限, 泳道（办理人）…"""
    if name.startswith("field:"):
        field, _, attribute = name.removeprefix("field:").rpartition(".")
        return f"表单字段“{field}”的{FIELD_WORDS.get(attribute, attribute)}"
    base, _, number = name.partition("#")
    words = PROPERTY_WORDS.get(base, base)
    return f"{words}（第 {number} 项）" if number else words


def _kind(element_type: str) -> str:
    return KINDS.get(element_type, element_type)


def _admins_only() -> None:
    if not current_user.is_admin:
        abort(404)


def _version_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6 else default


def _or_404(use_case, *args):
    try:
        return use_case(current_user, *args)
    except ServiceError as err:
        if err.status == 404:
            abort(404)
        raise
