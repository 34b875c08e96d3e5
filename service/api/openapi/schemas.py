"""The component schemas: every body the API answers with, field by field, and the bodies it takes."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from workflows.forms import FIELD_TYPES
from workflows.profiles.publishing import REVIEWERS
from workflows.screening import Hit
from workflows.sla import ENDINGS

from ...services.queries import COUNT_CAP
from . import accounts, audit, columns, organisation, reports, statistics
from .definitions import definition_schemas
from .shapes import (
    ANY_OBJECT,
    BOOLEAN,
    DATE,
    INTEGER,
    MOMENT,
    STRING,
    array,
    capped_page,
    nullable,
    obj,
    one_of,
    page,
    ref,
)

DUE = {"due_at": nullable(MOMENT), "overdue": BOOLEAN, "due_soon": BOOLEAN, "provisional": BOOLEAN}
OUTCOME = {
    "on_time": {
        **nullable(BOOLEAN),
        "description": "期限已满足（met）时是否按时；仍在计时、因其他原因结束或没有自己的期限时为 null",
    },
    "late_by": {**nullable(INTEGER), "description": "逾期多少（late_unit 计）；按时为 0"},
    "late_unit": {
        **nullable(one_of("workday", "day")),
        "description": "逾期的计量单位：工作日期限按工作日，自然日和月的期限按日",
    },
}
SEVERITY = {**one_of("serious", "minor"), "description": "serious 严重（阻止发布）, minor 一般（提醒）"}


def schemas() -> dict[str, Any]:
    """Every schema the paths refer to."""
    return {
        **_common(),
        **_forms(),
        **_cases(),
        **_deadlines(),
        **_copies(),
        **_screening(),
        **_attachments(),
        **_rewind(),
        **_diagrams(),
        **_bodies(),
        **accounts.schemas(),
        **audit.schemas(),
        **statistics.schemas(),
        **columns.schemas(),
        **reports.schemas(),
        **organisation.schemas(),
        **definition_schemas(),
    }


def _common() -> dict[str, Any]:
    problem_entry = {
        "type": "object",
        "required": ["code", "message"],
        "description": "一处问题：表单数据为 {field, code, message}（导入文件另有 row）；"
        "流程图问题为 {element_id, element_name, code, message}，指明出错的流程图元素",
    }
    return {
        "Problem": obj(
            {
                "type": STRING,
                "title": {"type": "string", "description": "中文说明"},
                "status": INTEGER,
                "code": {"type": "string", "description": "稳定的错误代码"},
                "field": {"type": "string", "description": "出错的字段"},
                "errors": array(problem_entry),
                "reference": {"type": "string", "description": "服务器内部错误的参考编号，日志中可查"},
            },
            optional=("field", "errors", "reference"),
        ),
        "Person": obj({"id": INTEGER, "username": STRING, "name": STRING}),
        "Department": obj({"code": STRING, "name": STRING}),
        "DepartmentList": obj({"items": array(ref("Department"))}),
    }


def form_field(with_value: bool) -> dict[str, Any]:
    """A form field as the definitions list (without) or a task (with its prefilled value) describes it."""
    properties: dict[str, Any] = {
        "name": STRING,
        "type": one_of(*FIELD_TYPES),
        "label": STRING,
        "required": BOOLEAN,
        "required_if": obj({"field": STRING, "value": STRING, "values": array(STRING)}),
        "max_length": INTEGER,
        "min_items": INTEGER,
        "options": array(ref("FormOption")),
        "not_before": DATE,
        "not_after": {
            "anyOf": [DATE, {"const": "today"}],
            "description": "最晚可填的日期；today 表示不晚于当天（如收到、交办、形成日期）",
        },
        "after": {"type": "string", "description": "须晚于的另一个日期字段"},
    }
    optional = tuple(name for name in properties if name not in ("name", "type", "label", "required"))
    if with_value:
        properties["value"] = {"description": "受委派人交回的拟办答复，或退回重办时上次的答复，否则为 null"}
    return obj(properties, optional)


def _forms() -> dict[str, Any]:
    return {
        "FormField": form_field(with_value=False),
        "TaskFormField": form_field(with_value=True),
        "FormOption": obj(
            {
                "value": STRING,
                "label": STRING,
                "only_if": obj(
                    {"field": STRING, "value": STRING},
                    description="仅当该字段（本表单或案件数据）为该值时可选；案件不满足的选项不列出",
                ),
                "why_not": {"type": "string", "description": "条件不满足时拒绝的理由"},
            },
            optional=("only_if", "why_not"),
        ),
        "Definition": obj(
            {
                "key": STRING,
                "version": INTEGER,
                "name": STRING,
                "deployed_at": MOMENT,
                "start_form": nullable(array(ref("FormField"))),
                "can_start": {"type": "boolean", "description": "提问的人能否发起（且发起能成功）"},
            }
        ),
        "DefinitionList": obj({"items": array(ref("Definition"))}),
    }


TASK = {
    "id": INTEGER,
    "name": STRING,
    "task_spec": STRING,
    "status": {
        **one_of("open", "done", "cancelled", "withdrawn"),
        "description": "open 待办，done 已办结，cancelled 已取消（含被退回），withdrawn 办结后由办理人撤回",
    },
    "department": ref("Department"),
    "role": nullable(STRING),
    "assignee": nullable(ref("Person")),
    "instance": obj({"id": INTEGER, "tracking_number": nullable(STRING), "process": STRING}),
    "created_at": MOMENT,
    **DUE,
    "escalation_level": INTEGER,
    "delegate": {**nullable(ref("Person")), "description": "委派期间的受委派人（任务仍归 assignee）"},
    "delegated_at": nullable(MOMENT),
    "urge_count": {**INTEGER, "description": "被催办的次数"},
    "last_urged_at": nullable(MOMENT),
    **OUTCOME,
    "completed_at": nullable(MOMENT),
    "completed_by": nullable(ref("Person")),
    "version": INTEGER,
}


def _cases() -> dict[str, Any]:
    labelled = obj({"field": STRING, "label": STRING, "value": {}, "text": STRING})
    returned = obj(
        {
            "task": STRING,
            "task_spec": STRING,
            "person": nullable(ref("Person")),
            "at": nullable(MOMENT),
            "answer": array(labelled),
        }
    )
    reopened = obj(
        {
            "kind": one_of("task_returned", "task_withdrawn"),
            "person": nullable(ref("Person")),
            "from_task": STRING,
            "at": MOMENT,
            "reason": STRING,
        }
    )
    return {
        "Task": obj(TASK),
        "Completion": obj(
            {
                **TASK,
                "case": obj({"id": INTEGER, "tracking_number": nullable(STRING), "status": STRING}),
                "next_tasks": array(ref("Task")),
            },
            description="办结的任务、办结后的案件状态，以及本人接着可以办理的任务（免去再查一次）",
        ),
        "TaskPage": capped_page("Task", COUNT_CAP),
        "TaskCounts": obj(
            {
                "actionable": INTEGER,
                "mine": INTEGER,
                "department": INTEGER,
                "done": INTEGER,
                "capped": array(one_of("actionable", "mine", "department", "done")),
            },
            description="actionable 待我办理，mine 我的在办，department 本处室待办，done 我已办理；"
            f"每项最多数到 {COUNT_CAP}，capped 列出数到上限的页签（实际多于该数，显示为“{COUNT_CAP}+”）",
        ),
        "TaskDetail": obj(
            {
                **TASK,
                "form": array(ref("TaskFormField")),
                "case": obj(
                    {"id": INTEGER, "tracking_number": nullable(STRING), "status": STRING, "data": ANY_OBJECT}
                ),
                "rework": {
                    **nullable(
                        obj(
                            {
                                "previous_answer": ANY_OBJECT,
                                "returned_by": {
                                    **nullable(returned),
                                    "description": "流程图中的审核步骤以其答复退回时：该步骤及其答复",
                                },
                                "reopened_by": {
                                    **nullable(reopened),
                                    "description": "由退回（task_returned）或撤回（task_withdrawn）重开时",
                                },
                            }
                        )
                    ),
                    "description": "退回重办时：上次的答复，以及由谁、何时、以什么意见退回",
                },
                "draft": {
                    **nullable(
                        obj(
                            {
                                "data": ANY_OBJECT,
                                "note": STRING,
                                "by": nullable(ref("Person")),
                                "at": nullable(MOMENT),
                            }
                        )
                    ),
                    "description": "受委派人交回的拟办答复（预填表单）与交回说明",
                },
                "opinions": {**array(ref("Opinion")), "description": "本案件至今的审批意见，按先后"},
                "countersign": {
                    **nullable(ref("Countersign")),
                    "description": "本任务属于会签（多个处室并行办理同一环节）时，本轮各处室的签署情况；"
                    "否则为 null",
                },
            }
        ),
        **_opinions(),
        "Instance": obj(
            {
                "id": INTEGER,
                "tracking_number": nullable(STRING),
                "process": obj({"key": STRING, "version": INTEGER, "name": STRING}),
                "status": one_of("running", "completed", "cancelled"),
                "owning_department": nullable(ref("Department")),
                "started_at": MOMENT,
                "completed_at": nullable(MOMENT),
                "cancellation": {
                    **nullable(
                        obj(
                            {
                                "at": MOMENT,
                                "by": nullable(ref("Person")),
                                "reason": STRING,
                                "withdrawn": BOOLEAN,
                            }
                        )
                    ),
                    "description": "撤销的时间、撤销人、理由，以及是否为申请人撤回（仅已撤销的案件）",
                },
                **DUE,
                "clock_paused": BOOLEAN,
                "deadlines": array(ref("Deadline")),
                "data": ANY_OBJECT,
                "open_tasks": array(ref("Task")),
                "done_tasks": array(ref("Task")),
                "history": array(ref("Event")),
                "version": INTEGER,
            }
        ),
        "Event": obj(
            {
                "at": MOMENT,
                "kind": STRING,
                "actor": nullable(ref("Person")),
                "task_id": nullable(INTEGER),
                "details": ANY_OBJECT,
            }
        ),
    }


def _opinions() -> dict[str, Any]:
    signer = obj(
        {
            "task_id": INTEGER,
            "department": ref("Department"),
            "person": {
                **nullable(ref("Person")),
                "description": "已签的为签署人；待签的为已签收的人，未签收为 null",
            },
            "status": {
                **one_of("signed", "waiting", "cancelled"),
                "description": "signed 已签，waiting 待签，cancelled 已取消",
            },
            "at": {**nullable(MOMENT), "description": "签署时间"},
            "opinion": nullable(ref("Opinion")),
        }
    )
    return {
        "Opinion": obj(
            {
                "id": INTEGER,
                "kind": {**STRING, "description": "approval 办理环节时的审批意见，transfer 转办理由"},
                "step": {**STRING, "description": "给出意见时的环节名称"},
                "task_spec": nullable(STRING),
                "task_id": nullable(INTEGER),
                "department": {**nullable(ref("Department")), "description": "给出意见时任务所在的处室"},
                "author": nullable(ref("Person")),
                "at": MOMENT,
                "verdict": {
                    **nullable(STRING),
                    "description": "结论（如 同意、退回修改、转办至某处室）；环节不作决定时为 null",
                },
                "text": {**STRING, "description": "意见内容（可为空字符串，保留换行）"},
            }
        ),
        "OpinionList": obj({"items": array(ref("Opinion"))}),
        "Countersign": obj(
            {
                "step": STRING,
                "task_spec": STRING,
                "round": {**INTEGER, "description": "该环节的第几轮会签（退回修改后重新会签为新一轮）"},
                "signed": {**INTEGER, "description": "已签人数"},
                "expected": {**INTEGER, "description": "本轮应签人数（不含已取消的）"},
                "signers": array(signer),
            }
        ),
    }


def _deadlines() -> dict[str, Any]:
    day_entry = obj({"day": DATE, "workday": BOOLEAN, "note": STRING})
    period = obj({"amount": INTEGER, "unit": one_of("workday", "day", "month"), "text": STRING})
    rule = obj(
        {
            "name": STRING,
            "label": STRING,
            "period": {**period, "description": "上限（国家规定的单位）"},
            "target": {
                **nullable(period),
                "description": "本机构更严的目标期限（可用另一种单位），与上限取先到者",
            },
            "rolls": {**BOOLEAN, "description": "自然日期限届满日为节假日的，是否顺延至下一工作日"},
            "from_receipt": {**BOOLEAN, "description": "是否自收到之日起算（受理和答复合计）"},
            "rule": STRING,
            "source": STRING,
        }
    )
    return {
        "Deadline": obj(
            {
                "id": INTEGER,
                "name": STRING,
                "label": STRING,
                "task_id": nullable(INTEGER),
                "period": STRING,
                "extension": nullable(STRING),
                "started_on": DATE,
                "no_later_than": nullable(DATE),
                "rolls": BOOLEAN,
                "target": nullable(STRING),
                "ceiling_due_on": nullable(DATE),
                "target_due_on": nullable(DATE),
                "binds": one_of("ceiling", "target", None),
                "pauses": array(array(nullable(DATE))),
                "status": {
                    **one_of("running", "paused", *ENDINGS),
                    "description": "running 计时中, paused 暂停; 已结束: met 已办理（见 on_time）, "
                    "abandoned 视为放弃, withdrawn 申请人撤回, returned 不予受理或退回, cancelled 管理员撤销",
                },
                "paused": BOOLEAN,
                **DUE,
                "escalation_level": INTEGER,
                "waiting": BOOLEAN,
                "closed_at": nullable(MOMENT),
                **OUTCOME,
            }
        ),
        "Notification": obj(
            {
                "id": INTEGER,
                "kind": {
                    **one_of("reminder", "escalation", "delegation", "urge", "copy"),
                    "description": "reminder 到期提醒, escalation 督办, delegation 委派, urge 催办, "
                    "copy 抄送",
                },
                "title": STRING,
                "body": STRING,
                "instance_id": nullable(INTEGER),
                "task_id": nullable(INTEGER),
                "created_at": MOMENT,
                "read": BOOLEAN,
            }
        ),
        "NotificationPage": page("Notification"),
        "NotificationsRead": obj(
            {"marked": {"type": "integer", "minimum": 0, "description": "标记前未读的条数"}}
        ),
        "Profile": obj(
            {
                "name": STRING,
                "title": STRING,
                "remind_before": STRING,
                "escalate_after": array(STRING),
                "deadlines": array(rule),
                "agency_kind": {
                    **one_of("department", "local_government"),
                    "description": "政府部门或地方人民政府：决定年度报告公布日（NAT-4）",
                },
                "duties": {
                    **array(
                        obj(
                            {
                                "key": STRING,
                                "title": STRING,
                                "schedule": STRING,
                                "department": STRING,
                                "record": one_of("done", "reading"),
                                "rule": STRING,
                                "source": STRING,
                            }
                        )
                    ),
                    "description": "系统按期自动发起的定期工作（REC-1..6, NAT-4）",
                },
                "publishing": obj(
                    {
                        "source": {"type": "string", "description": "审核签发链依据的条款"},
                        "item_types": array(obj({"value": STRING, "label": STRING})),
                        "chains": {
                            **array(
                                obj(
                                    {
                                        "item_type": STRING,
                                        "tier": one_of("general", "important", "major"),
                                        "review": array(one_of(*REVIEWERS)),
                                        "proof": array(one_of("staff", "section_head", "leader_in_charge")),
                                    }
                                )
                            ),
                            "description": "各类信息各重要程度的审核人（依次审核，末位签发）和三校人员",
                        },
                        "fast_path": {
                            "type": "boolean",
                            "description": "转载和已公开信息可由信息中心快速审核（PUB-5）",
                        },
                        "legal_review_outside": {
                            "type": "boolean",
                            "description": "合法性审查由司法局进行（PUB-10）",
                        },
                        "on_site_review": {
                            **array(STRING),
                            "description": "由指派专人现场文字审核、不走审核签发链的信息类型（PUB-15）",
                        },
                        "annual_report_due": {
                            **nullable(STRING),
                            "description": "信息公开年报报送日（MM-DD）",
                        },
                    }
                ),
            }
        ),
        "CalendarYear": obj(
            {
                "year": INTEGER,
                "official": {"type": "boolean", "description": "系统内置或管理员已确认"},
                "source": one_of("package", "administrator", None),
                "confirmed_at": nullable(MOMENT),
                "entered_days": {**array(day_entry), "description": "管理员录入的放假日和调休上班日"},
                "provisional_days": {
                    **array(day_entry),
                    "description": "未确认年份暂按的法定节假日（含周末顺延的补假，不含调休上班日）；"
                    "已正式的年份为空",
                },
            }
        ),
        "CalendarDay": day_entry,
    }


def _copies() -> dict[str, Any]:
    row = obj(
        {
            "task": ref("Task"),
            "title": {"type": "string", "description": "案件标题（无标题时为申请内容的开头）"},
            "from_department": {**nullable(ref("Department")), "description": "来自哪个处室（主办处室）"},
            "deadline": {
                "type": "string",
                "description": "期限的文字说明，如 剩余2个工作日、已超期3个工作日",
            },
        }
    )
    late = obj(
        {
            "department": ref("Department"),
            "overdue": {"type": "integer", "description": "超期任务数"},
            "escalated": {"type": "integer", "description": "已督办（升级）任务数"},
            "total": {"type": "integer", "description": "超期或已督办的任务数"},
            "items": {**array(ref("LeaderRow")), "description": "按期限排序，最多200项（各处室合计）"},
        }
    )
    return {
        "Copy": obj(
            {
                "id": INTEGER,
                "instance": obj(
                    {"id": INTEGER, "tracking_number": nullable(STRING), "process": STRING, "title": STRING}
                ),
                "task": {
                    **nullable(obj({"id": INTEGER, "name": STRING})),
                    "description": "从哪一步抄送",
                },
                "sender": ref("Person"),
                "recipient": ref("Person"),
                "note": {"type": "string", "description": "附言"},
                "created_at": MOMENT,
                "read_at": {**nullable(MOMENT), "description": "阅读时间；未读为 null"},
            }
        ),
        "CopyList": obj({"items": array(ref("Copy"))}),
        "CopyPage": obj(
            {
                "items": array(ref("Copy")),
                "total": INTEGER,
                "page": INTEGER,
                "per_page": INTEGER,
                "unread": {"type": "integer", "minimum": 0, "description": "未读的抄送总数"},
            }
        ),
        "LeaderRow": row,
        "LeaderOverview": obj(
            {
                "waiting": obj(
                    {
                        "items": {**array(ref("LeaderRow")), "description": "按期限排序，最多100项"},
                        "total": INTEGER,
                    },
                    description="待我签批：由我签收的，或我能办理且无人签收的待办任务",
                ),
                "oversight": {
                    **array(late),
                    "description": "督办：分管的每个处室（按部门顺序）超期或已督办的待办任务",
                },
            }
        ),
    }


def _screening() -> dict[str, Any]:
    term = {
        "text": {"type": "string", "maxLength": 100},
        "category": {"type": "string", "maxLength": 50, "description": "如 政治表述、错别字、过时表述"},
        "severity": SEVERITY,
        "suggestion": {"type": "string", "maxLength": 100, "description": "正确表述"},
        "note": {"type": "string", "maxLength": 500},
    }
    hit = {f.name: INTEGER if f.name == "start" else STRING for f in fields(Hit)}
    return {
        "ScreeningTerm": obj(
            {
                "id": INTEGER,
                **term,
                "severity_label": STRING,
                "created_at": MOMENT,
                "updated_at": MOMENT,
                "updated_by": nullable(ref("Person")),
                "version": INTEGER,
            }
        ),
        "ScreeningTermPage": page("ScreeningTerm"),
        "Screening": obj(
            {
                "blocked": {"type": "boolean", "description": "有严重问题，不能发布"},
                "serious": INTEGER,
                "minor": INTEGER,
                "truncated": {"type": "boolean", "description": "只列出前 200 处"},
                "hits": array(
                    obj(
                        {**hit, "severity": SEVERITY, "severity_label": STRING},
                        description="身份证号、手机号码以打码形式给出",
                    )
                ),
            }
        ),
        "ScreeningTermBody": {
            "type": "object",
            "required": ["text", "category", "severity"],
            "properties": {**term, "version": {"type": "integer", "description": "修改时必填"}},
        },
    }


def _attachments() -> dict[str, Any]:
    return {
        "Attachment": obj(
            {
                "id": INTEGER,
                "instance_id": INTEGER,
                "task": {**nullable(obj({"id": INTEGER, "name": STRING})), "description": "上传时所在的环节"},
                "filename": {"type": "string", "description": "清理后的文件名：去掉路径和控制字符，保留中文"},
                "content_type": {"type": "string", "description": "按扩展名决定，不采用客户端声明的类型"},
                "size": {"type": "integer", "description": "字节数"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "uploaded_by": ref("Person"),
                "created_at": MOMENT,
                "removable": {**BOOLEAN, "description": "提问的人现在能否删除它"},
                "content_url": {"type": "string", "description": "下载地址"},
            }
        ),
        "AttachmentList": obj({"items": array(ref("Attachment"))}),
        "AttachmentUpload": {
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}},
        },
    }


def _rewind() -> dict[str, Any]:
    target = obj(
        {
            "task_spec": STRING,
            "name": STRING,
            "department": ref("Department"),
            "completed_by": nullable(ref("Person")),
            "completed_at": nullable(MOMENT),
            "task_id": {**INTEGER, "description": "该步骤最近一次办理的任务"},
        }
    )
    reason = {"type": "string", "maxLength": 2000}
    return {
        "ReturnTargets": obj({"items": array(target)}, description="可退回的前序步骤，最近办理的在前"),
        "Rewound": obj(
            {
                "task": {**ref("Task"), "description": "被退回（cancelled）或撤回（withdrawn）的任务"},
                "reopened": {**ref("Task"), "description": "重新打开的步骤，由原办理人办理"},
            }
        ),
        "ReturnBody": {
            "type": "object",
            "required": ["to", "reason"],
            "properties": {"to": {**STRING, "description": "退回到的步骤（task_spec）"}, "reason": reason},
        },
        "WithdrawBody": {"type": "object", "properties": {"reason": reason}},
    }


def _diagrams() -> dict[str, Any]:
    operation = obj({"name": STRING, "label": STRING, "parameters": array(STRING)})
    return {
        "ServiceOperationList": obj({"items": array(operation)}),
    }


def _bodies() -> dict[str, Any]:
    return {
        "DataBody": {"type": "object", "properties": {"data": ANY_OBJECT}},
        "TransferBody": {
            "type": "object",
            "required": ["department", "reason"],
            "properties": {"department": STRING, "reason": STRING},
        },
        "CopyBody": {
            "type": "object",
            "required": ["to"],
            "properties": {
                "to": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 1,
                    "maxItems": 20,
                    "description": "抄送对象的用户名",
                },
                "note": {"type": "string", "maxLength": 500, "description": "附言"},
            },
        },
        "DelegateBody": {
            "type": "object",
            "required": ["to"],
            "properties": {
                "to": {"type": "string", "description": "受委派人的用户名"},
                "reason": {"type": "string", "maxLength": 500},
            },
        },
        "ResolveBody": {
            "type": "object",
            "properties": {"data": ANY_OBJECT, "note": {"type": "string", "maxLength": 500}},
        },
        "UrgeBody": {"type": "object", "properties": {"message": {"type": "string", "maxLength": 200}}},
        "CancelBody": {
            "type": "object",
            "required": ["reason"],
            "properties": {
                "reason": {"type": "string", "minLength": 1, "maxLength": 500},
                "withdrawn": {
                    "type": "boolean",
                    "description": "申请人撤回申请：期限记为 withdrawn（撤回），而非 cancelled（撤销）",
                },
            },
        },
        "MigrateBody": {
            "type": "object",
            "properties": {"version": {"type": "integer", "description": "目标版本号，须比案件当前版本新"}},
        },
        "CalendarDayBody": {
            "type": "object",
            "required": ["workday"],
            "properties": {
                "workday": {"type": "boolean", "description": "true 调休上班，false 放假"},
                "note": {"type": "string", "maxLength": 200},
            },
        },
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
    }
