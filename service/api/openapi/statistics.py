"""The description of the statistics operations (STAT-1, issue 14)."""

from __future__ import annotations

from typing import Any

from ...services.statistics import COLUMNS
from ...services.statistics_export import MEDIA_TYPE
from .paths import op, query
from .shapes import DATE, INTEGER, MOMENT, STRING, array, nullable, obj, one_of, ref

PERIOD = query(
    "period",
    {
        "type": "string",
        "maxLength": 30,
        "description": "统计时段（北京时间）：月 2026-03、季度 2026-Q1、年 2026，"
        "或日期范围 2026-03-01..2026-03-15",
    },
)
BY = query("by", {**one_of("department", "flow"), "description": "按处室（默认）或按流程汇总"})
WHO = "管理员、办公室、主要领导看全部处室；分管领导只看分管处室；其他人 403 statistics_forbidden。"
# The figures' meanings are those of workflows/statistics.py; here in a sentence each.
MEANINGS = {
    "received": "时段内受理（发起）的案件数",
    "finished": "时段内办结的案件数（撤销的不计）",
    "on_time": "时段内办结且案件期限均按期的案件数；没有案件期限的既不算按期也不算超期",
    "late": "时段内办结且有案件期限超期的案件数",
    "late_days_total": "超期办结案件的超期工作日合计（每件取其最长的一次）",
    "late_days_max": "超期办结案件中最长的超期工作日数",
    "open_now": "统计时（现在）仍在办的案件数，不限时段",
    "overdue_now": "统计时仍在办且案件期限已过的案件数（暂停计时的不算）",
    "escalations": "时段内发出的督办次数（每级一次）；按处室时计入被督办的处室",
    "median_days": "时段内办结案件从受理到办结的工作日数的中位数；无办结为 null",
    "p90_days": "同上的90%分位数（最近秩）；无办结为 null",
}


def _figures() -> dict[str, Any]:
    shapes = {name: {**INTEGER, "minimum": 0} for name, _ in COLUMNS}
    shapes["median_days"] = nullable({"type": "number", "minimum": 0})
    shapes["p90_days"] = nullable({**INTEGER, "minimum": 0})
    return {name: {**shape, "description": MEANINGS[name]} for name, shape in shapes.items()}


def paths() -> dict[str, Any]:
    workbook = op(
        "统计报表 Excel 导出：每张表一个工作表（按处室、按流程），表头为统计时段和导出时间",
        None,
        403,
        params=[PERIOD, BY],
        description="不带 by 时含两张表，带 by 时只含该表。" + WHO,
    )
    workbook["responses"]["200"] = {
        "description": "Excel 工作簿（Content-Disposition: attachment）",
        "headers": {"Content-Disposition": {"required": True, "schema": STRING}},
        "content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    }
    return {
        "/statistics": {
            "get": op(
                "办理情况统计（STAT-1）：受理、办结、按期、超期、在办、超期在办、督办与办理时长",
                "Statistics",
                403,
                params=[PERIOD, BY],
                description=WHO + "400 invalid_parameter：时段或分组无效（field 指明参数）。",
            )
        },
        "/statistics.xlsx": {"get": workbook},
    }


def schemas() -> dict[str, Any]:
    figures = _figures()
    return {
        "StatisticsFigures": obj(figures, description="一行的各项数字"),
        "StatisticsRow": obj(
            {
                "key": {**STRING, "description": "处室代码或流程键；未指定处室的案件为空字符串"},
                "name": STRING,
                **figures,
            }
        ),
        "Statistics": obj(
            {
                "period": obj({"text": STRING, "label": STRING, "from": DATE, "to": DATE}),
                "by": one_of("department", "flow"),
                "generated_at": MOMENT,
                "rows": array(ref("StatisticsRow")),
                "total": ref("StatisticsFigures"),
                "weekly_published": ref("WeeklyPublished"),
            }
        ),
        "WeeklyPublished": obj(
            {
                "weeks": array(
                    obj(
                        {
                            "week": {**STRING, "description": "ISO 周，如 2026-W10（周一至周日）"},
                            "from": DATE,
                            "to": DATE,
                        }
                    )
                ),
                "rows": array(
                    obj(
                        {
                            "key": {**STRING, "description": "处室代码；未指定处室的为空字符串"},
                            "name": STRING,
                            "counts": {
                                **array({**INTEGER, "minimum": 0}),
                                "description": "各周发布的信息数，与 weeks 一一对应",
                            },
                            "weeks_without": {**array(STRING), "description": "无发布的周（STAT-2）"},
                        }
                    )
                ),
            },
            description="每周发布（STAT-2）：时段所涉每个 ISO 周（北京日期，首尾周可能只部分落在时段内）"
            "各处室的信息发布案件按发布日期计数，发布后尚待核查的也计入；撤销的不计。",
        ),
    }
