"""The publishing approval chain as a profile setting (PUB-4): what each seed profile holds, and the
chains check_profile refuses because the one publishing diagram could not carry them out."""

import dataclasses

import pytest

from tests.unit.cases import ORG
from workflows.handlers import Refused
from workflows.handlers.approval import ApprovalChain
from workflows.profiles import PROFILES, ProfileError, check_profile
from workflows.profiles.national import NATIONAL
from workflows.profiles.publishing import TIERS, chain


def with_chain(review: str, proof: str = "staff section_head"):
    rules = dataclasses.replace(NATIONAL.publishing, chains=dict.fromkeys(TIERS, chain(review, proof)))
    return dataclasses.replace(NATIONAL, name="test", publishing=rules)


@pytest.mark.parametrize(
    ("profile", "tier", "review"),
    [
        ("national", "general", "section_head"),
        ("national", "important", "section_head leader_in_charge"),
        ("national", "major", "section_head leader_in_charge principal_leader"),
        ("shaanxi-miit", "general", "section_head"),
        ("guangdong-land", "important", "section_head leader_in_charge"),
        ("xingning", "general", "section_head leader_in_charge"),
        ("xingning", "major", "section_head leader_in_charge principal_leader"),
        ("wanzhou", "general", "section_head leader_in_charge"),
        ("wanzhou", "important", "section_head leader_in_charge"),
        ("wanzhou", "major", "section_head leader_in_charge principal_leader"),
    ],
)
def test_pub4_each_profile_reviews_news_along_its_seeds_chain(profile, tier, review):
    assert PROFILES[profile].publishing.chain_for("news", tier).review == tuple(review.split())


def test_pub3_wanzhou_proofreads_every_item_three_times_and_signs_policy_by_the_principal_leader():
    rules = PROFILES["wanzhou"].publishing
    for item_type in rules.item_types:
        for tier in TIERS:
            assert rules.chain_for(item_type, tier).proof == ("staff", "section_head", "leader_in_charge")
    assert rules.chain_for("policy", "general").review[-1] == "principal_leader"  # 004 §13


def test_pub5_only_guangdong_land_has_the_fast_path():
    assert {name for name, p in PROFILES.items() if p.publishing.fast_path} == {"guangdong-land"}


def test_pub13_only_hainan_sasac_offers_the_annex_item_types_and_its_annual_report_day():
    offering = {name for name, p in PROFILES.items() if "organisation" in p.publishing.item_types}
    assert offering == {"hainan-sasac"}
    assert PROFILES["hainan-sasac"].publishing.annual_report_due == "03-30"


@pytest.mark.parametrize(
    ("review", "proof", "complaint"),
    [
        ("leader_in_charge", "staff section_head", "must begin with section_head"),
        ("section_head deputy", "staff section_head", "must be roles of"),
        ("section_head principal_leader", "staff section_head", "after the leader in charge reviews"),
        ("leader_in_charge section_head", "staff section_head", "in that order"),
        ("section_head", "staff", "must begin with staff and section_head"),
        ("", "staff section_head", "must be roles of"),
    ],
)
def test_pub4_a_chain_the_diagram_cannot_carry_out_is_refused(review, proof, complaint):
    with pytest.raises(ProfileError, match=complaint):
        check_profile(with_chain(review, proof))


def test_pub4_a_chain_missing_a_tier_or_an_unknown_item_type_is_refused():
    rules = dataclasses.replace(
        NATIONAL.publishing, chains={"general": chain("section_head", "staff section_head")}
    )
    with pytest.raises(ProfileError, match="must cover the tiers"):
        check_profile(dataclasses.replace(NATIONAL, name="test", publishing=rules))
    rules = dataclasses.replace(
        NATIONAL.publishing, item_types=("news", "policy", "proactive", "emergency", "blog")
    )
    with pytest.raises(ProfileError, match="unknown item types: blog"):
        check_profile(dataclasses.replace(NATIONAL, name="test", publishing=rules))


def test_pub13_wanzhou_the_chain_step_still_refuses_an_item_type_it_does_not_offer():
    """wanzhou: should an 'organisation' item get past the start form, does 确定审核签发程序 refuse it, naming item_type?"""
    step = ApprovalChain(lambda: PROFILES["wanzhou"], ORG.department_code)
    with pytest.raises(Refused) as refused:
        step({"item_type": "organisation", "fast_path_basis": "original", "centre": "信息中心"}, {})
    assert (refused.value.field, refused.value.code) == ("item_type", "item_type_not_offered")
    assert "万州区人民政府不设" in refused.value.message


def test_pub15_guangdong_land_the_centres_news_is_approved_by_its_head_and_if_important_by_the_office_head():
    """guangdong-land: is the centre's own news decided by its head, an important or major one then by the office head, proofread by officer and head only?"""
    rules = PROFILES["guangdong-land"].publishing
    assert "centre_news" in rules.item_types
    assert rules.chain_for("centre_news", "general") == chain("section_head", "staff section_head")
    for tier in ("important", "major"):
        assert rules.chain_for("centre_news", tier) == chain("section_head office_head", "staff section_head")


def test_pub15_only_guangdong_land_offers_the_centres_news():
    assert {name for name, p in PROFILES.items() if "centre_news" in p.publishing.item_types} == {
        "guangdong-land"
    }


@pytest.mark.parametrize(
    ("item_type", "review", "complaint"),
    [
        (None, "section_head office_head", "office_head reviews only"),
        ("news", "section_head office_head", "office_head reviews only"),
        ("centre_news", "section_head leader_in_charge office_head", "must be roles of"),
        ("centre_news", "office_head", "must begin with section_head"),
    ],
)
def test_pub15_the_office_head_reviews_only_the_centres_own_news(item_type, review, complaint):
    one = chain(review, "staff section_head")
    if item_type is None:
        rules = dataclasses.replace(NATIONAL.publishing, chains=dict.fromkeys(TIERS, one))
    else:
        rules = dataclasses.replace(
            NATIONAL.publishing,
            item_types=(*NATIONAL.publishing.item_types, item_type)
            if item_type == "centre_news"
            else NATIONAL.publishing.item_types,
            chains_by_type={item_type: dict.fromkeys(TIERS, one)},
        )
    with pytest.raises(ProfileError, match=complaint):
        check_profile(dataclasses.replace(NATIONAL, name="test", publishing=rules))


def test_pub15_guangdong_land_reviews_interviews_on_site_without_a_chain():
    """guangdong-land: is an online interview or live broadcast offered, reviewed on site (no chain, no fast path)?"""
    rules = PROFILES["guangdong-land"].publishing
    assert "interview" in rules.item_types
    assert rules.on_site_review == ("interview",)
    step = ApprovalChain(lambda: PROFILES["guangdong-land"], ORG.department_code)
    result = step({"item_type": "interview", "fast_path_basis": "repost", "centre": "信息中心"}, {})
    assert (result["on_site_review"], result["fast_path"]) == (True, False)
    news = step({"item_type": "news", "fast_path_basis": "original", "centre": "信息中心"}, {})
    assert news["on_site_review"] is False


@pytest.mark.parametrize(
    ("drafted_in", "refused"), [("info_center", False), ("planning", True), (None, True)]
)
def test_pub15_only_the_centre_drafts_the_centres_own_news(drafted_in, refused):
    """guangdong-land: is a centre_news item from 规划处 (or from nobody's department) refused, the centre's own accepted?"""
    step = ApprovalChain(lambda: PROFILES["guangdong-land"], ORG.department_code)
    params = {"item_type": "centre_news", "fast_path_basis": "original", "centre": "信息中心"}
    if not refused:
        assert step(params, {"drafting_department": drafted_in})["review"]["important"] == [
            "section_head",
            "office_head",
        ]
        return
    with pytest.raises(Refused) as found:
        step(params, {"drafting_department": drafted_in})
    assert (found.value.field, found.value.code) == ("item_type", "item_type_not_for_department")


def test_pub15_only_guangdong_land_offers_interviews():
    assert {name for name, p in PROFILES.items() if "interview" in p.publishing.item_types} == {
        "guangdong-land"
    }


@pytest.mark.parametrize(
    ("item_types", "on_site", "complaint"),
    [
        (("interview",), (), "interview must be reviewed on site"),
        ((), ("interview",), "reviews on site an item type it does not offer"),
        (("centre_news",), ("centre_news",), "only interview is reviewed on site"),
    ],
)
def test_pub15_on_site_review_is_for_the_interviews_a_profile_offers(item_types, on_site, complaint):
    rules = dataclasses.replace(
        NATIONAL.publishing,
        item_types=(*NATIONAL.publishing.item_types, *item_types),
        on_site_review=on_site,
    )
    with pytest.raises(ProfileError, match=complaint):
        check_profile(dataclasses.replace(NATIONAL, name="test", publishing=rules))
