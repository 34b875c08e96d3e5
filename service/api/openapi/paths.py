"""Every operation of /api/v1 with every answer it may give.

Answers every operation of a kind can give are added by `op` itself: 401 (not logged in) always;
400 (malformed JSON, a bad query parameter) and 415 (not JSON) where it takes a body or a query;
404 where a path names something (unknown, or not a well-formed id). The rest are listed per
operation. Every refusal is application/problem+json.
"""

from __future__ import annotations

from typing import Any

from ...services.attachment_rules import MEDIA_TYPES, UNKNOWN_TYPE
from .definitions import definition_paths
from .shapes import ref

PROBLEM = {"application/problem+json": {"schema": ref("Problem")}}
BUSY = "409 concurrent_modification：工作日历或案件期限正被他人修改，请稍后重试。"


def op(
    summary: str,
    ok: str | None,
    *errors: int,
    status: int = 200,
    body: str | None = None,
    params: list[dict[str, Any]] | tuple = (),
    description: str = "",
) -> dict[str, Any]:
    """One operation: its success answer (a schema name, or None for 204) and its refusals."""
    success: dict[str, Any] = {"description": "成功"}
    if ok:
        success["content"] = {"application/json": {"schema": ref(ok)}}
    responses: dict[str, Any] = {str(status): success}
    # Every route: no or a wrong token (401), an address over the wrong-token limit (429
    # too_many_failures, with Retry-After), the database unreachable (503 database_unavailable).
    implied = {401, 429, 503}
    if body or any(p["in"] == "query" for p in params):
        implied |= {400}
    if body:  # json_body() refuses a text the database cannot store (a NUL) with 422, on every route
        implied |= {415, 422}
    if any(p["in"] == "path" for p in params):
        implied |= {404}
    for code in sorted(implied | set(errors)):
        responses[str(code)] = {"description": "见 code 字段", "content": PROBLEM}
    out: dict[str, Any] = {"summary": summary, "responses": responses}
    if description:
        out["description"] = description
    if body:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    if params:
        out["parameters"] = list(params)
    return out


def path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


TASK_ID = path_id("task_id")
ATTACHMENT_ID = path_id("attachment_id")
INSTANCE_ID = path_id("instance_id")
TERM_ID = path_id("term_id")
YEAR = {
    "name": "year",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
}
DAY = {"name": "day", "in": "path", "required": True, "schema": {"type": "string", "format": "date"}}
KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}
PAGING = [
    query("page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}),
    query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
]


def paths() -> dict[str, Any]:
    """Every path and method the API serves."""
    served = {
        **_cases(),
        **_tasks(),
        **_attachments(),
        **_rewind(),
        **_copies(),
        **_delegation(),
        **_deadlines(),
        **_calendar(),
        **_screening(),
        **_diagrams(),
        **_document(),
        **_accounts(),
        **_audit(),
        **_statistics(),
        **_columns(),
        **_reports(),
    }
    for path, operations in [*definition_paths().items(), *_organisation().items()]:
        served.setdefault(path, {}).update(operations)
    return served


def _organisation() -> dict[str, Any]:
    from . import organisation  # it builds on op() here

    return organisation.paths()


def _accounts() -> dict[str, Any]:
    from . import accounts  # it builds on op() here

    return accounts.paths()


def _audit() -> dict[str, Any]:
    from . import audit  # it builds on op() here

    return audit.paths()


def _statistics() -> dict[str, Any]:
    from . import statistics  # it builds on op() here

    return statistics.paths()


def _columns() -> dict[str, Any]:
    from . import columns  # it builds on op() here

    return columns.paths()


def _reports() -> dict[str, Any]:
    from . import reports  # it builds on op() here

    return reports.paths()


def _cases() -> dict[str, Any]:
    return {
        "/departments": {"get": op("部门列表（代码与名称）", "DepartmentList")},
        "/process-definitions": {
            "get": op("已部署流程及其发起表单；can_start 说明提问的人能否发起", "DefinitionList")
        },
        "/process-definitions/{key}/instances": {
            "post": op("发起案件", "Instance", 403, 422, status=201, body="DataBody", params=[KEY])
        },
        "/process-instances/{instance_id}": {
            "get": op(
                "案件详情：状态、受理编号、数据、任务、期限与办理记录", "Instance", 403, params=[INSTANCE_ID]
            )
        },
        "/process-instances/{instance_id}/opinions": {
            "get": op(
                "案件的审批意见，按给出的先后：环节、处室、人员、时间、结论与意见（含转办理由）",
                "OpinionList",
                403,
                params=[INSTANCE_ID],
                description="能查看该案件的人均可查看；403 not_involved：无权查看该案件。",
            )
        },
        "/process-instances/{instance_id}/cancel": {
            "post": op(
                "撤销案件（管理员；须填写理由）",
                "Instance",
                403,
                409,
                422,
                body="CancelBody",
                params=[INSTANCE_ID],
                description="409 case_not_running：案件已办结或已撤销。",
            )
        },
        "/process-instances/{instance_id}/migrate": {
            "post": op(
                "将案件迁移到其流程图的新版本（管理员；不带 version 即最新版本）",
                "Instance",
                403,
                409,
                422,
                body="MigrateBody",
                params=[INSTANCE_ID],
                description="409 migration_refused：新版本缺少案件的待办任务或已走过的步骤，errors 逐项说明；"
                "409 already_on_version；422 version_not_found / invalid（field=version）。",
            )
        },
    }


def _tasks() -> dict[str, Any]:
    scopes = {"type": "string", "enum": ["mine", "department", "actionable", "all"], "default": "mine"}
    return {
        "/tasks": {
            "get": op(
                "待办/已办任务（分页）：mine 我的，department 本处室我能办理的，"
                "actionable 等我办理的，all 全部（管理员）",
                "TaskPage",
                403,
                params=[
                    query("scope", scopes),
                    query("status", {"type": "string", "enum": ["open", "done"], "default": "open"}),
                    query("due", {"type": "string", "enum": ["soon", "overdue", "provisional"]}),
                    query("process", {"type": "string", "description": "流程（流程图 key）"}),
                    query(
                        "q",
                        {
                            "type": "string",
                            "maxLength": 100,
                            "description": "任务名称、受理编号、申请人或标题",
                        },
                    ),
                    *PAGING,
                ],
                description="待办按期限排序：最早到期在前，无期限的在后，再按创建先后；已办按办结时间倒序。"
                "due：soon 即将到期，overdue 已超期，provisional 期限暂定。",
            )
        },
        "/tasks/counts": {"get": op("收件箱各页签的任务数：待我办理、我的在办、本处室、已办", "TaskCounts")},
        "/tasks/{task_id}": {
            "get": op(
                "任务详情：表单（预填受委派人交回的拟办答复，或退回重办时上次的答复）、案件数据、退回原因、审批意见、会签情况",
                "TaskDetail",
                403,
                params=[TASK_ID],
            )
        },
        "/tasks/{task_id}/claim": {"post": op("签收任务", "Task", 403, 409, params=[TASK_ID])},
        "/tasks/{task_id}/unclaim": {"post": op("退回部门待办", "Task", 403, 409, params=[TASK_ID])},
        "/tasks/{task_id}/complete": {
            "post": op(
                "办结任务（按表单校验）",
                "Completion",
                403,
                409,
                422,
                body="DataBody",
                params=[TASK_ID],
                description="403 own_work：审核的是本人办理的工作（四眼原则）；"
                "422 nobody_to_act：选择的部门没有能办理下一步的人员；"
                "422 workflow_error：流程图在某一元素出错，errors 指明该元素。",
            )
        },
        "/tasks/{task_id}/transfer": {
            "post": op(
                "转办到其他部门（ESC-3）", "Task", 403, 409, 422, body="TransferBody", params=[TASK_ID]
            )
        },
    }


def _rewind() -> dict[str, Any]:
    return {
        "/tasks/{task_id}/return-targets": {
            "get": op(
                "可退回的前序步骤：本案件已办理、通向本步骤的步骤，不含并行分支中的步骤",
                "ReturnTargets",
                403,
                409,
                params=[TASK_ID],
                description="只有现在可以办理该任务的人可查看。409 task_not_open / task_claimed_by_other。",
            )
        },
        "/tasks/{task_id}/return": {
            "post": op(
                "退回到前序步骤（须填写理由）：本任务取消，该步骤重新打开并由原办理人办理，案件期限继续计算",
                "Rewound",
                403,
                409,
                422,
                body="ReturnBody",
                params=[TASK_ID],
                description="422 not_a_return_target（field=to）：不是可退回的步骤；"
                "422 required（field=reason）。"
                "409 task_not_open / task_claimed_by_other / concurrent_modification。",
            )
        },
        "/tasks/{task_id}/withdraw": {
            "post": op(
                "撤回本人已办结的步骤：后续任务尚无人查看或处理时，后续任务取消，该步骤重新打开",
                "Rewound",
                403,
                409,
                422,
                body="WithdrawBody",
                params=[TASK_ID],
                description="403 not_completer：不是该步骤的办理人。409 cannot_withdraw：message 说明原因"
                "（案件已办结、后续任务已被查看或处理、已告知申请人、已停止或延长期限、已关联案件等）。",
            )
        },
    }


def _copies() -> dict[str, Any]:
    return {
        "/process-instances/{instance_id}/copies": {
            "post": op(
                "抄送：将案件抄送给只需阅知的人员（1至20人，可附言）",
                "CopyList",
                403,
                422,
                status=201,
                body="CopyBody",
                params=[INSTANCE_ID],
                description="本案件待办环节的办理人员或办理过本案件的人员可以抄送（否则 403 may_not_copy）。"
                "答复为这些人现有的未读抄送：已有未读抄送的人不再重复抄送、不再通知。"
                "收到抄送的人可以查看案件（只读），查看案件详情即标记为已读。"
                "422（field=to）：未选择、超过20人、抄送给自己，或用户名不存在或已停用；"
                "422（field=note）：附言超过500字或含无法保存的字符。",
            ),
            "get": op(
                "案件的抄送记录：抄送给谁、由谁、从哪一步、何时阅读", "CopyList", 403, params=[INSTANCE_ID]
            ),
        },
        "/copies": {
            "get": op(
                "抄送我的（分页，最新在前）；unread 为未读总数",
                "CopyPage",
                params=[query("unread", {"type": "string", "enum": ["1"]}), *PAGING],
            )
        },
        "/leader/overview": {
            "get": op(
                "领导督办：待我签批的任务，以及分管处室超期和已督办的任务（按处室，含各处室数量）",
                "LeaderOverview",
                403,
                description="仅分管领导、主要领导（或有分管处室的人员）可用，其他人 403 not_leader。",
            )
        },
    }


def _delegation() -> dict[str, Any]:
    return {
        "/tasks/{task_id}/delegate": {
            "post": op(
                "委派：任务持有人（未签收的任务随之签收）交本处室同事办理，期限与统计仍归委派人",
                "Task",
                403,
                409,
                422,
                body="DelegateBody",
                params=[TASK_ID],
                description="422 required / not_eligible（field=to）：须为本处室在职人员，不是本人，"
                "也不是被审核工作的办理人（四眼原则）；422（field=reason）：超过 500 字或含无法保存的字符；"
                "409 task_delegated：已委派；409 task_claimed_by_other：已由他人签收。",
            )
        },
        "/tasks/{task_id}/resolve": {
            "post": op(
                "受委派人办理完毕交回：data 为任务表单的拟办答复（按办结的规则校验，但不办结），"
                "作为委派人表单的预填内容",
                "Task",
                403,
                409,
                422,
                body="ResolveBody",
                params=[TASK_ID],
                description="403 not_delegate：只有受委派人可以交回；409 task_not_delegated：未委派或已交回；"
                "422 validation_failed：表单数据有误（field 指明字段），或 note 超过 500 字。",
            )
        },
        "/tasks/{task_id}/take-back": {
            "post": op(
                "收回委派（委派人或管理员）",
                "Task",
                403,
                409,
                params=[TASK_ID],
                description="403 not_delegator；409 task_not_delegated：未委派或已交回。",
            )
        },
        "/tasks/{task_id}/urge": {
            "post": op(
                "催办：案件发起人、经办人、分管领导或管理员催促任务持有人（未签收时通知可办理的人员）",
                "Task",
                403,
                409,
                422,
                body="UrgeBody",
                params=[TASK_ID],
                description="403 not_allowed_to_urge；409 own_task：自己待办的任务；"
                "409 urged_recently：同一人一小时内只能催办同一任务一次；409 task_not_open；"
                "422（field=message）：留言超过 200 字或含无法保存的字符。",
            )
        },
    }


def _attachments() -> dict[str, Any]:
    upload = op(
        "在任务环节上传附件（multipart/form-data，字段 file）",
        "Attachment",
        400,
        403,
        409,
        413,
        415,
        422,
        status=201,
        params=[TASK_ID],
        description="能办理该任务的人（本部门、本角色，未被他人签收）可上传；看不到该任务的人得到 404。"
        "类型由扩展名决定（pdf、ofd、doc、docx、xls、xlsx、ppt、pptx、wps、et、dps、txt、jpg、jpeg、png、zip、rar，"
        "可配置）。422 required / file_type_not_allowed / file_empty（field=file）；"
        "413 file_too_large（field=file，默认单个不超过 20 MB）；409 task_not_open / task_claimed_by_other / "
        "too_many_attachments（默认每个案件最多 20 个）；415 不是 multipart/form-data。"
        "使用登录会话时须在 X-CSRFToken 请求头中附上页面的 CSRF 令牌，否则 403 csrf_check_failed。",
    )
    upload["requestBody"] = {
        "required": True,
        "content": {"multipart/form-data": {"schema": ref("AttachmentUpload")}},
    }
    return {
        "/tasks/{task_id}/attachments": {"post": upload},
        "/process-instances/{instance_id}/attachments": {
            "get": op(
                "案件的附件（不含已删除的），按上传先后",
                "AttachmentList",
                params=[INSTANCE_ID],
                description="看不到该案件的人得到 404。",
            )
        },
        "/attachments/{attachment_id}/content": {"get": _download()},
        "/attachments/{attachment_id}": {
            "delete": op(
                "删除附件（上传人或管理员，附件所在环节尚未办结时）",
                None,
                403,
                409,
                status=204,
                params=[ATTACHMENT_ID],
                description="附件行保留并标记删除，办理记录保留上传与删除两条；文件内容随即删除。"
                "403 not_uploader；409 step_closed：环节已办结；看不到该案件的人、已删除的附件得到 404。"
                "使用登录会话时请在页面上删除（会话的写请求须为 JSON）。",
            )
        },
    }


def _download() -> dict[str, Any]:
    """The download: the bytes as stored, typed by their extension, always as `attachment`."""
    answer = op("下载附件内容", None, params=[ATTACHMENT_ID], description="看不到该案件的人得到 404。")
    binary = {"schema": {"type": "string", "format": "binary"}}
    answer["responses"]["200"] = {
        "description": "附件内容（Content-Disposition: attachment，含 RFC 5987 filename*）",
        "headers": {
            "Content-Disposition": {"required": True, "schema": {"type": "string"}},
            "X-Content-Type-Options": {"required": True, "schema": {"type": "string", "enum": ["nosniff"]}},
        },
        "content": {media: binary for media in sorted({*MEDIA_TYPES.values(), UNKNOWN_TYPE})},
    }
    return answer


def _deadlines() -> dict[str, Any]:
    return {
        "/notifications": {
            "get": op(
                "我的通知（催办、督办）",
                "NotificationPage",
                params=[query("unread", {"type": "string", "enum": ["1"]}), *PAGING],
            )
        },
        "/notifications/{notification_id}/read": {
            "post": op("标记通知已读", "Notification", params=[path_id("notification_id")])
        },
        "/notifications/read-all": {"post": op("将我的全部通知标记为已读", "NotificationsRead")},
        "/profile": {"get": op("当前适用的期限配置（各期限的天数及依据）", "Profile")},
    }


def _calendar() -> dict[str, Any]:
    return {
        "/calendar/{year}": {
            "get": op(
                "某年工作日历：数据来源、管理员录入的日期、暂按的法定节假日",
                "CalendarYear",
                400,
                params=[YEAR],
            )
        },
        "/calendar/{year}/confirm": {
            "post": op(
                "确认某年官方节假日已全部录入（管理员）",
                "CalendarYear",
                400,
                403,
                409,
                422,
                params=[YEAR],
                description="答复即确认后所用的日期。422 calendar_year_empty：该年未录入任何日期；"
                "409 year_already_official：系统内置年份。" + BUSY,
            ),
            "delete": op(
                "撤回某年的确认（管理员）",
                "CalendarYear",
                400,
                403,
                409,
                params=[YEAR],
                description="撤回后该年期限重新按暂定日历计算并标记 provisional。"
                "409 year_not_confirmed：尚未确认；409 year_already_official：系统内置年份。" + BUSY,
            ),
        },
        "/calendar/days/{day}": {
            "put": op(
                "录入或更正一天：放假或调休上班（管理员）",
                "CalendarDay",
                400,
                403,
                409,
                422,
                body="CalendarDayBody",
                params=[DAY],
                description="422 validation_failed（field=note）：备注含空字符、无效字符或超过 200 字。"
                + BUSY,
            ),
            "delete": op(
                "撤销录入的日期（管理员）",
                None,
                400,
                403,
                409,
                status=204,
                params=[DAY],
                description="409 calendar_year_confirmed：已确认年份的唯一录入日期，须先撤回确认。" + BUSY,
            ),
        },
    }


def _screening() -> dict[str, Any]:
    return {
        "/screening/terms": {
            "get": op(
                "错敏词库（分页；q 按词语、类别或建议表述筛选）",
                "ScreeningTermPage",
                params=[query("q", {"type": "string", "maxLength": 100}), *PAGING],
            ),
            "post": op(
                "添加词语（管理员）", "ScreeningTerm", 403, 409, 422, status=201, body="ScreeningTermBody"
            ),
        },
        "/screening/terms/{term_id}": {
            "put": op(
                "修改词语（管理员；须带读取时的 version）",
                "ScreeningTerm",
                403,
                409,
                422,
                body="ScreeningTermBody",
                params=[TERM_ID],
            ),
            "delete": op("删除词语（管理员）", None, 403, 409, status=204, params=[TERM_ID]),
        },
        "/screening/check": {
            "post": op(
                "错敏检查：按词库和身份证号、手机号码检测草稿（PUB-9）",
                "Screening",
                422,
                body="ScreeningCheckBody",
            )
        },
    }


def _diagrams() -> dict[str, Any]:
    return {
        "/service-operations": {
            "get": op("服务任务可调用的操作（处理程序登记表，管理员）", "ServiceOperationList", 403)
        },
    }


def _document() -> dict[str, Any]:
    return {
        "/openapi.json": {
            "get": {
                "summary": "本文档",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        }
    }
