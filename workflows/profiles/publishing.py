"""Who reviews, signs and proofreads an item before it is published: a profile setting (PUB-4).

The agencies' measures differ on who approves publishing, so the chain is the profile's and the one
publishing diagram reads it (the `approval_chain` service task puts it into the case). A chain
lists roles in order: `review` ends with the role that signs (终审签发), `proof` lists the three
proofreads (三校, PUB-3). Chains are given per importance tier (`TIERS`, the start form's 重要程度),
and a profile may give an item type chains of its own (hainan-sasac's departmental news, 000 §15).

The office head (`office_head`) signs where a profile gives him an item type of OFFICE_REVIEWED
(guangdong-land's centre news, PUB-15): the diagram's 办公室负责人审核 task in the 办公室 lane.

An item type in a profile's `on_site_review` (ON_SITE_REVIEWED: online interviews and live
broadcasts, guangdong-land's 003 ch.3) takes no chain at all: the person the host unit assigns
reviews the text on site and the centre publishes it (the diagram's 现场文字审核 task).

What every profile shares, because the diagram has one task for it: the section head of the owning
department reviews every original item first (confidentiality, PUB-6: 谁公开谁审查, 条例 Art. 17),
and the officer and the section head proofread every item (一校, 二校). A profile decides whether
the leader in charge reviews and whether the principal leader signs, and whether the leader in
charge proofreads (三校).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

TIERS = ("general", "important", "major")
# office_head: the general office's section head (办公室负责人), who approves the publicity centre's
# important own news (PUB-15, 003 ch.3); only the item types in OFFICE_REVIEWED take him.
REVIEWERS = ("section_head", "office_head", "leader_in_charge", "principal_leader")
OFFICE_REVIEWED = ("centre_news",)
# interview (003 ch.3, PUB-15): "由受访或主办单位指派专人负责现场文字审核，审核通过后在厅网站发布".
ON_SITE_REVIEWED = ("interview",)
PROOFREADERS = ("staff", "section_head", "leader_in_charge")
# Item types every profile offers (the national catalogue of the start form's 信息类型), and the
# ones only a profile whose measure names them offers (000 annex: column groups with their own days).
# centre_news (003 ch.3, PUB-15): the publicity centre's own news and its reposts of mainstream media.
COMMON_ITEM_TYPES = ("news", "policy", "proactive", "emergency")
ITEM_TYPES = (*COMMON_ITEM_TYPES, "organisation", "plans", "centre_news", "interview")
# Item types that are the centre's own work (003 ch.3: 厅宣传中心采编报道的日常新闻信息): only the
# centre drafts them, or any department could take the centre's shorter chain for its own news.
CENTRE_ITEM_TYPES = frozenset({"centre_news"})
ITEM_TYPE_LABELS = {
    "news": "新闻动态",
    "policy": "政策文件",
    "proactive": "其他主动公开信息",
    "emergency": "应急信息",
    "organisation": "机构、人事、财政、采购、通知公告、办事指南及表格",
    "plans": "计划规划、公文、法规文件、统计及企业财务信息",
    "centre_news": "宣传中心采编的日常新闻及整合转载的主流媒体新闻",
    "interview": "在线访谈和网络直播信息",
}


@dataclass(frozen=True)
class Chain:
    """Who reviews (the last one signs) and who proofreads, in order."""

    review: tuple[str, ...]
    proof: tuple[str, ...]

    def to_data(self) -> dict[str, list[str]]:
        return {"review": list(self.review), "proof": list(self.proof)}


def chain(review: str, proof: str) -> Chain:
    """A chain from space-separated role names, e.g. chain("section_head leader_in_charge", ...)."""
    return Chain(tuple(review.split()), tuple(proof.split()))


@dataclass(frozen=True)
class PublishingRules:
    """An agency's publishing approval chain and the publishing options its measure gives."""

    chains: Mapping[str, Chain]  # by tier
    source: str  # the article the chain comes from, e.g. "004 §16"
    chains_by_type: Mapping[str, Mapping[str, Chain]] = field(
        default_factory=dict
    )  # item type → tier → chain
    # PUB-5: reposts and already-public items approved by the publishing centre alone (003 ch.2).
    fast_path: bool = False
    # PUB-10: the legal review of a normative document by an outside body (the justice bureau,
    # 004 §13), its interpretation first sent to the news office for comment; else the in-house 法规处.
    legal_review_outside: bool = False
    item_types: tuple[str, ...] = COMMON_ITEM_TYPES
    # PUB-13: the annual disclosure report's due day (MM-DD) where the measure gives one; a setting
    # only, until a dated task carries it out.
    annual_report_due: str | None = None
    # PUB-15: item types reviewed on site by the person the host unit assigns, then published by the
    # centre, with no review chain, fast path or 三校 (only ON_SITE_REVIEWED types, 003 ch.3).
    on_site_review: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "chains", MappingProxyType(dict(self.chains)))
        by_type = {key: MappingProxyType(dict(value)) for key, value in self.chains_by_type.items()}
        object.__setattr__(self, "chains_by_type", MappingProxyType(by_type))

    def chain_for(self, item_type: str, tier: str) -> Chain:
        return self.chains_by_type.get(item_type, self.chains)[tier]


def publishing_problems(rules: PublishingRules) -> list[str]:
    """What is wrong with a profile's publishing rules, for check_profile."""
    problems = []
    unknown_types = set(rules.item_types) - set(ITEM_TYPES)
    if unknown_types:
        problems.append(f"publishing offers unknown item types: {', '.join(sorted(unknown_types))}")
    if not set(COMMON_ITEM_TYPES) <= set(rules.item_types):
        problems.append(f"publishing must offer every common item type ({', '.join(COMMON_ITEM_TYPES)})")
    problems.extend(_on_site_problems(rules))
    if not rules.source.strip():
        problems.append("publishing chain needs a source article")
    tables = {"*": rules.chains, **rules.chains_by_type}
    for item_type, table in tables.items():
        if item_type != "*" and item_type not in ITEM_TYPES:
            problems.append(f"publishing chains name an unknown item type {item_type!r}")
        if set(table) != set(TIERS):
            problems.append(f"publishing chains for {item_type} must cover the tiers {', '.join(TIERS)}")
        for tier, one in table.items():
            found = _chain_problems(one)
            if not found and "office_head" in one.review and item_type not in OFFICE_REVIEWED:
                found = [f"office_head reviews only {', '.join(OFFICE_REVIEWED)} (PUB-15, 003 ch.3)"]
            problems.extend(f"publishing chain {item_type}/{tier}: {p}" for p in found)
    if rules.annual_report_due is not None and not _is_month_day(rules.annual_report_due):
        problems.append(f"publishing annual_report_due {rules.annual_report_due!r} is no MM-DD day")
    return problems


def _on_site_problems(rules: PublishingRules) -> list[str]:
    problems = []
    if set(rules.on_site_review) - set(ON_SITE_REVIEWED):
        problems.append(
            f"publishing: only {', '.join(ON_SITE_REVIEWED)} is reviewed on site (PUB-15, 003 ch.3)"
        )
    if set(rules.on_site_review) - set(rules.item_types):
        problems.append("publishing reviews on site an item type it does not offer")
    for item_type in set(ON_SITE_REVIEWED) & set(rules.item_types) - set(rules.on_site_review):
        # The diagram has no chain for it: its start form asks for the host unit's reviewer instead.
        problems.append(f"publishing: {item_type} must be reviewed on site (on_site_review, PUB-15)")
    return problems


def _chain_problems(one: Chain) -> list[str]:
    problems = []
    if not _in_order(one.review, REVIEWERS):
        problems.append(
            f"review {list(one.review)} must be roles of {list(REVIEWERS)}, each once, in that order"
        )
    elif one.review[:1] != ("section_head",):
        problems.append("review must begin with section_head (the confidentiality review, PUB-6)")
    elif "principal_leader" in one.review and "leader_in_charge" not in one.review:
        problems.append("a principal leader signs after the leader in charge reviews (PUB-2)")
    elif "office_head" in one.review and one.review != ("section_head", "office_head"):
        problems.append("office_head follows the section head and signs: no leader after him (PUB-15)")
    if not _in_order(one.proof, PROOFREADERS):
        problems.append(
            f"proof {list(one.proof)} must be roles of {list(PROOFREADERS)}, each once, in that order"
        )
    elif one.proof[:2] != ("staff", "section_head"):
        problems.append("proof must begin with staff and section_head (一校, 二校, PUB-3)")
    return problems


def _in_order(roles: tuple[str, ...], known: tuple[str, ...]) -> bool:
    return (
        bool(roles)
        and all(role in known for role in roles)
        and len(set(roles)) == len(roles)
        and list(roles) == sorted(roles, key=known.index)
    )


def _is_month_day(text: str) -> bool:
    month, _, day = text.partition("-")
    return (
        len(text) == 5 and month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31
    )


# National: tiered by importance (001 §14, 003 ch.2): a general item is decided by its section head,
# an important one by the leader in charge, a special or major one reviewed by the leader in charge
# and signed by the principal leader (standing for the leadership group). Proofreads follow the
# tiers: the leader in charge proofreads what he approved. The fast path is 003's alone (PUB-5).
TIERED = PublishingRules(
    chains={
        "general": chain("section_head", "staff section_head"),
        "important": chain("section_head leader_in_charge", "staff section_head leader_in_charge"),
        "major": chain(
            "section_head leader_in_charge principal_leader", "staff section_head leader_in_charge"
        ),
    },
    source="001 §14; 003 ch.2",
)
