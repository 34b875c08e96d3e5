"""The OpenAPI 3.1 description of /api/v1 (a test checks it names every route)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from workflows.forms import FIELD_TYPES
from workflows.screening import Hit

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _op(summary: str, ok: str | None, *errors: int, status: int = 200, body: str | None = None, params=()):
    op: dict[str, Any] = {"summary": summary, "responses": {}}
    if ok:
        op["responses"][str(status)] = {
            "description": "成功",
            "content": {"application/json": {"schema": _ref(ok)}},
        }
    for code in (401, *errors):
        op["responses"][str(code)] = {"description": "见 code 字段", "content": PROBLEM}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    if params:
        op["parameters"] = list(params)
    return op


def _page(item: str) -> dict[str, Any]:
    """A page of a list, as views.page_of shapes it."""
    integer = {"type": "integer"}
    items = {"type": "array", "items": _ref(item)}
    return {
        "type": "object",
        "properties": {"items": items, "total": integer, "page": integer, "per_page": integer},
    }


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


TASK_ID = _path_id("task_id")
YEAR = _path_id("year")
TERM_ID = _path_id("term_id")
DAY = {"name": "day", "in": "path", "required": True, "schema": {"type": "string", "format": "date"}}
PAGING = [
    _query("page", {"type": "integer", "minimum": 1, "default": 1}),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
]


def _paths() -> dict[str, Any]:
    return {
        "/departments": {"get": _op("部门列表（代码与名称）", "DepartmentList")},
        "/process-definitions": {"get": _op("已部署流程及其发起表单", "DefinitionList")},
        "/process-definitions/{key}/instances": {
            "post": _op(
                "发起案件",
                "Instance",
                403,
                404,
                422,
                status=201,
                body="DataBody",
                params=[{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
            )
        },
        "/process-instances/{instance_id}": {
            "get": _op(
                "案件详情：状态、受理编号、数据、任务与办理记录",
                "Instance",
                403,
                404,
                params=[_path_id("instance_id")],
            )
        },
        "/process-instances/{instance_id}/cancel": {
            "post": _op(
                "撤销案件（管理员）：须填写理由；待办任务撤回，期限与定时器停止，不再办理。"
                "已办结或已撤销的案件 409 case_not_running",
                "Instance",
                403,
                404,
                409,
                422,
                body="CancelBody",
                params=[_path_id("instance_id")],
            )
        },
        "/process-instances/{instance_id}/migrate": {
            "post": _op(
                "将案件迁移到流程的更新版本（管理员；不填 version 即最新版）。"
                "待办任务保留编号、办理人和期限，之后按新版本流转。"
                "新版本缺少待办任务或案件已经过的环节时 409 migration_refused，"
                "errors 逐项列出（element、name、code、message）",
                "Instance",
                403,
                404,
                409,
                422,
                body="MigrateBody",
                params=[_path_id("instance_id")],
            )
        },
        "/tasks": {
            "get": _op(
                "待办/已办任务（分页）",
                "TaskPage",
                400,
                403,
                params=[
                    _query(
                        "scope",
                        {
                            "type": "string",
                            "enum": ["mine", "department", "actionable", "all"],
                            "default": "mine",
                        },
                    ),
                    _query("status", {"type": "string", "enum": ["open", "done"], "default": "open"}),
                    _query("due", {"type": "string", "enum": ["soon", "overdue"]}),
                    *PAGING,
                ],
            )
        },
        "/tasks/{task_id}": {
            "get": _op(
                "任务详情：表单（退回重办时预填上次答复）、案件数据、退回原因",
                "TaskDetail",
                403,
                404,
                params=[TASK_ID],
            )
        },
        "/tasks/{task_id}/claim": {"post": _op("签收任务", "Task", 403, 404, 409, params=[TASK_ID])},
        "/tasks/{task_id}/unclaim": {"post": _op("退回部门待办", "Task", 403, 404, 409, params=[TASK_ID])},
        "/tasks/{task_id}/complete": {
            "post": _op(
                "办结任务（按表单校验）", "Task", 403, 404, 409, 422, body="DataBody", params=[TASK_ID]
            )
        },
        "/tasks/{task_id}/transfer": {
            "post": _op(
                "转办到其他部门（ESC-3）", "Task", 403, 404, 409, 422, body="TransferBody", params=[TASK_ID]
            )
        },
        "/notifications": {
            "get": _op(
                "我的通知（催办、督办）",
                "NotificationPage",
                400,
                params=[_query("unread", {"type": "string", "enum": ["1"]}), *PAGING],
            )
        },
        "/notifications/{notification_id}/read": {
            "post": _op("标记通知已读", "Notification", 404, params=[_path_id("notification_id")])
        },
        "/profile": {"get": _op("当前适用的期限配置（各期限的天数及依据）", "Profile")},
        **_calendar_paths(),
        "/screening/terms": {
            "get": _op(
                "错敏词库（分页；q 按词语、类别或建议表述筛选）",
                "ScreeningTermPage",
                400,
                params=[_query("q", {"type": "string", "maxLength": 100}), *PAGING],
            ),
            "post": _op(
                "添加词语（管理员）", "ScreeningTerm", 403, 409, 422, status=201, body="ScreeningTermBody"
            ),
        },
        "/screening/terms/{term_id}": {
            "put": _op(
                "修改词语（管理员；须带读取时的 version）",
                "ScreeningTerm",
                403,
                404,
                409,
                422,
                body="ScreeningTermBody",
                params=[TERM_ID],
            ),
            "delete": {
                **_op("删除词语（管理员）", None, 403, 404, 409, params=[TERM_ID]),
                "responses": {"204": {"description": "已删除"}},
            },
        },
        "/screening/check": {
            "post": _op(
                "错敏检查：按词库和身份证号、手机号码检测草稿（PUB-9）",
                "Screening",
                422,
                body="ScreeningCheckBody",
            )
        },
        "/openapi.json": {
            "get": {"summary": "本文档", "security": [], "responses": {"200": {"description": "OpenAPI"}}}
        },
    }


def _schemas() -> dict[str, Any]:
    obj, string, integer = {"type": "object"}, {"type": "string"}, {"type": "integer"}
    nullable_time = {"type": ["string", "null"], "format": "date-time"}
    flag = {"type": "boolean"}
    due = {"due_at": nullable_time, "overdue": flag, "due_soon": flag, "provisional": flag}
    return {
        "Problem": {
            "type": "object",
            "required": ["type", "title", "status", "code"],
            "properties": {
                "type": string,
                "title": {"type": "string", "description": "中文说明"},
                "status": integer,
                "code": {"type": "string", "description": "稳定的错误代码"},
                "field": {"type": "string", "description": "出错的字段"},
                "errors": {
                    "type": "array",
                    "items": obj,
                    "description": "每项一个问题：表单数据为 {field, code, message}；"
                    "流程图出错（code 为 workflow_error）为 {element_id, element_name, code, message}，"
                    "指明出错的流程图元素",
                },
            },
        },
        "Department": {"type": "object", "properties": {"code": string, "name": string}},
        "DepartmentList": {
            "type": "object",
            "properties": {"items": {"type": "array", "items": _ref("Department")}},
        },
        "FormField": {
            "type": "object",
            "properties": {
                "name": string,
                "type": {"enum": list(FIELD_TYPES)},
                "label": string,
                "required": {"type": "boolean"},
                "required_if": obj,
                "max_length": integer,
                "min_items": integer,
                "options": {"type": "array", "items": _ref("FormOption")},
            },
        },
        "FormOption": {
            "type": "object",
            "required": ["value", "label"],
            "properties": {
                "value": string,
                "label": string,
                "only_if": {
                    "type": "object",
                    "description": "仅当该字段（本表单或案件数据）为该值时可选；案件不满足的选项不列出",
                    "properties": {"field": string, "value": string},
                },
                "why_not": {"type": "string", "description": "条件不满足时拒绝的理由"},
            },
        },
        "Definition": {
            "type": "object",
            "properties": {
                "key": string,
                "version": integer,
                "name": string,
                "start_form": {"type": ["array", "null"], "items": _ref("FormField")},
                "can_start": {"type": "boolean"},
            },
        },
        "DefinitionList": {
            "type": "object",
            "properties": {"items": {"type": "array", "items": _ref("Definition")}},
        },
        "Task": {
            "type": "object",
            "properties": {
                "id": integer,
                "name": string,
                "status": {"enum": ["open", "done", "cancelled"]},
                "department": _ref("Department"),
                "role": {"type": ["string", "null"]},
                "assignee": {"type": ["object", "null"]},
                **due,
                "escalation_level": integer,
                "form": {"type": "array", "items": _ref("FormField")},
            },
        },
        "TaskDetail": {
            "allOf": [_ref("Task")],
            "type": "object",
            "properties": {
                "form": {
                    "type": "array",
                    "items": {
                        "allOf": [_ref("FormField")],
                        "properties": {"value": {"description": "上次的答复"}},
                    },
                },
                "case": {
                    "type": "object",
                    "properties": {"id": integer, "tracking_number": string, "status": string, "data": obj},
                },
                "rework": {
                    "type": ["object", "null"],
                    "description": "退回重办时：上次的答复，以及由谁、何时、以什么意见退回",
                    "properties": {
                        "previous_answer": obj,
                        "returned_by": {
                            "type": "object",
                            "properties": {
                                "task": string,
                                "task_spec": string,
                                "person": {"type": ["object", "null"]},
                                "at": nullable_time,
                                "answer": {"type": "array", "items": obj},
                            },
                        },
                    },
                },
            },
        },
        "TaskPage": _page("Task"),
        "Instance": {
            "type": "object",
            "properties": {
                "id": integer,
                "tracking_number": string,
                "process": {
                    "type": "object",
                    "properties": {"key": string, "version": integer, "name": string},
                },
                "status": {"enum": ["running", "completed", "cancelled"]},
                "cancellation": {
                    "type": ["object", "null"],
                    "description": "撤销的时间、撤销人和理由（仅已撤销的案件）",
                    "properties": {
                        "at": {"type": "string", "format": "date-time"},
                        "by": {"type": ["object", "null"]},
                        "reason": string,
                    },
                },
                "data": obj,
                **due,
                "clock_paused": {"type": "boolean"},
                "deadlines": {"type": "array", "items": _ref("Deadline")},
                "open_tasks": {"type": "array", "items": _ref("Task")},
                "done_tasks": {"type": "array", "items": _ref("Task")},
                "history": {"type": "array", "items": obj},
            },
        },
        "Deadline": {
            "type": "object",
            "properties": {
                "name": string,
                "label": string,
                "period": string,
                "extension": {"type": ["string", "null"]},
                "started_on": {"type": "string", "format": "date"},
                "no_later_than": {"type": ["string", "null"], "format": "date"},
                "pauses": {"type": "array", "items": {"type": "array"}},
                "status": {"enum": ["running", "paused", "met", "cancelled"]},
                **due,
                "escalation_level": integer,
            },
        },
        "Notification": {
            "type": "object",
            "properties": {
                "id": integer,
                "kind": {"enum": ["reminder", "escalation"]},
                "title": string,
                "body": string,
                "instance_id": integer,
                "task_id": {"type": ["integer", "null"]},
                "created_at": nullable_time,
                "read": {"type": "boolean"},
            },
        },
        "NotificationPage": _page("Notification"),
        "Profile": {
            "type": "object",
            "properties": {"name": string, "title": string, "deadlines": {"type": "array"}},
        },
        **_calendar_schemas(),
        **_screening_schemas(),
        "DataBody": {"type": "object", "properties": {"data": obj}},
        "CancelBody": {
            "type": "object",
            "required": ["reason"],
            "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 500}},
        },
        "MigrateBody": {
            "type": "object",
            "properties": {"version": {"type": "integer", "description": "目标版本号，须比案件当前版本新"}},
        },
        "TransferBody": {
            "type": "object",
            "required": ["department", "reason"],
            "properties": {"department": string, "reason": string},
        },
    }


def _screening_schemas() -> dict[str, Any]:
    string, integer = {"type": "string"}, {"type": "integer"}
    severity = {"enum": ["serious", "minor"], "description": "serious 严重（阻止发布）, minor 一般（提醒）"}
    term = {
        "text": {"type": "string", "maxLength": 100},
        "category": {"type": "string", "maxLength": 50, "description": "如 政治表述、错别字、过时表述"},
        "severity": severity,
        "suggestion": {"type": "string", "maxLength": 100, "description": "正确表述"},
        "note": {"type": "string", "maxLength": 500},
    }
    hit = {f.name: integer if f.name == "start" else string for f in fields(Hit)}
    return {
        "ScreeningTermBody": {
            "type": "object",
            "required": ["text", "category", "severity"],
            "properties": {**term, "version": {"type": "integer", "description": "修改时必填"}},
        },
        "ScreeningTerm": {
            "type": "object",
            "properties": {
                "id": integer,
                **term,
                "severity_label": string,
                "updated_at": {"type": "string", "format": "date-time"},
                "updated_by": {"type": ["object", "null"]},
                "version": integer,
            },
        },
        "ScreeningTermPage": _page("ScreeningTerm"),
        "ScreeningCheckBody": {
            "type": "object",
            "required": ["fields"],
            "properties": {
                "fields": {
                    "type": "object",
                    "maxProperties": 10,
                    "additionalProperties": {"type": "string", "maxLength": 10000},
                }
            },
        },
        "Screening": {
            "type": "object",
            "properties": {
                "blocked": {"type": "boolean", "description": "有严重问题，不能发布"},
                "serious": integer,
                "minor": integer,
                "truncated": {"type": "boolean", "description": "只列出前 200 处"},
                "hits": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {**hit, "severity": severity, "severity_label": string},
                        "description": "身份证号、手机号码以打码形式给出",
                    },
                },
            },
        },
    }


def openapi_document() -> dict[str, Any]:
    """The API description served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "govflow API",
            "version": "1",
            "description": "政务网站业务流程服务接口。错误以 application/problem+json 返回。",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": _schemas(),
        },
        "paths": _paths(),
    }


def _calendar_paths() -> dict[str, Any]:
    busy = "409 concurrent_modification：工作日历或案件期限正被他人修改，请稍后重试。"
    confirm = _op("确认某年官方节假日已全部录入（管理员）", "CalendarYear", 400, 403, 409, 422, params=[YEAR])
    withdraw = _op("撤回某年的确认（管理员）", "CalendarYear", 400, 403, 409, params=[YEAR])
    put = _op(
        "录入或更正一天：放假或调休上班（管理员）", "CalendarDay", 400, 403, 409, 422, body="CalendarDay"
    )
    delete = _op("撤销录入的日期（管理员）", None, 400, 403, 404, 409)
    return {
        "/calendar/{year}": {
            "get": _op(
                "某年工作日历：数据来源、管理员录入的日期、暂按的法定节假日",
                "CalendarYear",
                400,
                params=[YEAR],
            )
        },
        "/calendar/{year}/confirm": {
            "post": {
                **confirm,
                "description": "答复即确认后所用的日期。422 calendar_year_empty：该年未录入任何日期；"
                "409 year_already_official：系统内置年份。" + busy,
            },
            "delete": {
                **withdraw,
                "description": "撤回后该年期限重新按暂定日历计算并标记 provisional。"
                "409 year_not_confirmed：尚未确认；409 year_already_official：系统内置年份。" + busy,
            },
        },
        "/calendar/days/{day}": {
            "parameters": [DAY],
            "put": {
                **put,
                "description": "422 validation_failed（field=note）：备注含空字符、无效字符或超过 200 字。"
                + busy,
            },
            "delete": {
                **delete,
                "responses": {"204": {"description": "已撤销"}, **delete["responses"]},
                "description": "409 calendar_year_confirmed：已确认年份的唯一录入日期，须先撤回确认。" + busy,
            },
        },
    }


def _calendar_schemas() -> dict[str, Any]:
    day = {"type": "string", "format": "date"}
    entry = {
        "type": "object",
        "properties": {"day": day, "workday": {"type": "boolean"}, "note": {"type": "string"}},
    }
    return {
        "CalendarYear": {
            "type": "object",
            "properties": {
                "year": {"type": "integer"},
                "official": {"type": "boolean", "description": "系统内置或管理员已确认"},
                "source": {"enum": ["package", "administrator", None]},
                "confirmed_at": {"type": ["string", "null"], "format": "date-time"},
                "entered_days": {
                    "type": "array",
                    "items": entry,
                    "description": "管理员录入的放假日和调休上班日",
                },
                "provisional_days": {
                    "type": "array",
                    "items": entry,
                    "description": "未确认年份暂按的法定节假日（含周末顺延的补假，不含调休上班日）；"
                    "已正式的年份为空",
                },
            },
        },
        "CalendarDay": {
            "type": "object",
            "required": ["workday"],
            "properties": {
                "day": {**day, "readOnly": True},
                "workday": {"type": "boolean", "description": "true 调休上班，false 放假"},
                "note": {"type": "string", "maxLength": 200},
            },
        },
    }
