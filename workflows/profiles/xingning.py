"""兴宁市人民政府 (seed 002): 兴宁市政府网站管理办法(试行), 兴市府办〔2014〕19号."""

from __future__ import annotations

from dataclasses import replace

from . import LateStreak, Override, Profile, derive
from .duties import AgencyKind, Duty, Yearly, annual_report
from .national import NATIONAL
from .publishing import PublishingRules, chain

PROFILE: Profile = derive(
    NATIONAL,
    name="xingning",
    title="兴宁市人民政府",
    overrides={
        # §13(三): "原则上要在2个工作日内受理答复完毕，对较复杂问题须在10个工作日内作出回复".
        # 受理答复完毕: the days cover acceptance and reply together, so the clock counts from the
        # letter's receipt, not from its dispatch to the department (MBX-3).
        "mailbox.reply": Override("2 workdays", "MBX-3", "002 §13", from_receipt=True),
        "mailbox.reply_complex": Override("10 workdays", "MBX-3", "002 §13", from_receipt=True),
        # The same sentence covers 投诉 (complaints, i.e. petitions): 2 and 10 working days are
        # targets under the national 60 calendar days (PET-2, NAT-5); the earlier date binds. As for
        # letters, 受理答复完毕 counts from receipt; the 60 days then count from receipt too, a day
        # or more stricter than the national count from acceptance, and never the binding date.
        "petition.handling": Override(None, "PET-2", "002 §13", target="2 workdays", from_receipt=True),
        "petition.handling_complex": Override(
            None, "PET-2", "002 §13", target="10 workdays", from_receipt=True
        ),
        # §13(一)(二): news within 2 working days, policy and other lasting items within 5.
        "publishing.news": Override("2 workdays", "PUB-13", "002 §13"),
        "publishing.policy": Override("5 workdays", "PUB-13", "002 §13"),
        # §27: the network information centre edits and publishes within 1 working day.
        "publishing.centre_edit": Override("1 workday", "PUB-13", "002 §27"),
        # §13(四) defers disclosure to the national rules, so publishing.proactive stays national.
    },
    # §40 (STAT-2) raises three late submissions in a row to the principal leader: a count, not
    # a time after a deadline, so it is the late_streak below and the ESC-1 defaults stand.
)

# --- 信息发布: who reviews and signs (PUB-4) ---
# §26: "上报信息必须经分管领导审核同意,重大信息必须经主要领导审核同意": the leader in charge approves
# every item, the principal leader major ones too. §26 names no section head; the section head's
# confidentiality review (PUB-6) stays first as in every profile, and he no longer decides. The
# leader in charge proofreads what he approves (as national reads PUB-3 with the tiers).
_LEADER = chain("section_head leader_in_charge", "staff section_head leader_in_charge")
PROFILE = replace(
    PROFILE,
    publishing=PublishingRules(
        chains={
            "general": _LEADER,
            "important": _LEADER,
            "major": chain(
                "section_head leader_in_charge principal_leader", "staff section_head leader_in_charge"
            ),
        },
        source="002 §26",
    ),
    # §40: "对报送信息连续3次以上不及时……单位主要领导要向市委、市政府说明情况" (STAT-2).
    late_streak=LateStreak(3, "STAT-2", "002 §40"),
)

# --- 定期工作 (REC-5, REC-6, NAT-4) ---
# A local government: its annual report is due by 31 March (NAT-4). §33 asks the site's host
# (主(承)办单位, the city network information centre) for at least one drill a year, §29 the same
# centre for at least one training of the information officers a year.
PROFILE = replace(
    PROFILE,
    agency_kind=AgencyKind.LOCAL_GOVERNMENT,
    duties=(
        annual_report(AgencyKind.LOCAL_GOVERNMENT),
        Duty("drill", "开展网站应急安全演练", "REC-5", "002 §33", "信息中心", Yearly()),
        Duty("training", "组织信息员业务培训", "REC-6", "002 §29", "信息中心", Yearly()),
    ),
)
