"""Writing the administrative audit log (ORG-4): one call per administrative change,
inside the transaction that makes the change, so the entry and the change commit or roll back
together. Entries are only ever added: nothing here (or anywhere in the service) changes or
removes one (tests/service/test_audit_log.py checks the code for it, and the database refuses it).
Reading the log is services/audit_log.py; sealing it into the hash chain is services/audit_chain.py."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ..extensions import db
from ..models import AuditEntry, User
from .engine import now

MAX_SUMMARY = 500


class AuditKind(StrEnum):
    """The kinds of administrative change this service writes (the organisation pages add theirs)."""

    DIAGRAM_DEPLOYED = "diagram_deployed"
    CASE_MIGRATED = "case_migrated"
    CASE_CANCELLED = "case_cancelled"
    CALENDAR_DAY_SET = "calendar_day_set"
    CALENDAR_DAY_REMOVED = "calendar_day_removed"
    CALENDAR_YEAR_CONFIRMED = "calendar_year_confirmed"
    CALENDAR_YEAR_WITHDRAWN = "calendar_year_withdrawn"
    TERM_ADDED = "screening_term_added"
    TERM_UPDATED = "screening_term_updated"
    TERM_DELETED = "screening_term_deleted"
    TERMS_IMPORTED = "screening_terms_imported"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    ACCOUNT_UNLOCKED = "account_unlocked"
    TOKEN_CREATED = "token_created"
    TOKEN_REVOKED = "token_revoked"
    DEMO_SEEDED = "demo_seeded"
    USER_CREATED = "user_created"
    DEPARTMENT_CREATED = "department_created"
    DEPARTMENT_CHANGED = "department_changed"
    PERSON_CREATED = "person_created"
    PERSON_CHANGED = "person_changed"
    PERSON_DEACTIVATED = "person_deactivated"
    PERSON_REACTIVATED = "person_reactivated"
    BACKUP_RESTORED = "backup_restored"
    COLUMN_ADDED = "column_added"
    COLUMN_CHANGED = "column_changed"
    DISCLOSURE_REPORT_ENTERED = "disclosure_report_entered"


# The words people read for each kind (audit_log.kind_label); every kind written has one.
KIND_LABELS: dict[str, str] = {
    AuditKind.DIAGRAM_DEPLOYED: "部署流程图",
    AuditKind.CASE_MIGRATED: "迁移案件",
    AuditKind.CASE_CANCELLED: "撤销案件",
    AuditKind.CALENDAR_DAY_SET: "录入日历日期",
    AuditKind.CALENDAR_DAY_REMOVED: "删除日历日期",
    AuditKind.CALENDAR_YEAR_CONFIRMED: "确认年度日历",
    AuditKind.CALENDAR_YEAR_WITHDRAWN: "撤回年度日历确认",
    AuditKind.TERM_ADDED: "添加错敏词",
    AuditKind.TERM_UPDATED: "修改错敏词",
    AuditKind.TERM_DELETED: "删除错敏词",
    AuditKind.TERMS_IMPORTED: "导入错敏词库",
    AuditKind.PASSWORD_CHANGED: "修改密码",
    AuditKind.PASSWORD_RESET: "重置密码",
    AuditKind.ACCOUNT_UNLOCKED: "解除锁定",
    AuditKind.TOKEN_CREATED: "新建访问令牌",
    AuditKind.TOKEN_REVOKED: "撤销访问令牌",
    AuditKind.DEMO_SEEDED: "创建演示组织",
    AuditKind.USER_CREATED: "创建账号",
    AuditKind.DEPARTMENT_CREATED: "新建部门",
    AuditKind.DEPARTMENT_CHANGED: "修改部门",
    AuditKind.PERSON_CREATED: "新建人员",
    AuditKind.PERSON_CHANGED: "修改人员",
    AuditKind.PERSON_DEACTIVATED: "停用人员",
    AuditKind.PERSON_REACTIVATED: "恢复人员",
    AuditKind.BACKUP_RESTORED: "恢复备份",
    AuditKind.COLUMN_ADDED: "登记网站栏目",
    AuditKind.COLUMN_CHANGED: "修改网站栏目",
    AuditKind.DISCLOSURE_REPORT_ENTERED: "录入政府信息公开年报数据",
}

TARGET_LABELS = {
    "process_definition": "流程图",
    "case": "案件",
    "calendar_day": "日历日期",
    "calendar_year": "日历年度",
    "screening_term": "错敏词",
    "word_list": "错敏词库",
    "user": "账号",
    "department": "部门",
    "organisation": "组织",
    "backup": "备份",
    "site_column": "网站栏目",
    "disclosure_report": "政府信息公开年报",
}


def record(
    actor: User | None,
    kind: str,
    target_type: str,
    target_id: Any,
    summary: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one entry: who (None: the system or a command line), what kind of change, to what, a line
    saying it in Chinese, and the state before and after where it matters (never a secret)."""
    db.session.add(
        AuditEntry(
            at=now(),
            actor_id=actor.id if actor else None,
            kind=str(kind),
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            summary=summary[:MAX_SUMMARY],
            before=before,
            after=after,
        )
    )
