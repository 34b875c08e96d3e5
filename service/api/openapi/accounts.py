"""The description of the account operations (ORG-2): tokens, reset, unlock."""

from __future__ import annotations

from typing import Any

from .paths import op, path_id, query
from .shapes import BOOLEAN, INTEGER, MOMENT, STRING, array, nullable, obj, ref

USERNAME = {"name": "username", "in": "path", "required": True, "schema": {"type": "string"}}
TOKEN = {
    "id": INTEGER,
    "name": STRING,
    "user": {"type": "string", "description": "令牌所属人员的用户名"},
    "created_at": MOMENT,
    "expires_at": nullable(MOMENT),
    "last_used_at": nullable(MOMENT),
    "expired": BOOLEAN,
}


def paths() -> dict[str, Any]:
    return {
        "/tokens": {
            "get": op(
                "访问令牌列表（未撤销的；不含令牌本身）；管理员可用 ?user= 查看他人的",
                "TokenList",
                403,
                404,
                params=[query("user", {"type": "string"})],
                description="403 admin_required：非管理员查看他人的令牌；404 user_not_found。",
            ),
            "post": op(
                "新建访问令牌（令牌只在此答复中出现一次）",
                "NewToken",
                422,
                status=201,
                body="TokenBody",
                description="422 name_required（field=name）/ days_out_of_range（field=days，1 至 365 天）。",
            ),
        },
        "/tokens/{token_id}": {
            "delete": op(
                "撤销访问令牌（本人的；管理员可撤销任何人的）",
                None,
                403,
                409,
                status=204,
                params=[path_id("token_id")],
                description="403 not_your_token；409 token_revoked：已撤销。",
            )
        },
        "/users/{username}/reset-password": {
            "post": op(
                "重置密码（管理员）：答复给出一次性的临时密码，下次登录须修改",
                "PasswordReset",
                403,
                params=[USERNAME],
                description="403 admin_required；404 user_not_found。",
            )
        },
        "/users/{username}/unlock": {
            "post": op(
                "解除登录锁定（管理员）：忘记该账号的登录失败记录",
                "Unlocked",
                403,
                params=[USERNAME],
                description="403 admin_required；404 user_not_found。",
            )
        },
    }


def schemas() -> dict[str, Any]:
    return {
        "Token": obj(TOKEN),
        "TokenList": obj({"items": array(ref("Token"))}),
        "NewToken": obj({**TOKEN, "token": {"type": "string", "description": "令牌本身，只显示这一次"}}),
        "TokenBody": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "maxLength": 100},
                "days": {"type": "integer", "minimum": 1, "maximum": 365, "description": "有效天数，默认 90"},
            },
        },
        "PasswordReset": obj(
            {"username": STRING, "temporary_password": STRING, "must_change_password": BOOLEAN}
        ),
        "Unlocked": obj({"username": STRING, "failures_cleared": INTEGER}),
    }
