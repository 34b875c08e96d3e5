"""The description of running the organisation (ORG-2, ORG-6): departments, people, deactivation."""

from __future__ import annotations

from typing import Any

from .accounts import TOKEN, USERNAME
from .paths import op, query
from .shapes import BOOLEAN, INTEGER, MOMENT, STRING, array, nullable, obj, ref

CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
ADMIN = "403 admin_required：非系统管理员。"
DEPARTMENT = {"code": STRING, "name": STRING, "is_leadership": BOOLEAN, "sort_order": INTEGER}
PERSON = {
    "username": STRING,
    "name": STRING,
    "active": BOOLEAN,
    "is_admin": BOOLEAN,
    "memberships": array(obj({"department": STRING, "department_name": STRING, "role": STRING})),
    "oversees": array(STRING),
    "must_change_password": BOOLEAN,
    "password_changed_at": nullable(MOMENT),
    "locked_until": nullable(MOMENT),
}
TASK_REF = obj({"id": INTEGER, "name": STRING, "tracking_number": nullable(STRING), "department": STRING})
HANDOVER = {
    "username": STRING,
    "dry_run": BOOLEAN,
    "summary": {"type": "string", "description": "如 将退回N个在办任务、收回M个委派……"},
    "tasks_returned": {**INTEGER, "description": "其签收的在办任务退回处室待签收"},
    "delegations_recalled": {**INTEGER, "description": "委派其办理的任务交回委派人"},
    "delegations_passed_on": {**INTEGER, "description": "其委派出的任务改由受委派人（或处室）办理"},
    "tokens_revoked": INTEGER,
    "left_unstaffed": {
        **array(STRING),
        "description": (
            "停用后再无在职人员担任的岗位（如 规划处·信息员、规划处的分管领导）："
            "先指派他人，否则该处室该角色的待办无人可签收"
        ),
    },
}


def paths() -> dict[str, Any]:
    refused = (
        "422 validation_failed，field 指明出错字段（code/name/sort_order/is_leadership）："
        "如 code_taken、name_taken。"
    )
    person_refused = (
        "422 validation_failed，field 指明出错字段：username（invalid_username、username_taken）、name、"
        "memberships（unknown_department、unknown_role、membership_required）、oversees（not_a_leader）。"
    )
    return {
        "/departments": {
            "post": op(
                "新建部门（管理员）",
                "AdminDepartment",
                403,
                422,
                status=201,
                body="DepartmentBody",
                description=f"{ADMIN}{refused}",
            ),
        },
        "/departments/{code}": {
            "put": op(
                "修改部门名称、排序或领导班子标志（管理员）；代码不可改",
                "AdminDepartment",
                403,
                422,
                body="DepartmentChange",
                params=[CODE],
                description=f"{ADMIN}{refused}",
            ),
        },
        "/users": {
            "get": op(
                "人员列表（管理员）：可按部门、是否在职筛选",
                "PersonList",
                403,
                params=[query("department", STRING), query("active", {"type": "string", "enum": ["0", "1"]})],
                description=ADMIN,
            ),
            "post": op(
                "新建人员（管理员）：答复给出一次性的初始密码，首次登录须修改",
                "NewPerson",
                403,
                422,
                status=201,
                body="PersonBody",
                description=f"{ADMIN}{person_refused}",
            ),
        },
        "/users/{username}": {
            "get": op(
                "人员详情（管理员）：账号状态、所在部门与角色、分管部门、在办事项、访问令牌",
                "PersonDetail",
                403,
                params=[USERNAME],
                description=ADMIN,
            ),
            "put": op(
                "修改人员姓名、部门与角色、分管部门（管理员）；未给出的保持不变",
                "OrgPerson",
                403,
                422,
                body="PersonChange",
                params=[USERNAME],
                description=f"{ADMIN}{person_refused}",
            ),
        },
        "/users/{username}/deactivate": {
            "post": op(
                "停用人员（管理员）：退回其签收的任务、收回委派、撤销令牌、结束登录；dry_run 只预演",
                "Handover",
                403,
                409,
                body="DeactivateBody",
                params=[USERNAME, query("dry_run", {"type": "string", "enum": ["0", "1"]})],
                description=f"{ADMIN}409 user_inactive：已停用；cannot_deactivate_self：不能停用自己。",
            ),
        },
        "/users/{username}/reactivate": {
            "post": op(
                "恢复已停用人员（管理员）：答复给出一次性的临时密码，下次登录须修改",
                "PasswordReset",
                403,
                409,
                params=[USERNAME],
                description=f"{ADMIN}409 user_active：账号未停用。",
            ),
        },
    }


def schemas() -> dict[str, Any]:
    membership = {
        "type": "object",
        "required": ["department", "role"],
        "properties": {
            "department": {"type": "string", "description": "部门代码"},
            "role": {
                "type": "string",
                "description": "member information_officer section_head leader_in_charge principal_leader",
            },
        },
    }
    person_fields = {
        "name": {"type": "string", "maxLength": 100, "description": "真实姓名"},
        "memberships": {"type": "array", "items": membership, "minItems": 1},
        "oversees": {"type": "array", "items": {"type": "string"}, "description": "分管部门代码（仅领导）"},
    }
    department_fields = {
        "name": {"type": "string", "maxLength": 100},
        "is_leadership": {"type": "boolean"},
        "sort_order": {"type": "integer", "minimum": 0, "maximum": 9999},
    }
    return {
        "AdminDepartment": obj(DEPARTMENT),
        "DepartmentBody": {
            "type": "object",
            "required": ["code", "name"],
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]{1,63}$"},
                **department_fields,
            },
        },
        "DepartmentChange": {"type": "object", "properties": department_fields},
        "OrgPerson": obj(PERSON),
        "PersonList": obj({"items": array(ref("OrgPerson"))}),
        "NewPerson": obj(
            {**PERSON, "initial_password": {"type": "string", "description": "初始密码，只显示这一次"}}
        ),
        "PersonDetail": obj(
            {
                **PERSON,
                "holds": obj(
                    {
                        "claimed": array(TASK_REF),
                        "delegated_to": array(TASK_REF),
                        "delegated_by": array(TASK_REF),
                    }
                ),
                "tokens": array(obj(TOKEN)),
                "password_interval_days": INTEGER,
            }
        ),
        "PersonBody": {
            "type": "object",
            "required": ["username", "name", "memberships"],
            "properties": {
                "username": {"type": "string", "pattern": "^[a-z][a-z0-9._-]{1,63}$"},
                **person_fields,
            },
        },
        "PersonChange": {"type": "object", "properties": person_fields},
        "DeactivateBody": {"type": "object", "properties": {"dry_run": {"type": "boolean"}}},
        "Handover": obj(HANDOVER),
    }
