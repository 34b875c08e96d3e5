"""The description of the annual disclosure report operations (STAT-3, NAT-3, NAT-4)."""

from __future__ import annotations

from typing import Any

from workflows import disclosure_report as rules

from .paths import op, query
from .shapes import INTEGER, MOMENT, STRING, array, nullable, obj, ref

YEAR = query("year", {"type": "string", "maxLength": 4, "description": "报告年度，如 2026（北京时间）；必填"})
READERS = "管理员、办公室、主要领导可读（年报覆盖全机关）；其他人 403 report_forbidden。"
ENTERERS = "办公室人员和管理员可录入；其他人 403 report_entry_forbidden。"
COUNT = {**INTEGER, "minimum": 0}


def paths() -> dict[str, Any]:
    return {
        "/reports/disclosure": {
            "get": op(
                "政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）：主动公开、依申请公开、复议诉讼",
                "DisclosureReport",
                403,
                params=[YEAR],
                description=READERS + "400 invalid_parameter：year 缺失或无效。",
            )
        },
        "/reports/disclosure/entries": {
            "put": op(
                "录入年报中系统无法统计的数字和文字（按年度、按单元格）",
                "DisclosureReportEntries",
                403,
                409,
                422,
                body="DisclosureReportEntryInput",
                params=[YEAR],
                description=ENTERERS + "values 中空值表示清除；versions 为读取时各项的版本（未录入为 0）。"
                "422 validation_failed：非负整数或文字长度不符（errors 逐项指明 field）；"
                "409 concurrent_modification：该项已被他人修改。",
            )
        },
    }


def schemas() -> dict[str, Any]:
    numbers = {key: {**nullable(COUNT), "description": label} for key, label in rules.number_keys().items()}
    texts = {key: {**STRING, "description": label} for key, label in rules.text_keys().items()}
    versions = {key: COUNT for key in (*numbers, *texts)}
    counts = obj({key: {**COUNT, "description": label} for key, label in rules.COLUMNS})
    return {
        "DisclosureReport": obj(
            {
                "year": INTEGER,
                "title": {**STRING, "description": "机关名称（配置的 profile）"},
                "generated_at": MOMENT,
                "published": obj(
                    {
                        "items": array(obj({"item_type": STRING, "label": STRING, "count": COUNT})),
                        "total": COUNT,
                    },
                    description="本年经信息发布流程发布（published_on 在本年）的信息，按信息类型",
                ),
                "requests": obj(
                    {
                        "columns": array(obj({"key": STRING, "label": STRING})),
                        "rows": array(
                            obj(
                                {
                                    "key": {**STRING, "description": "行键；无数字的标题行为空字符串"},
                                    "label": STRING,
                                    "level": INTEGER,
                                    "counts": nullable(counts),
                                }
                            )
                        ),
                        "identity_holds": {
                            "type": "boolean",
                            "description": "每列 本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
                        },
                        "broken_columns": array(STRING),
                        "unclassified": {**COUNT, "description": "答复未注明理由、计入“其他处理·其他”的件数"},
                    },
                    description="三、收到和处理政府信息公开申请情况（NAT-3）",
                ),
                "entered": ref("DisclosureReportEntries"),
            }
        ),
        "DisclosureReportEntries": obj(
            {
                "numbers": obj(numbers),
                "texts": obj(texts),
                "versions": obj(versions),
                "appeal_totals": obj(
                    {key: {**COUNT, "description": f"{label}·总计"} for key, label in rules.APPEALS}
                ),
                "last_entered_by": nullable(STRING),
                "last_entered_at": nullable(MOMENT),
            },
            description="办公室录入的数字和文字（主动公开的规章、处理决定与收费，复议诉讼，问题与其他事项）",
        ),
        "DisclosureReportEntryInput": {
            "type": "object",
            "required": ["values", "versions"],
            "properties": {
                "values": {"type": "object", "description": "键见 DisclosureReportEntries.numbers / texts"},
                "versions": {"type": "object", "additionalProperties": COUNT},
            },
        },
    }
