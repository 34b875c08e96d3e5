"""The annual government-information-disclosure report (政府信息公开工作年度报告, NAT-3, NAT-4, STAT-3)
in the structure of the national template (国办公开办函〔2021〕30号): its rows, columns and Chinese
labels, which reply a finished request counts under, and the identity its request table must keep.

Pure rules: no database, no clock. The service counts the cases and hands the counts here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

# 申请人情况: the request table's columns. Organisations are split by the start form's
# organisation_kind; a kind the form does not know counts as 其他.
PERSON = "person"
ORGANISATION_KINDS = (
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other", "其他"),
)
TOTAL = "total"
COLUMNS: tuple[tuple[str, str], ...] = (
    (PERSON, "自然人"),
    *ORGANISATION_KINDS,
    (TOTAL, "总计"),
)
ORGANISATION_GROUP = "法人或其他组织"

# Sub-reasons of each reply category (the draft form's enum values), with the template's words.
WITHHELD = (
    ("state_secret", "1.属于国家秘密"),
    ("banned_by_law", "2.其他法律行政法规禁止公开"),
    ("security_stability", "3.危及“三安全一稳定”"),
    ("third_party_rights", "4.保护第三方合法权益"),
    ("internal_affairs", "5.属于三类内部事务信息"),
    ("process_information", "6.属于四类过程性信息"),
    ("law_enforcement_file", "7.属于行政执法案卷"),
    ("administrative_inquiry", "8.属于行政查询事项"),
)
UNABLE = (
    ("not_held", "1.本机关不掌握相关政府信息"),
    ("needs_compilation", "2.没有现成信息需要另行制作"),
    ("still_unclear", "3.补正后申请内容仍不明确"),
)
NOT_PROCESSED = (
    ("petition_complaint", "1.信访举报投诉类申请"),
    ("repeated", "2.重复申请"),
    ("publication", "3.要求提供公开出版物"),
    ("mass_requests", "4.无正当理由大量反复申请"),
    ("confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息"),
)
OTHER = (
    ("not_corrected", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
)
# category value → (its heading, the case-data field naming its sub-reason, the sub-reasons)
GROUPS = {
    "withheld": ("（三）不予公开", "withheld_reason", WITHHELD),
    "not_held": ("（四）无法提供", "unable_reason", UNABLE),
    "not_processed": ("（五）不予处理", "not_processed_reason", NOT_PROCESSED),
    "other": ("（六）其他处理", "other_reason", OTHER),
}
# The categories that are a row of their own, without a reason.
PLAIN_CATEGORIES = ("already_public", "disclosed", "partly_disclosed")
NEW, CARRIED_OVER, HANDLED, CARRIED_FORWARD = "new", "carried_over", "handled", "carried_forward"
# Where a case whose reply names no known reason is counted (and said so on the report).
FALLBACK = "other.other"


@dataclass(frozen=True)
class RequestRow:
    key: str  # "new", "disclosed", "withheld.state_secret", …; "" for a heading row without figures
    label: str
    level: int  # 0: 一、…; 1: （一）…; 2: 1.…
    counted: bool = True  # False: a heading over its numbered rows


def request_rows() -> tuple[RequestRow, ...]:
    """The request table's rows in the template's order, with its Chinese words (the one place)."""
    rows = [
        RequestRow(NEW, "一、本年新收政府信息公开申请数量", 0),
        RequestRow(CARRIED_OVER, "二、上年结转政府信息公开申请数量", 0),
        RequestRow("", "三、本年度办理结果", 0, counted=False),
        RequestRow("disclosed", "（一）予以公开", 1),
        RequestRow("partly_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ]
    for category, (heading, _, reasons) in GROUPS.items():
        rows.append(RequestRow("", heading, 1, counted=False))
        rows.extend(RequestRow(f"{category}.{reason}", label, 2) for reason, label in reasons)
    rows.append(RequestRow(HANDLED, "（七）总计", 1))
    rows.append(RequestRow(CARRIED_FORWARD, "四、结转下年度继续办理", 0))
    return tuple(rows)


RESULT_KEYS = tuple(
    r.key for r in request_rows() if r.counted and r.key not in (NEW, CARRIED_OVER, HANDLED, CARRIED_FORWARD)
)


def result_of(data: Mapping[str, object], status: str, ending: str | None = None) -> tuple[str, bool]:
    """The result row a finished request counts under, and whether it was classified as recorded
    (False: its reply names no known reason and it is counted under 其他处理·其他).

    `status` is the case's (completed or cancelled); `ending` its end event's govflow:outcome,
    if any: abandoned (逾期不补正) and returned (转信访) decide the row whatever the data says.
    A cancelled case (撤销, or withdrawn by the applicant) is 其他处理·其他: it was handled, not replied.
    """
    if status == "cancelled":
        return "other.other", True
    if ending == "abandoned":
        return "other.not_corrected", True
    if ending == "returned":
        return "not_processed.petition_complaint", True
    category = data.get("category")
    if category in ("already_public", "disclosed"):
        return "disclosed", True  # already public: the applicant is told where it is (NAT-3)
    if category == "partly_disclosed":
        return "partly_disclosed", True
    if isinstance(category, str) and category in GROUPS:
        _, reason_field, reasons = GROUPS[category]
        reason = data.get(reason_field)
        if reason in {key for key, _ in reasons}:
            return f"{category}.{reason}", True
    return FALLBACK, False


def column_of(data: Mapping[str, object]) -> str:
    """The applicant column: 自然人, or the organisation's kind (其他 when the form left none)."""
    if data.get("applicant_type") == PERSON:
        return PERSON
    kind = data.get("organisation_kind")
    return kind if isinstance(kind, str) and kind in dict(ORGANISATION_KINDS) else "other"


BEFORE, IN, AFTER, OPEN = "before", "in", "after", "open"


def when(day: date | None, year: int) -> str:
    """Where a day falls against the year: before, in or after it; open for no day (not finished)."""
    if day is None:
        return OPEN
    return BEFORE if day < date(year, 1, 1) else AFTER if day > date(year, 12, 31) else IN


def phases(received: str, finished: str) -> tuple[str, ...]:
    """Which of the year's four counts a request is in, from when() of its received and finished days:
    新收 (received in the year), 上年结转 (received before it, not finished by its start), 办理
    (finished in it), 结转下年度 (received by its end, not finished by then). A request received
    after the year, or received and finished before it, is in none."""
    if received == AFTER or (received == BEFORE and finished == BEFORE):
        return ()
    first = NEW if received == IN else CARRIED_OVER
    return (first, HANDLED if finished == IN else CARRIED_FORWARD)


@dataclass
class RequestTable:
    """The request table's counts: counts[row key][column key], totals included once built."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    unclassified: int = 0  # replies that named no known reason (counted under 其他处理·其他)

    def add(self, row: str, column: str, how_many: int = 1) -> None:
        self.counts.setdefault(row, {})
        self.counts[row][column] = self.counts[row].get(column, 0) + how_many

    def get(self, row: str, column: str) -> int:
        return self.counts.get(row, {}).get(column, 0)

    def completed(self) -> RequestTable:
        """Every row with every column (zeros included), the 总计 column and the 办理结果总计 row."""
        done = RequestTable(unclassified=self.unclassified)
        data_columns = [key for key, _ in COLUMNS if key != TOTAL]
        for row in (NEW, CARRIED_OVER, *RESULT_KEYS, CARRIED_FORWARD):
            for column in data_columns:
                done.add(row, column, self.get(row, column))
        for column in data_columns:
            done.add(HANDLED, column, sum(self.get(row, column) for row in RESULT_KEYS))
        for cells in done.counts.values():
            cells[TOTAL] = sum(cells[c] for c in data_columns)
        return done

    def broken_columns(self) -> list[str]:
        """The columns where 新收 + 上年结转 ≠ 办理结果总计 + 结转下年度 (empty when the table is sound)."""
        return [
            key
            for key, _ in COLUMNS
            if self.get(NEW, key) + self.get(CARRIED_OVER, key)
            != self.get(HANDLED, key) + self.get(CARRIED_FORWARD, key)
        ]


# The figures the office enters (the service does not hold them), keyed by cell. 二、主动公开:
# 第二十条第（一）项 (规章, 规范性文件: issued, repealed, in force),
# 第（五）（六）项 (decisions), 第（八）项 (fees).
DOCUMENT_KINDS = (("rules", "规章"), ("normative", "行政规范性文件"))
DOCUMENT_FIGURES = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
DECISIONS = (
    ("licensing", "第二十条第（五）项", "行政许可"),
    ("penalty", "第二十条第（六）项", "行政处罚"),
    ("coercion", "第二十条第（六）项", "行政强制"),
)
FEES_KEY = "fees_yuan"  # 行政事业性收费, entered in 元 (an integer), shown in 万元 as the template asks
# 四、行政复议、行政诉讼: each outcome, the 总计 computed.
OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))
APPEALS = (
    ("review", "行政复议"),
    ("direct", "行政诉讼·未经复议直接起诉"),
    ("after_review", "行政诉讼·复议后起诉"),
)
# 五、六: entered text.
TEXTS = (
    ("problems", "五、存在的主要问题及改进情况"),
    ("other_matters", "六、其他需要报告的事项"),
)
MAX_TEXT = 5000


def number_keys() -> dict[str, str]:
    """Every entered figure's key and its Chinese name (for a form error and the audit log)."""
    keys = {
        f"{kind}_{figure}": f"{kind_label}·{figure_label}"
        for kind, kind_label in DOCUMENT_KINDS
        for figure, figure_label in DOCUMENT_FIGURES
    }
    keys.update({f"{key}_decisions": f"{label}·本年处理决定数量" for key, _, label in DECISIONS})
    keys[FEES_KEY] = "行政事业性收费·本年收费金额（元）"
    keys.update(
        {
            f"{appeal}_{outcome}": f"{appeal_label}·{label}"
            for appeal, appeal_label in APPEALS
            for outcome, label in OUTCOMES
        }
    )
    return keys


def text_keys() -> dict[str, str]:
    """Every entered text's key and its section heading."""
    return dict(TEXTS)


def appeal_totals(numbers: Mapping[str, int | None]) -> dict[str, int]:
    """Each appeal kind's 总计: the sum of its entered outcomes (blank counts as 0)."""
    return {appeal: sum(numbers.get(f"{appeal}_{o}") or 0 for o, _ in OUTCOMES) for appeal, _ in APPEALS}


def ten_thousands(yuan: int | None) -> str:
    """An amount in 元 as the template's 万元 (four places, so nothing entered is lost); "" for none."""
    return "" if yuan is None else f"{yuan / 10000:.4f}"
