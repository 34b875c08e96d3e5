"""The description of the column register and its inspection risk report (COL-1..4, NAT-7)."""

from __future__ import annotations

from typing import Any

from workflows.profiles.columns import KINDS

from .paths import op, path_id, query
from .shapes import BOOLEAN, DATE, INTEGER, MOMENT, STRING, array, nullable, obj, one_of, ref

COLUMN_ID = path_id("column_id")
KEEPERS = "管理员和信息中心可登记、修改；其他人 403 columns_forbidden。"


def paths() -> dict[str, Any]:
    return {
        "/columns": {
            "get": op(
                "栏目登记簿（COL-1..3）：每个栏目的责任处室、更新时限、最近更新和状态",
                "ColumnList",
                params=[query("status", one_of("open", "closed"))],
            ),
            "post": op(
                "登记栏目（COL-1, COL-3）",
                "Column",
                403,
                409,
                422,
                status=201,
                body="ColumnBody",
                description=KEEPERS + "409 path_taken：路径已被占用。",
            ),
        },
        "/columns/{column_id}": {
            "get": op("一个栏目", "Column", 404, params=[COLUMN_ID]),
            "put": op(
                "修改栏目（须带读取时的 version；可录入最近更新日期、关停或重新开设）",
                "Column",
                403,
                404,
                409,
                422,
                body="ColumnBody",
                params=[COLUMN_ID],
                description=KEEPERS + "409 concurrent_modification：读取后已被他人修改。",
            ),
        },
        "/columns/risk": {
            "get": op(
                "网站检查栏目风险（NAT-7）：各项单项否决指标是否达标、数量和所涉栏目",
                "ColumnRisk",
                403,
                description="管理员、办公室、信息中心和主要领导可看；其他人 403 columns_forbidden。",
            )
        },
    }


def _period() -> dict[str, Any]:
    return obj({"amount": INTEGER, "unit": one_of("day", "month"), "label": STRING})


def schemas() -> dict[str, Any]:
    return {
        "Column": obj(
            {
                "id": INTEGER,
                "name": STRING,
                "path": STRING,
                "level": {**INTEGER, "description": "1 为一级栏目"},
                "kind": one_of(*KINDS),
                "kind_label": STRING,
                "department": {**ref("Department"), "description": "责任处室（COL-1）"},
                "interval": {**_period(), "description": "适用的更新时限：栏目自定的（更严）或栏目类型的"},
                "default_interval": {**_period(), "description": "机构配置中该类型、层级的更新时限（COL-3）"},
                "interval_days": nullable(INTEGER),
                "content_plan": STRING,
                "last_update": nullable(DATE),
                "status": one_of("open", "closed"),
                "status_label": STRING,
                "opened_on": DATE,
                "closed_on": nullable(DATE),
                "state": {**one_of("fresh", "stale", "empty"), "description": "empty：开设后从未更新"},
                "state_label": STRING,
                "stale_since": {**nullable(DATE), "description": "超过更新时限的第一天；未超期为 null"},
                "due_on": {**DATE, "description": "最迟应在此日（含）更新"},
                "updated_at": MOMENT,
                "updated_by": nullable(ref("Person")),
                "version": INTEGER,
            }
        ),
        "ColumnList": obj({"items": array(ref("Column"))}),
        "ColumnBody": {
            "type": "object",
            "required": ["name", "path", "level", "kind", "department"],
            "properties": {
                "name": {"type": "string", "maxLength": 100},
                "path": {"type": "string", "maxLength": 200},
                "level": {"type": "integer", "minimum": 1, "maximum": 5},
                "kind": one_of(*KINDS),
                "department": {"type": "string", "description": "责任处室代码"},
                "interval_days": {**nullable(INTEGER), "description": "比栏目类型更严的更新时限（天）"},
                "content_plan": {"type": "string", "maxLength": 2000},
                "last_update": {**nullable(DATE), "description": "最近更新日期，不晚于今天"},
                "status": {**one_of("open", "closed"), "description": "修改时：关停或重新开设"},
                "version": {"type": "integer", "description": "修改时必填"},
            },
        },
        "ColumnRisk": obj(
            {
                "day": DATE,
                "failed": {**BOOLEAN, "description": "有任一指标未达标"},
                "lines": array(
                    obj(
                        {
                            "key": one_of("news", "notice", "stale", "empty", "unanswered"),
                            "label": STRING,
                            "fail_at": {**INTEGER, "description": "达到此数即为不达标（取自机构配置）"},
                            "count": INTEGER,
                            "failed": BOOLEAN,
                            "names": {**array(STRING), "description": "所涉栏目名称，或留言案件的受理编号"},
                        }
                    )
                ),
                "columns": array(ref("Column")),
            }
        ),
    }
