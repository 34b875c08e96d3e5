"""The administrators' diagram operations: check, deploy, versions, a version's XML, a difference."""

from __future__ import annotations

from typing import Any

from .shapes import BOOLEAN, INTEGER, MOMENT, STRING, array, nullable, obj, one_of, ref

KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}
VERSION = {"name": "version", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
ADMIN = "403 admin_only：只有管理员可以管理流程图。"
REFUSED = (
    "422 invalid_diagram：流程图有问题，errors 为 {element_id, element_name, code, message} 的列表"
    "（XML 格式错误、DOCTYPE/实体、不是恰好一个可执行流程、脚本被沙箱拒绝等都在其中），未存储任何内容；"
    "422 validation_failed：缺少 xml 或 comment 超过 200 字（field 指明）；"
    "413 diagram_too_large：xml 超过 2 MB（field=xml）；409 concurrent_deploy：同一流程图刚被他人部署。"
)


def _op(summary: str, ok: str | None, *errors: int, **kwargs: Any) -> dict[str, Any]:
    from .paths import op  # paths imports this module

    return op(summary, ok, *errors, **kwargs)


def definition_paths() -> dict[str, Any]:
    """The paths; /process-definitions also has the list (GET) of paths.py."""
    bounds = {"type": "integer", "minimum": 1}
    diff_params = [
        KEY,
        {"name": "from", "in": "query", "required": True, "schema": bounds},
        {"name": "to", "in": "query", "required": True, "schema": bounds},
    ]
    xml = _op("某一版本的流程图 XML（管理员）", None, 403, params=[KEY, VERSION], description=ADMIN)
    xml["responses"]["200"] = {
        "description": "部署时的 XML",
        "content": {"application/xml": {"schema": {"type": "string"}}},
    }
    return {
        "/process-definitions": {
            "post": _op(
                "部署流程图（管理员）：流程 id 即流程图的 key；"
                "内容与最新版本相同时不生成新版本（200，created=false）",
                "Deployed",
                403,
                409,
                413,
                422,
                status=201,
                body="DiagramBody",
                description=f"{ADMIN}{REFUSED}",
            )
        },
        "/process-definitions/check": {
            "post": _op(
                "检查流程图（管理员）：与 flask validate 相同的检查，不存储；problems 为空即可部署",
                "DiagramCheck",
                403,
                413,
                422,
                body="DiagramBody",
                description=f"{ADMIN}413 diagram_too_large（field=xml）；422 validation_failed：缺少 xml。",
            )
        },
        "/process-definitions/{key}/versions": {
            "get": _op(
                "流程图的全部版本，最新的在前（管理员）",
                "DefinitionVersions",
                403,
                params=[KEY],
                description=ADMIN,
            )
        },
        "/process-definitions/{key}/versions/{version}/xml": {"get": xml},
        "/process-definitions/{key}/migrations": {
            "post": _op(
                "将运行中的案件迁移到新版本（管理员）：先预演（dry_run=true，不做任何改动），再执行；"
                "每件案件各自一个事务，一件被拒不影响其他",
                "MigrationReport",
                403,
                422,
                body="MigrationsBody",
                params=[KEY],
                description=f"{ADMIN}404：流程图不存在。422 validation_failed：field 指明 from_version / "
                "to_version（不是整数、没有该版本、原版本不早于目标版本）、cases（不是正整数列表、"
                "不属于该流程图、超过 500 件）或 dry_run（不是 true/false）。被拒的案件（待办任务在新版本中"
                "不存在或表单不兼容、案件已办结、迁移时案件刚被他人办理）"
                "以 outcome=refused 和中文 reason 列出。",
            )
        },
        "/process-definitions/{key}/diff": {
            "get": _op(
                "两个版本之间的差异（管理员）：新增、删除、修改的元素及其属性",
                "DefinitionDiff",
                403,
                params=diff_params,
                description=f"{ADMIN}404：流程图或版本不存在。",
            )
        },
    }


def definition_schemas() -> dict[str, Any]:
    """The schemas those paths refer to."""
    problem = obj(
        {"element_id": nullable(STRING), "element_name": nullable(STRING), "code": STRING, "message": STRING}
    )
    element = {"element_id": STRING, "element_name": nullable(STRING), "type": STRING}
    change = obj({"property": STRING, "before": nullable(STRING), "after": nullable(STRING)})
    return {
        "DiagramBody": {
            "type": "object",
            "required": ["xml"],
            "properties": {
                "xml": {"type": "string", "description": "BPMN 2.0 XML，不超过 2 MB"},
                "comment": {"type": "string", "maxLength": 200, "description": "部署说明（随版本保存）"},
            },
        },
        "DiagramProblem": problem,
        "DiagramCheck": obj({"key": nullable(STRING), "problems": array(ref("DiagramProblem"))}),
        "Deployed": obj(
            {
                "key": STRING,
                "version": INTEGER,
                "created": BOOLEAN,
                "deployed_at": MOMENT,
                "deployed_by": nullable(ref("Person")),
                "comment": nullable(STRING),
            }
        ),
        "DefinitionVersions": obj(
            {
                "items": array(
                    obj(
                        {
                            "version": INTEGER,
                            "deployed_at": MOMENT,
                            "deployed_by": nullable(ref("Person")),
                            "comment": nullable(STRING),
                            "content_hash": STRING,
                            "running_cases": INTEGER,
                        }
                    )
                )
            }
        ),
        "DiagramElement": obj(element),
        "MigrationsBody": {
            "type": "object",
            "required": ["dry_run"],
            "properties": {
                "dry_run": {"type": "boolean", "description": "true：只预演，什么也不改"},
                "from_version": {"type": "integer", "description": "只迁移该版本的案件（默认：更早各版）"},
                "to_version": {"type": "integer", "description": "目标版本（默认：最新版本）"},
                "cases": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "maxItems": 500,
                    "description": "只迁移这些案件（编号）；一次最多 500 件",
                },
            },
        },
        "MigrationReport": obj(
            {
                "dry_run": BOOLEAN,
                "items": array(
                    obj(
                        {
                            "case_id": INTEGER,
                            "tracking_number": nullable(STRING),
                            "from_version": INTEGER,
                            "to_version": INTEGER,
                            "outcome": one_of("would_move", "moved", "refused"),
                            "reason": nullable(STRING),
                            "renamed": array(obj({"from": STRING, "to": STRING})),
                            "tasks": array(obj({"task_id": INTEGER, "element": STRING, "name": STRING})),
                        }
                    )
                ),
                "moved": INTEGER,
                "refused": INTEGER,
            }
        ),
        "DefinitionDiff": obj(
            {
                "added": array(ref("DiagramElement")),
                "removed": array(ref("DiagramElement")),
                "changed": array(obj({**element, "changes": array(change)})),
            }
        ),
    }
