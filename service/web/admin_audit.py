"""管理 → 审计日志 (ORG-4, issues 12 and 14): every administrative change and every line of case
history, newest first, filtered by person, case, kind, target and days; each row says whether it is
sealed into the hash chain and folds out what was before and after. Administrators only (404)."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import audit_log
from ..services.audit import TARGET_LABELS
from . import bp, page_arg
from .admin_pages import admins_only

PER_PAGE = 30
FILTERS = ("actor", "case", "kind", "target_type", "target_id", "from", "to")
# The words a person reads for the keys of a before/after state (a key without words shows as it is).
STATE_WORDS = {
    "workday": "上班日",
    "note": "备注",
    "confirmed": "已确认",
    "entered_days": "录入天数",
    "version": "版本",
    "name": "名称",
    "comment": "部署说明",
    "content_hash": "内容摘要",
    "status": "状态",
    "reason": "理由",
    "withdrawn": "申请人撤回",
    "renamed": "改名的待办",
    "text": "词语",
    "category": "类别",
    "severity": "严重程度",
    "suggestion": "建议表述",
    "added": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "removed": "删除",
    "replace": "替换未列出的词语",
    "failures": "登录失败次数",
    "must_change_password": "须修改密码",
    "token": "令牌编号",
    "expires_at": "到期时间",
    "revoked": "已撤销",
    "department": "部门",
    "role": "角色",
    "is_admin": "系统管理员",
    "departments": "部门数",
    "users": "账号数",
}


@bp.get("/admin/audit")
@login_required
def admin_audit():
    admins_only()
    asked = {name: request.args.get(name, "").strip() for name in FILTERS}
    errors: dict[str, list[str]] = {}
    try:
        wanted = audit_log.filter_of(asked)
    except ServiceError as err:  # said beside its field; the list shows every entry meanwhile
        errors[err.field or ""] = [err.message]
        wanted = audit_log.AuditFilter()
    page = audit_log.read_log(current_user, wanted, page_arg(), PER_PAGE)
    body = render_template(
        "admin/audit.html",
        page=page,
        pages=max(1, -(-page.total // PER_PAGE)),
        asked=asked,
        args={} if errors else {name: value for name, value in asked.items() if value},
        errors=errors,
        kinds=[(kind, audit_log.kind_label(kind)) for kind in _kinds(asked["kind"])],
        target_types=list(TARGET_LABELS.items()),
        kind_label=audit_log.kind_label,
        target_label=lambda name: TARGET_LABELS.get(name, name),
        source_labels=audit_log.SOURCE_LABELS,
        state_lines=state_lines,
    )
    return body, 400 if errors else 200


def _kinds(asked: str) -> list[str]:
    """The kinds the log offers, and the one asked for even if it does not (yet)."""
    found = audit_log.kinds_offered()
    return found + [asked] if asked and asked not in found else found


def state_lines(state: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A before or after state as readable `key: value` lines (the template escapes them)."""
    return [(STATE_WORDS.get(str(key), str(key)), _value(value)) for key, value in (state or {}).items()]


def _value(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
