"""万州区人民政府 (seed 004): 万州区人民政府网站管理制度(试行), Chongqing, 2021."""

from __future__ import annotations

from dataclasses import replace

from ..periods import Period, Unit
from . import Override, Profile, derive
from .columns import ColumnRules, Interval
from .duties import AgencyKind, Daily, Duty, Record, annual_report
from .national import NATIONAL
from .publishing import TIERS, PublishingRules, chain

PROFILE: Profile = derive(
    NATIONAL,
    name="wanzhou",
    title="万州区人民政府",
    overrides={
        # §12 restates Art. 26 for proactive government information, policy documents included.
        # It names no figure for news, so publishing.news stays national's.
        "publishing.proactive": Override("20 workdays", "PUB-13, NAT-1", "004 §12"),
        "publishing.policy": Override("20 workdays", "PUB-13, NAT-1", "004 §12"),
        # §25: errors and sensitive content fixed within 1 natural day of notice, urgent ones at once.
        "error.fix": Override("1 day", "ERR-2, PUB-9", "004 §25"),
        "error.fix_urgent": Override("0 days", "ERR-2, PUB-9", "004 §25"),
        # §25: "应在收到检测情况当日通知各行政机关和有关单位".
        "error.notify_department": Override("0 days", "ERR-3", "004 §25"),
    },
    # §20 states each interval the national COL-3 defaults carry (the defaults cite it): the same
    # numbers, cited to the district's own article.
    columns=ColumnRules(
        intervals={
            "news": Interval(Period(14, Unit.DAY), "COL-3, NAT-7", "004 §20(一)"),
            "notice.1": Interval(Period(6, Unit.MONTH), "COL-3, NAT-7", "004 §20(二)"),
            "notice.2": Interval(Period(12, Unit.MONTH), "COL-3", "004 §20(二)"),
            "fixed": Interval(Period(12, Unit.MONTH), "COL-3", "004 §20(四)"),
            "hot_topic": Interval(Period(7, Unit.DAY), "COL-3", "national (004 §20: none)"),
            "other": Interval(Period(12, Unit.MONTH), "COL-3", "004 §20(五)"),
        }
    ),
    # §35 orders the response to a breach (a reminder from the centre, then the district leader in
    # charge if rectification is poor) but gives no times, so the ESC-1 defaults stand.
)

# --- 信息发布: who reviews, signs and proofreads (PUB-2, PUB-3, PUB-4, PUB-10) ---
# §16 三审三校 for every item: 一审 the staff while drafting, 二审 the section head, 三审 the leader
# in charge signs; items touching many units, of wide impact or high public concern (the form's
# 特殊或重大) are reviewed by the leader in charge and signed by the principal leader. Three
# proofreads on every item: staff, section head, leader in charge.
# §13: a policy document, its interpretation plan and material are signed together by the
# department's principal leader; the interpretation goes to the news office for comment and a
# normative document to the justice bureau (an outside body) for its legal review.
_SIGNED_BY_LEADER = chain("section_head leader_in_charge", "staff section_head leader_in_charge")
_SIGNED_BY_PRINCIPAL = chain(
    "section_head leader_in_charge principal_leader", "staff section_head leader_in_charge"
)
PROFILE = replace(
    PROFILE,
    publishing=PublishingRules(
        chains={"general": _SIGNED_BY_LEADER, "important": _SIGNED_BY_LEADER, "major": _SIGNED_BY_PRINCIPAL},
        chains_by_type={"policy": dict.fromkeys(TIERS, _SIGNED_BY_PRINCIPAL)},
        source="004 §16, §13",
        legal_review_outside=True,
    ),
)

# --- 定期工作 (REC-4, NAT-4) ---
# A local government: its annual report is due by 31 March (NAT-4). §21: 7×24 reading of the site
# with a detailed record; the record falls to the centre that runs the site day to day (§4), which
# also spot-checks (§22). One duty record a day, due the same day.
PROFILE = replace(
    PROFILE,
    agency_kind=AgencyKind.LOCAL_GOVERNMENT,
    duties=(
        annual_report(AgencyKind.LOCAL_GOVERNMENT),
        Duty(
            "reading_record",
            "7×24小时读网值班记录",
            "REC-4",
            "004 §21-§22",
            "信息中心",
            Daily(),
            Record.READING,
        ),
    ),
)
