"""海南省国资委 (seed 000): 网站管理办法(试行) of the Hainan SASAC, with its annex of column owners."""

from __future__ import annotations

from dataclasses import replace

from ..periods import Period, Unit
from . import Override, Profile, derive
from .columns import Interval
from .duties import AgencyKind, Duty, TimesAYear, TwiceAMonth, Weekly, Yearly, annual_report
from .national import NATIONAL
from .publishing import COMMON_ITEM_TYPES, chain

PROFILE: Profile = derive(
    NATIONAL,
    name="hainan-sasac",
    title="海南省政府国有资产监督管理委员会",
    overrides={
        # 15 + 15 working days come from the superseded 2007 text of the Regulations; they stay
        # a stricter local target under the national 20 + 20 (NAT-1).
        "disclosure.reply": Override("15 workdays", "REQ-2", "000 §12"),
        "disclosure.extension": Override("15 workdays", "REQ-3", "000 §12"),
        # "在1-3个工作日内报保密室": the upper bound is the deadline, as for national.
        "mailbox.intake": Override("3 workdays", "MBX-1", "000 annex 互动交流"),
        # §20 gives 5 working days to every interactive column and draws no simple/complex line.
        "mailbox.reply": Override("5 workdays", "MBX-3", "000 §20"),
        "mailbox.reply_complex": Override("5 workdays", "MBX-3", "000 §20"),
        # §20 lists 网上信访 too: "自接件之日起5个工作日内将回复结果的电子版报信息中心". 接件 is the
        # handling department's receipt of the petition, which is where the 60-day count starts
        # (acceptance), so the 5 working days are a target from the same day under the national
        # 60-day ceiling (PET-2, NAT-5): both dates are shown, the earlier binds.
        "petition.handling": Override(None, "PET-2", "000 §20", target="5 workdays"),
        # The annex gives ranges per column; each upper bound is the deadline.
        "publishing.news": Override("5 workdays", "PUB-13", "000 annex 国资动态"),
        "publishing.policy": Override("10 workdays", "PUB-13", "000 annex 法规文件"),
        "publishing.proactive": Override("20 workdays", "PUB-13, NAT-1", "000 §11"),
        "publishing.emergency": Override("2 workdays", "PUB-13", "000 annex 应急管理"),
        # 机构介绍, 人事信息, 财政信息, 政府采购 (3-5 days) and 计划规划, 公文类信息, 法规文件, 国资统计,
        # 企业财务 (7-10 days after signing): item types of this profile only (see below).
        "publishing.organisation": Override("5 workdays", "PUB-13", "000 annex 机构介绍 etc."),
        "publishing.plans": Override("10 workdays", "PUB-13", "000 annex 计划规划 etc."),
        # Proposals (§9, PRO-1) are answered by the date in the transfer document, which the case
        # carries; the national 3 months stays the ceiling for it.
    },
)

# --- 信息发布: who approves, item types (PUB-4, PUB-13) ---
# §15: "各处室发布的新闻工作信息须报分管委领导批准后方可发布": departments' news needs the leader in
# charge at every tier; other item types are tiered as national. The annex's column groups are
# item types of this profile (deadlines above), and the annual disclosure report is due 30 March
# (annex 信息公开年报 "每年3月30日前"), recorded here until a dated task carries it out.
PROFILE = replace(
    PROFILE,
    publishing=replace(
        NATIONAL.publishing,
        chains_by_type={
            "news": {
                "general": chain("section_head leader_in_charge", "staff section_head leader_in_charge"),
                "important": NATIONAL.publishing.chains["important"],
                "major": NATIONAL.publishing.chains["major"],
            }
        },
        source="000 §15; 001 §14; 003 ch.2",
        item_types=(*COMMON_ITEM_TYPES, "organisation", "plans"),
        annual_report_due="03-30",
    ),
)

# --- 网站栏目 (COL-3): the annex's update rules that are intervals, not reporting deadlines ---
# 热点专题 "每周更新"; 企业之窗 "每年至少更新一次" (fixed content). The other rows count days from a
# document's signing (publishing deadlines above), so the national intervals stand for them.
PROFILE = replace(
    PROFILE,
    columns=replace(
        NATIONAL.columns,
        intervals={
            **NATIONAL.columns.intervals,
            "hot_topic": Interval(Period(7, Unit.DAY), "COL-3", "000 annex 热点专题"),
            "fixed": Interval(Period(12, Unit.MONTH), "COL-3", "000 annex 企业之窗"),
        },
    ),
)

# --- 定期工作 (REC-1, REC-2, REC-3, REC-5, NAT-4, STAT-3) ---
# A provincial department (国资委): its annual report is due by 31 January (NAT-4), earlier than the
# annex's 30 March (STAT-3), which therefore loosens nothing. §23 and §25 name no department: the
# information centre keeps the site's back end and archives (§27), so it changes the keys and has
# the risk assessed. The seed states no emergency drill (that is 002 §33), so this profile has none.
PROFILE = replace(
    PROFILE,
    agency_kind=AgencyKind.DEPARTMENT,
    duties=(
        annual_report(
            AgencyKind.DEPARTMENT,
            local_due=PROFILE.publishing.annual_report_due,
            local_source="000 annex 信息公开年报",
        ),
        # Annex 在线访谈, 调查征集: "每年至少三次", 党群处; a window of four months each.
        Duty("interview", "开展在线访谈", "REC-1", "000 annex 在线访谈", "党群处", TimesAYear(3)),
        Duty("survey", "开展调查征集活动", "REC-1", "000 annex 调查征集", "党群处", TimesAYear(3)),
        # Annex 企业之窗: "每年至少更新一次", 办公室牵头.
        Duty("enterprise_window", "更新企业之窗栏目", "REC-1", "000 annex 企业之窗", "办公室", Yearly()),
        # §6: the office gathers disclosure items and, after the confidentiality review, publishes
        # them weekly; the batch is due by Friday.
        Duty("disclosure_batch", "每周汇总发布政务公开信息", "REC-2", "000 §6", "办公室", Weekly()),
        Duty("key_change", "更新网站后台发布密钥（双人保管）", "REC-3", "000 §23", "信息中心", TwiceAMonth()),
        Duty("risk_assessment", "开展网站安全风险评估", "REC-5", "000 §25", "信息中心", Yearly()),
    ),
)
