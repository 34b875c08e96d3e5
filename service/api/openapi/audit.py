"""The description of the audit log's operation (ORG-4, issues 12 and 14)."""

from __future__ import annotations

from typing import Any

from .paths import PAGING, op, query
from .shapes import ANY_OBJECT, INTEGER, MOMENT, STRING, nullable, obj, page, ref

TEXT = {"type": "string", "maxLength": 100}
DAY = {"type": "string", "format": "date"}


def paths() -> dict[str, Any]:
    return {
        "/audit": {
            "get": op(
                "审计日志（管理员；最新的在前，分页）：谁在何时做了哪项管理操作或办理了案件的哪一步，"
                "操作前后的内容，是否已封存进哈希链",
                "AuditPage",
                403,
                params=[
                    query("actor", {**TEXT, "description": "操作人的用户名"}),
                    query("case", {**TEXT, "description": "案件编号（受理编号）"}),
                    query("kind", {**TEXT, "description": "操作类型，如 calendar_day_set、task_claimed"}),
                    query(
                        "target_type", {**TEXT, "description": "对象类型，如 user、case、process_definition"}
                    ),
                    query("target_id", {**TEXT, "description": "对象编号或键"}),
                    query("from", {**DAY, "description": "开始日期（北京时间，含当日）"}),
                    query("to", {**DAY, "description": "结束日期（北京时间，含当日）"}),
                    *PAGING,
                ],
                description="403 admin_only：非管理员；400 invalid_parameter（field 指明参数）。",
            )
        }
    }


def schemas() -> dict[str, Any]:
    return {
        "AuditEntry": obj(
            {
                "source": {
                    "type": "string",
                    "enum": ["audit_entry", "case_event"],
                    "description": "audit_entry：管理操作；case_event：案件办理记录",
                },
                "id": INTEGER,
                "at": MOMENT,
                "actor": nullable(ref("Person")),
                "kind": STRING,
                "kind_label": {"type": "string", "description": "操作类型的中文名称"},
                "target_type": STRING,
                "target_id": nullable(STRING),
                "tracking_number": nullable({"type": "string", "description": "所涉案件的编号"}),
                "task_id": nullable(INTEGER),
                "summary": STRING,
                "before": nullable(ANY_OBJECT),
                "after": nullable(ANY_OBJECT),
                "sealed": {"type": "boolean", "description": "是否已封存进哈希链"},
                "seq": nullable({**INTEGER, "description": "在链中的序号；未封存时为 null"}),
                "hash": nullable({**STRING, "description": "本条链接的 SHA-256（含上一条的哈希）"}),
            },
            description="一条审计记录（管理操作或案件办理记录）；actor 为 null 表示系统或命令行。"
            "从不含密码、密码摘要或令牌。案件办理记录的 after 是该步的详情。",
        ),
        "AuditPage": page("AuditEntry"),
    }
