"""广东省国土资源厅 (seed 003): 门户网站管理办法; its chapters are unnumbered, so sources name the chapter.

The seed's title names 国土资源厅 (Department of Land and Resources); since 2018 the department
is 广东省自然资源厅, which the text already mentions (自然资源部门户网站). The title follows the seed.
"""

from __future__ import annotations

from dataclasses import replace

from . import Override, Profile, derive
from .national import NATIONAL
from .publishing import COMMON_ITEM_TYPES, chain

PROFILE: Profile = derive(
    NATIONAL,
    name="guangdong-land",
    title="广东省国土资源厅",
    overrides={
        # ch.2: "主动公开的…应在信息形成或者变更之日起5个工作日内在厅网站公开"; policy documents
        # are published together with their interpretation under the same rule (PUB-10).
        "publishing.proactive": Override("5 workdays", "PUB-13", "003 ch.2"),
        "publishing.policy": Override("5 workdays", "PUB-13", "003 ch.2"),
        # ch.4 (二) 网上咨询: the office dispatches within 1 working day, the department replies
        # within 3; no separate figure for complex letters, so 3 is the limit for both.
        "mailbox.dispatch": Override("1 workday", "MBX-2", "003 ch.4"),
        "mailbox.reply": Override("3 workdays", "MBX-3", "003 ch.4"),
        "mailbox.reply_complex": Override("3 workdays", "MBX-3", "003 ch.4"),
        # ch.4 (三) 网上投诉: the petition rules restated (60 days, at most 30 more).
        "petition.handling": Override("60 days", "PET-2", "003 ch.4"),
        "petition.extension": Override("30 days", "PET-3", "003 ch.4"),
        # ch.4 (四) 我为政府网站找错: handled within 1 working day, stricter than NAT-7's 3.
        "error_report.handle": Override("1 workday", "ERR-1", "003 ch.4"),
    },
)

# --- 信息发布: who approves, and the fast path (PUB-4, PUB-5) ---
# ch.2 tiers approval by importance as national does; ch.2 and ch.3 let the publishing centre
# alone approve items already marked 主动公开, already published by mainstream media or government
# sites, and reposts. No other seed gives that path, so only this profile has it.
#
# ch.3 (PUB-15): "厅宣传中心采编报道的日常新闻信息和整合转载的已通过中央和省主流媒体发布的新闻信息，经厅宣传
# 中心负责人审核后直接上网发布，重要信息报办公室负责人审核后发布": the centre's own news (centre_news) is
# drafted in the centre (信息中心 in the demo organisation), decided by its head (the owning
# department's section head), and an important one (the text knows two levels: a major one too) by
# the office head; no leader in charge, no principal leader. Proofreads: "直接上网发布" drops the
# leaders' review and so the leader's 三校 with it, but the centre lays out what it wrote, so its
# officer and head still proofread (一校, 二校, PUB-3); nothing in ch.3 waives those.
CENTRE_NEWS = {
    "general": chain("section_head", "staff section_head"),
    "important": chain("section_head office_head", "staff section_head"),
    "major": chain("section_head office_head", "staff section_head"),
}
# ch.3 (PUB-15): "在线访谈和网络直播信息，由受访或主办单位指派专人负责现场文字审核，审核通过后在厅网站发布":
# an online interview or live broadcast (interview) is reviewed by the person the host unit assigns,
# named on the start form, and then published by the centre; no chain, no 三校 (on_site_review).
PROFILE = replace(
    PROFILE,
    publishing=replace(
        NATIONAL.publishing,
        source="003 ch.2, ch.3",
        fast_path=True,
        item_types=(*COMMON_ITEM_TYPES, "centre_news", "interview"),
        on_site_review=("interview",),
        chains_by_type={"centre_news": CENTRE_NEWS},
    ),
)
