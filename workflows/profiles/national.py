"""The national profile: the national rules (NAT-*), and the ceiling no local profile may exceed.

Where a law gives the number it is used as it stands; the local 15 + 15 working days for disclosure
are a stricter local target, not a reason to lower the national 20 + 20 (NAT-1). Where no national
rule gives a number, the value below is a documented default, and it is the ceiling too: the
loosest figure the five seeds state, so every seed profile can state its own, or where no seed
states one, the pace the measures set for a comparable step.
"""

from __future__ import annotations

from . import DeadlineRule, Profile
from .duties import AgencyKind, annual_report

_r = DeadlineRule.parse

NATIONAL: Profile = Profile(
    name="national",
    title="国家规定（全国通用）",
    deadlines={
        # --- 依申请公开 (REQ, NAT-1/2): 政府信息公开条例 2019 ---
        "disclosure.reply": _r(
            "20 workdays", "REQ-2, NAT-1", "政府信息公开条例 Art. 33", "依申请公开答复期限"
        ),
        "disclosure.extension": _r(
            "20 workdays", "REQ-3, NAT-1", "政府信息公开条例 Art. 33", "依申请公开最长延长期限"
        ),
        "disclosure.correction_notice": _r(
            "7 workdays", "NAT-2", "政府信息公开条例 Art. 30", "一次性告知补正期限"
        ),
        "disclosure.third_party": _r(
            "15 workdays", "REQ-4, NAT-2", "政府信息公开条例 Art. 32", "第三方提出意见期限"
        ),
        # Default, no national number: the receipt date is the one both sides confirm (Art. 31) and
        # the reply clock runs from it, so the office registers a request the next working day.
        "disclosure.registration": _r(
            "1 workday", "REQ-1, NAT-2", "default; 政府信息公开条例 Art. 31", "依申请公开登记期限"
        ),
        # --- 领导信箱 / 在线咨询 (MBX): no national numbers ---
        # Default: the upper bound of the 1-3 working days in 000's annex, so a centre that
        # needs all three days is not late, and none may take longer.
        "mailbox.intake": _r("3 workdays", "MBX-1", "default; 000 annex 互动交流", "来信接收转交期限"),
        # Default: the one figure the seeds give (003 ch.4).
        "mailbox.dispatch": _r("1 workday", "MBX-2", "default; 003 ch.4", "来信分送承办期限"),
        # Default: the loosest seed figure for an ordinary letter (000 §20; 003 says 3, 002 says 2).
        # NAT-7's "unanswered for more than 3 months" is the inspection fail line, not a ceiling:
        # it counts months, the seeds count working days, and a ceiling must share the unit.
        "mailbox.reply": _r("5 workdays", "MBX-3", "default; 000 §20", "来信答复期限"),
        # Default: 002 §13's 10 working days for complex cases, the only seed that tells complex
        # letters apart and so the loosest; any lower ceiling would reject xingning's own measure.
        "mailbox.reply_complex": _r("10 workdays", "MBX-3", "default; 002 §13", "复杂来信答复期限"),
        # Default: the site administrator checks a letter or reply before it appears (MBX-5,
        # MBX-4); one working day, as the centre is given to edit and publish an item (002 §27).
        "mailbox.review": _r("1 workday", "MBX-5, MBX-4", "default; cf. 002 §27", "来信审核上网期限"),
        # --- 网上信访 (PET, NAT-5): 信访工作条例 2022, calendar days ---
        "petition.routing": _r("15 days", "PET-1, NAT-5", "信访工作条例 Art. 22", "信访事项转送交办期限"),
        "petition.acceptance": _r("15 days", "NAT-5", "信访工作条例 Art. 23", "告知是否受理期限"),
        "petition.misroute_objection": _r(
            "5 workdays", "NAT-5", "信访工作条例 Art. 23", "不属职权范围提出异议期限"
        ),
        "petition.handling": _r("60 days", "PET-2, NAT-5", "信访工作条例 Art. 34", "信访事项办理期限"),
        # The same 60 days for a petition the agency finds complex: national law draws no line, a
        # local measure may give complex cases a target of their own (002 §13(三), PET-2).
        "petition.handling_complex": _r(
            "60 days", "PET-2, NAT-5", "信访工作条例 Art. 34", "复杂信访事项办理期限"
        ),
        "petition.extension": _r("30 days", "PET-3, NAT-5", "信访工作条例 Art. 34", "信访办理最长延长期限"),
        # The petitioner has 30 days to ask for a review or re-review (the request windows), and the
        # reviewing agency 30 days to answer.
        "petition.review_request": _r("30 days", "NAT-5", "信访工作条例 Art. 35", "请求复查期限"),
        "petition.rereview_request": _r("30 days", "NAT-5", "信访工作条例 Art. 36", "请求复核期限"),
        "petition.review": _r("30 days", "NAT-5", "信访工作条例 Art. 35", "复查意见期限"),
        "petition.rereview": _r("30 days", "NAT-5", "信访工作条例 Art. 36", "复核意见期限"),
        # --- 人大建议 / 政协提案 (PRO, NAT-6) ---
        "proposal.reply": _r("3 months", "PRO-1, NAT-6", "代表法 Art. 51", "建议提案答复期限"),
        # "至迟不超过六个月": 3 months and at most 3 more, approved like every extension (the leader in
        # charge of the lead department) and told to the deputy.
        "proposal.extension": _r("3 months", "NAT-6", "代表法 Art. 51", "建议提案最长延长期限"),
        "proposal.co_handler_opinion": _r(
            "1 month", "PRO-2, NAT-6", "national practice (NAT-6)", "会办协办意见期限"
        ),
        # Default: registering includes checking the assignment, and a misrouted item goes back
        # "within days" (NAT-6); 5 working days mirrors the petition misroute objection (NAT-5).
        "proposal.registration": _r(
            "5 workdays", "PRO-1, NAT-6", "default; cf. 信访工作条例 Art. 23", "建议提案登记期限"
        ),
        # --- 我为政府网站找错 / 错敏 (ERR, NAT-7) ---
        "error_report.handle": _r("3 workdays", "NAT-7", "国办秘函〔2019〕19号", "网站找错留言办理期限"),
        # Default from ERR-2 as the catalogue states it generally (its source is 004 §25): natural
        # days that do not roll, as the site is read on holidays too (a notice on 1 Oct: due 2 Oct).
        "error.fix": _r("1 day", "ERR-2, PUB-9", "default; 004 §25", "错敏信息整改期限", rolls=False),
        # Default from the same article: "情况紧急的应立即整改". "At once" is read as by the close of
        # the day of notice (0 natural days, not rolled either: a notice on 1 Oct is due 1 Oct).
        "error.fix_urgent": _r(
            "0 days", "ERR-2, PUB-9", "default; 004 §25", "紧急错敏信息整改期限", rolls=False
        ),
        # Default from ERR-3 as the catalogue states it generally (004 §25 "收到检测情况当日通知"): the
        # centre routes what it receives to the responsible department that same day, a holiday
        # included (0 natural days, not rolled, like the fix that follows).
        "error.notify_department": _r(
            "0 days", "ERR-3", "default; 004 §25", "检测情况通知责任处室期限", rolls=False
        ),
        # --- 网站栏目 (COL-2, COL-4): no seed gives a number ---
        # Default: 004 §20(六) closes a column still stale "经提醒仍不整改" without saying how long the
        # reminder runs; a working week, the pace 000 annex sets for most column content (3-5 working days).
        "column.update": _r("5 workdays", "COL-4", "default; 004 §20(六)", "栏目更新整改期限"),
        # Default: 004 §18 has the centre answer a request by letter, with no time; the same week.
        "column.decision": _r("5 workdays", "COL-2, COL-4", "default; 004 §18", "信息中心栏目答复期限"),
        # --- 信息发布 (PUB-13) ---
        # Default: the loosest seed figure for news (000 annex, 国资动态 "3-5个工作日内").
        # NAT-7's two weeks is the limit for a whole column going stale, not for one item.
        "publishing.news": _r("5 workdays", "PUB-13", "default; 000 annex 国资动态", "新闻动态发布期限"),
        # A policy document is government information disclosed proactively: Art. 26 applies.
        "publishing.policy": _r(
            "20 workdays", "PUB-13, NAT-1", "政府信息公开条例 Art. 26", "政策文件发布期限"
        ),
        "publishing.proactive": _r(
            "20 workdays", "PUB-13, NAT-1", "政府信息公开条例 Art. 26", "主动公开期限"
        ),
        # Default: the one figure the seeds give for the centre's own step (002 §27).
        "publishing.centre_edit": _r("1 workday", "PUB-13", "default; 002 §27", "信息中心编辑发布期限"),
        # Default: emergency plans and warnings, the one column-specific figure shorter than news
        # (000 annex 应急管理 "1-2个工作日内", upper bound).
        "publishing.emergency": _r("2 workdays", "PUB-13", "default; 000 annex 应急管理", "应急信息发布期限"),
        # Defaults for the two column groups of 000's annex (organisation, personnel, finance,
        # procurement, notices, service guides; plans, documents, statistics, enterprise finance):
        # their items are government information disclosed proactively, so Art. 26's 20 working
        # days are the ceiling, above hainan-sasac's 5 and 10. Only a profile that offers these item
        # types uses them.
        "publishing.organisation": _r(
            "20 workdays", "PUB-13, NAT-1", "default; 政府信息公开条例 Art. 26", "机构人事财政等信息发布期限"
        ),
        "publishing.plans": _r(
            "20 workdays",
            "PUB-13, NAT-1",
            "default; 政府信息公开条例 Art. 26",
            "计划规划公文统计等信息发布期限",
        ),
        # --- 定期工作 (REC, NAT-4) ---
        # The longest window a duty may have (a yearly one, from 1 January); each case is due by
        # its own occurrence's due day, which the case carries (recurring_duty.bpmn, dueNoLaterThan).
        "duty.window": _r(
            "12 months", "REC-1, REC-5, NAT-4", "default; 政府信息公开条例 Art. 49-50", "定期工作期限"
        ),
    },
    # A department publishes its annual report by 31 January (Art. 49-50, NAT-4); national itself
    # has no other recurring duty: those come from the local measures.
    agency_kind=AgencyKind.DEPARTMENT,
    duties=(annual_report(AgencyKind.DEPARTMENT),),
)
