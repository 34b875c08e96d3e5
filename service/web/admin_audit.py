"""管理 → 审计日志 (ORG-4, issue 12): every administrative change, newest first, filtered by person,
kind, target and days; each row folds out what was before and after. Administrators only (404)."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template, request
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import audit
from . import bp, page_arg
from .admin_pages import admins_only

PER_PAGE = 30
FILTERS = ("actor", "kind", "target_type", "target_id", "from", "to")
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
        wanted = audit.filter_of(asked)
    except ServiceError as err:  # said beside its field; the list shows every entry meanwhile
        errors[err.field or ""] = [err.message]
        wanted = audit.AuditFilter()
    page = audit.read_log(current_user, wanted, page_arg(), PER_PAGE)
    body = render_template(
        "admin/audit.html",
        page=page,
        pages=max(1, -(-page.total // PER_PAGE)),
        asked=asked,
        args={} if errors else {name: value for name, value in asked.items() if value},
        errors=errors,
        kinds=[(kind, audit.kind_label(kind)) for kind in _kinds(asked["kind"])],
        target_types=list(audit.TARGET_LABELS.items()),
        kind_label=audit.kind_label,
        target_label=lambda name: audit.TARGET_LABELS.get(name, name),
        state_lines=state_lines,
    )
    return body, 400 if errors else 200


def _kinds(asked: str) -> list[str]:
    """The kinds that occur in the log, and the one asked for even if it does not (yet)."""
    found = audit.kinds_written()
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
