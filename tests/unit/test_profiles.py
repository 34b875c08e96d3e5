"""Agency profiles: the deadline catalogue, each seed's values, and the national ceiling (NAT-1..7, ESC-1).

Expected values are written out from the seed texts in ../shared/seeds, not read from the profiles.
"""

import dataclasses
import os
import re
from pathlib import Path

import pytest

from workflows.periods import Period, Unit
from workflows.profiles import (
    DEADLINE_NAMES,
    DEFAULT_PROFILE,
    PROFILES,
    DeadlineRule,
    LateStreak,
    Override,
    Profile,
    ProfileError,
    UnknownDeadline,
    check_profile,
    derive,
    load_profile,
)
from workflows.profiles.national import NATIONAL

# The rule catalogue lives beside the project (../shared), not in it; GOVFLOW_REQUIREMENTS names it
# for a clone kept elsewhere.
REQUIREMENTS = Path(
    os.environ.get("GOVFLOW_REQUIREMENTS") or Path(__file__).parents[3] / "shared" / "REQUIREMENTS.md"
)
SEED_PROFILES = {
    "hainan-sasac": "000",
    "shaanxi-miit": "001",
    "xingning": "002",
    "guangdong-land": "003",
    "wanzhou": "004",
}


def rule_ids_in_requirements() -> set[str]:
    if not REQUIREMENTS.is_file() and not os.environ.get("CI"):
        # A clone away from ../shared cannot check rule IDs; CI (.ci/run sets CI) always does.
        pytest.skip(f"no rule catalogue at {REQUIREMENTS}: set GOVFLOW_REQUIREMENTS to check rule IDs")
    assert REQUIREMENTS.is_file(), f"the rule catalogue is missing: expected it at {REQUIREMENTS}"
    ids = set(re.findall(r"^\| ([A-Z]+-\d+) \|", REQUIREMENTS.read_text(encoding="utf-8"), re.MULTILINE))
    assert len(ids) > 50, (
        f"parsed only {len(ids)} rule IDs from {REQUIREMENTS}; has its table format changed?"
    )
    return ids


def with_deadline(profile: Profile, name: str, period: str) -> Profile:
    rule = dataclasses.replace(profile.deadline(name), period=Period.parse(period))
    return dataclasses.replace(profile, deadlines={**profile.deadlines, name: rule})


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_nat_every_profile_loads_with_the_whole_catalogue_in_national_units(name):
    """Does every profile load, define every catalogue name, and count each in national's unit?"""
    profile = load_profile(name)
    assert profile.name == name
    assert set(profile.deadlines) == DEADLINE_NAMES
    for key, rule in profile.deadlines.items():
        assert rule.period.unit == NATIONAL.deadline(key).period.unit, key
        assert not rule.period.exceeds(NATIONAL.deadline(key).period), key


def test_registry_holds_national_and_the_five_seed_profiles():
    """Is there one profile per seed plus national, and is national the default (GOVFLOW_PROFILE)?"""
    assert set(PROFILES) == {"national", *SEED_PROFILES}
    assert DEFAULT_PROFILE == "national"
    assert load_profile(DEFAULT_PROFILE) is NATIONAL


def test_every_rule_cites_rule_ids_that_exist_in_requirements():
    """Does every deadline of every profile cite at least one rule ID, all of them in REQUIREMENTS.md?"""
    known = rule_ids_in_requirements()
    for profile in PROFILES.values():
        for key, rule in profile.deadlines.items():
            assert rule.rule_ids, f"{profile.name}: {key}"
            unknown = set(rule.rule_ids) - known
            assert not unknown, f"{profile.name}: {key} cites {sorted(unknown)}, not in {REQUIREMENTS.name}"
            assert rule.source and re.search(r"[\u4e00-\u9fff]", rule.label), f"{profile.name}: {key}"


@pytest.mark.parametrize("name, seed", sorted(SEED_PROFILES.items()))
def test_a_local_value_cites_its_own_seed(name, seed):
    """Does every value a seed profile sets itself (not inherited from national) cite that seed's article?"""
    profile = PROFILES[name]
    own = [key for key, rule in profile.deadlines.items() if rule != NATIONAL.deadline(key)]
    assert own, f"{name} overrides nothing"
    for key in own:
        assert profile.deadline(key).source.startswith(f"{seed} "), f"{name}: {key}"
        assert profile.deadline(key).label == NATIONAL.deadline(key).label


@pytest.mark.parametrize(
    "name, deadline, expected",
    [
        # NAT-1, NAT-2, NAT-5, NAT-6, NAT-7: the national numbers as the regulations state them.
        ("national", "disclosure.reply", "20 workdays"),
        ("national", "disclosure.extension", "20 workdays"),
        ("national", "disclosure.correction_notice", "7 workdays"),
        ("national", "disclosure.third_party", "15 workdays"),
        ("national", "petition.routing", "15 days"),
        ("national", "petition.acceptance", "15 days"),
        ("national", "petition.misroute_objection", "5 workdays"),
        ("national", "petition.handling", "60 days"),
        ("national", "petition.extension", "30 days"),
        ("national", "petition.review", "30 days"),
        ("national", "petition.rereview", "30 days"),
        ("national", "proposal.reply", "3 months"),
        ("national", "proposal.extension", "3 months"),
        ("national", "proposal.co_handler_opinion", "1 month"),
        ("national", "error_report.handle", "3 workdays"),
        ("national", "publishing.proactive", "20 workdays"),
        # 000 §12: "15个工作日内予以答复 … 延长期限最长不超过15个工作日" (REQ-2, REQ-3).
        ("hainan-sasac", "disclosure.reply", "15 workdays"),
        ("hainan-sasac", "disclosure.extension", "15 workdays"),
        # 000 §20: "5个工作日内将回复结果的电子版报信息中心"; annex: "1-3个工作日内报保密室".
        ("hainan-sasac", "mailbox.reply", "5 workdays"),
        ("hainan-sasac", "mailbox.intake", "3 workdays"),
        ("hainan-sasac", "publishing.policy", "10 workdays"),
        # 001 §17: "不应迟于工作结束后的第3天": a calendar-day target (below) under national's ceiling.
        ("shaanxi-miit", "publishing.news", "5 workdays"),
        # 002 §13: "2个工作日内受理答复完毕，对较复杂问题须在10个工作日内"; news 2, policy 5; §27: 1.
        ("xingning", "mailbox.reply", "2 workdays"),
        ("xingning", "mailbox.reply_complex", "10 workdays"),
        ("xingning", "publishing.news", "2 workdays"),
        ("xingning", "publishing.policy", "5 workdays"),
        ("xingning", "publishing.centre_edit", "1 workday"),
        # 003 ch.4: "1个工作日内按职责分送 … 3个工作日内回复"; "60日内办结 … 不得超过30日"; 找错 1.
        ("guangdong-land", "mailbox.dispatch", "1 workday"),
        ("guangdong-land", "mailbox.reply", "3 workdays"),
        ("guangdong-land", "petition.handling", "60 days"),
        ("guangdong-land", "petition.extension", "30 days"),
        ("guangdong-land", "error_report.handle", "1 workday"),
        # 003 ch.2: "5个工作日内在厅网站公开".
        ("guangdong-land", "publishing.proactive", "5 workdays"),
        # 004 §25: "1个自然日内完成整改"; §12: "20个工作日内及时公开".
        ("wanzhou", "error.fix", "1 day"),
        ("wanzhou", "publishing.proactive", "20 workdays"),
    ],
)
def test_seed_values_req2_mbx3_pet2_err1_err2_pub13(name, deadline, expected):
    """Does each profile carry the number its seed (or the national regulation) states?"""
    assert load_profile(name).deadline(deadline).period == Period.parse(expected)


def test_req2_nat1_hainan_is_stricter_than_national_and_inherits_the_rest():
    """Is hainan-sasac's reply 15 working days against national's 20, and its third-party time national's?"""
    hainan = load_profile("hainan-sasac")
    assert hainan.deadline("disclosure.reply").period.label == "15个工作日"
    assert NATIONAL.deadline("disclosure.reply").period.label == "20个工作日"
    assert hainan.deadline("disclosure.third_party") == NATIONAL.deadline("disclosure.third_party")


def test_mbx3_xingning_complex_letters_fit_under_the_national_default():
    """Does xingning's 10 working days for complex letters load, national's default being no lower?"""
    assert not Period(10, Unit.WORKDAY).exceeds(NATIONAL.deadline("mailbox.reply_complex").period)
    assert check_profile(PROFILES["xingning"]) is PROFILES["xingning"]


def test_nat_a_looser_profile_fails_naming_the_value_and_the_ceiling():
    """Is a profile that replies to letters in 10 working days refused against national's 5?"""
    loose = with_deadline(PROFILES["xingning"], "mailbox.reply", "10 workdays")
    with pytest.raises(ProfileError) as refused:
        check_profile(loose)
    assert str(refused.value) == (
        "profile 'xingning': mailbox.reply = 10 workdays is looser than the national ceiling 5 workdays"
    )


def test_nat1_a_local_disclosure_reply_cannot_exceed_20_workdays():
    """Is a 21-working-day disclosure reply refused, while exactly 20 passes?"""
    assert check_profile(with_deadline(PROFILES["hainan-sasac"], "disclosure.reply", "20 workdays"))
    with pytest.raises(ProfileError, match=r"disclosure\.reply = 21 workdays is looser .* 20 workdays"):
        check_profile(with_deadline(PROFILES["hainan-sasac"], "disclosure.reply", "21 workdays"))


def test_nat_load_profile_refuses_a_registered_profile_that_is_too_loose(monkeypatch):
    """Does load_profile itself check the ceiling, not just check_profile?"""
    loose = dataclasses.replace(
        with_deadline(PROFILES["wanzhou"], "petition.handling", "90 days"), name="loose"
    )
    monkeypatch.setattr("workflows.profiles.PROFILES", {**PROFILES, "loose": loose})
    with pytest.raises(ProfileError, match=r"^profile 'loose': petition\.handling = 90 days is looser"):
        load_profile("loose")


def test_nat5_a_unit_mismatch_fails_naming_the_value():
    """Is a petition deadline in working days refused when national counts calendar days?"""
    odd = with_deadline(PROFILES["guangdong-land"], "petition.handling", "40 workdays")
    with pytest.raises(ProfileError) as refused:
        check_profile(odd)
    message = str(refused.value)
    assert "profile 'guangdong-land'" in message
    assert "petition.handling = 40 workdays counts workdays" in message
    assert "national ceiling 60 days counts days" in message


def test_an_unknown_profile_name_lists_the_known_ones():
    """Does asking for a profile that does not exist say which ones do?"""
    with pytest.raises(ProfileError) as refused:
        load_profile("hainan")
    message = str(refused.value)
    assert "unknown profile 'hainan'" in message
    for name in PROFILES:
        assert name in message


def test_a_missing_catalogue_name_fails():
    """Is a profile without petition.rereview refused, naming the missing deadline?"""
    deadlines = {key: rule for key, rule in NATIONAL.deadlines.items() if key != "petition.rereview"}
    with pytest.raises(ProfileError, match=r"profile 'partial': missing deadlines: petition\.rereview"):
        check_profile(Profile("partial", "测试", deadlines))


def test_a_name_outside_the_catalogue_fails():
    """Is a deadline the diagrams cannot name refused rather than silently carried?"""
    extra = {**NATIONAL.deadlines, "mailbox.reply_urgent": NATIONAL.deadline("mailbox.reply")}
    with pytest.raises(ProfileError, match=r"not in the catalogue: mailbox\.reply_urgent"):
        check_profile(Profile("extra", "测试", extra))


def test_a_rule_without_a_rule_id_fails():
    """Is a deadline that cites no rule ID refused?"""
    bare = dataclasses.replace(NATIONAL.deadline("mailbox.reply"), rule="see the measure")
    with pytest.raises(ProfileError, match=r"mailbox\.reply cites no rule ID"):
        check_profile(dataclasses.replace(NATIONAL, deadlines={**NATIONAL.deadlines, "mailbox.reply": bare}))


def test_derive_refuses_to_override_a_name_outside_the_catalogue():
    """Does a typo in a profile file fail when the profile is built?"""
    with pytest.raises(
        ProfileError, match=r"profile 'typo': overrides names not in the catalogue: mailbox\.replies"
    ):
        derive(
            NATIONAL,
            name="typo",
            title="测试",
            overrides={"mailbox.replies": Override("2 workdays", "MBX-3", "x")},
        )


def test_derive_keeps_national_labels_and_values():
    """Does a derived profile take national's label for an overridden name and national's values elsewhere?"""
    derived = derive(
        NATIONAL, name="d", title="测试", overrides={"mailbox.reply": Override("4 workdays", "MBX-3", "x §1")}
    )
    assert derived.deadline("mailbox.reply") == DeadlineRule(
        Period(4, Unit.WORKDAY), "MBX-3", "x §1", "来信答复期限"
    )
    assert derived.deadline("mailbox.dispatch") == NATIONAL.deadline("mailbox.dispatch")


def test_an_unknown_deadline_names_the_deadline_and_the_profile():
    """Does asking a profile for a deadline it lacks raise a KeyError that says which, where, and suggests one?"""
    with pytest.raises(UnknownDeadline) as missing:
        PROFILES["xingning"].deadline("mailbox.replys")
    assert isinstance(missing.value, KeyError)
    assert str(missing.value) == (
        "profile 'xingning' defines no deadline named 'mailbox.replys'; did you mean mailbox.reply, mailbox.reply_complex, mailbox.review?"
    )
    assert (missing.value.name, missing.value.profile) == ("mailbox.replys", "xingning")


def test_profiles_are_read_only():
    """Can a loaded profile's deadlines be changed in place? (They must not.)"""
    with pytest.raises(TypeError):
        NATIONAL.deadlines["mailbox.reply"] = NATIONAL.deadline("mailbox.dispatch")  # type: ignore[index]


def test_esc1_reminder_and_escalation_defaults():
    """Does every profile remind one working day ahead and raise to the section head at the deadline, the leader a working day later?"""
    for profile in PROFILES.values():
        assert profile.remind_before == Period(1, Unit.WORKDAY)
        assert profile.escalate_after == (Period(0, Unit.WORKDAY), Period(1, Unit.WORKDAY))


def test_esc1_escalation_levels_out_of_order_fail():
    """Is a leader-in-charge level that comes before the section-head level refused?"""
    backwards = dataclasses.replace(
        NATIONAL, escalate_after=(Period(2, Unit.WORKDAY), Period(1, Unit.WORKDAY))
    )
    with pytest.raises(ProfileError, match=r"escalate_after level 1 workday comes before the level below it"):
        check_profile(backwards)
    with pytest.raises(ProfileError, match="at least one level"):
        check_profile(dataclasses.replace(NATIONAL, escalate_after=()))


# --- natural days that do not roll (ERR-2) and local targets in another unit (PET-2, MBX-3, PUB-13) ---


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_err2_error_fixes_count_natural_days_that_do_not_roll_in_every_profile(name):
    """Does error.fix (1 natural day) and error.fix_urgent (the same day) stay unrolled under every profile?"""
    profile = load_profile(name)
    assert (profile.deadline("error.fix").period, profile.deadline("error.fix").rolls) == (
        Period(1, Unit.DAY),
        False,
    )
    assert (profile.deadline("error.fix_urgent").period, profile.deadline("error.fix_urgent").rolls) == (
        Period(0, Unit.DAY),
        False,
    )
    assert profile.deadline("petition.handling").rolls  # ESC-2's default for calendar days


@pytest.mark.parametrize(
    "name, deadline, ceiling, target",
    [
        # 000 §20: "自接件之日起5个工作日内将回复结果的电子版报信息中心" (PET-2).
        ("hainan-sasac", "petition.handling", "60 days", "5 workdays"),
        # 002 §13(三): "2个工作日内受理答复完毕，对较复杂问题须在10个工作日内作出回复".
        ("xingning", "petition.handling", "60 days", "2 workdays"),
        ("xingning", "petition.handling_complex", "60 days", "10 workdays"),
        # 001 §17: "不应迟于工作结束后的第3天" under the national working-day ceilings (PUB-13).
        ("shaanxi-miit", "publishing.news", "5 workdays", "3 days"),
        ("shaanxi-miit", "publishing.policy", "20 workdays", "3 days"),
        ("shaanxi-miit", "publishing.proactive", "20 workdays", "3 days"),
        ("national", "petition.handling_complex", "60 days", None),
    ],
)
def test_pet2_pub13_local_targets_stand_beside_the_national_ceiling(name, deadline, ceiling, target):
    """Does the profile keep the national ceiling and its own target in the target's unit?"""
    rule = load_profile(name).deadline(deadline)
    assert rule.period == Period.parse(ceiling)
    assert rule.target == (Period.parse(target) if target else None)
    assert rule.rolls


def test_mbx3_xingning_letters_count_from_receipt_others_from_dispatch():
    """Does xingning's reply clock cover acceptance and reply together (from receipt), every other profile's start at dispatch?"""
    for name, profile in PROFILES.items():
        for key in ("mailbox.reply", "mailbox.reply_complex"):
            assert profile.deadline(key).from_receipt is (name == "xingning"), f"{name}: {key}"


def test_pet2_nat5_petition_handling_complex_is_in_the_catalogue():
    """Is the complex-petition deadline a catalogue name with national's 60 days and its own label?"""
    rule = NATIONAL.deadline("petition.handling_complex")
    assert "petition.handling_complex" in DEADLINE_NAMES
    assert (rule.period, rule.label) == (Period(60, Unit.DAY), "复杂信访事项办理期限")
    assert {"PET-2", "NAT-5"} <= set(rule.rule_ids)


def with_rule(profile: Profile, name: str, **changes) -> Profile:
    rule = dataclasses.replace(profile.deadline(name), **changes)
    return dataclasses.replace(profile, deadlines={**profile.deadlines, name: rule})


def test_pet2_a_target_that_could_never_be_stricter_is_refused():
    """Is 60 working days under a 60-day ceiling refused, as no start day would make it the earlier date?"""
    never = with_rule(PROFILES["xingning"], "petition.handling", target=Period(60, Unit.WORKDAY))
    with pytest.raises(ProfileError) as refused:
        check_profile(never)
    assert str(refused.value) == (
        "profile 'xingning': petition.handling target 60 workdays never ends before its ceiling 60 days"
        " (for no start day from 2024 to 2026), so it could never bind"
    )


def test_pet2_a_target_in_the_ceilings_own_unit_is_refused():
    """Is a target in the period's own unit refused: a stricter value is the period itself?"""
    same = with_rule(PROFILES["xingning"], "petition.handling", target=Period(30, Unit.DAY))
    with pytest.raises(ProfileError, match=r"petition\.handling target 30 days counts days like its period"):
        check_profile(same)


def test_err2_a_profile_may_not_roll_what_national_does_not_roll():
    """Is letting error.fix roll to the next working day refused as looser than ERR-2?"""
    rolling = with_rule(PROFILES["wanzhou"], "error.fix", rolls=True)
    with pytest.raises(ProfileError, match=r"error\.fix rolls to the next working day, .* does not \(ERR-2"):
        check_profile(rolling)


def test_esc2_rolling_is_a_question_for_calendar_days_only():
    """Is 'does not roll' on a working-day deadline refused as meaningless?"""
    odd = with_rule(PROFILES["wanzhou"], "mailbox.reply", rolls=False)
    with pytest.raises(
        ProfileError, match=r"mailbox\.reply counts workdays, which always end on a working day"
    ):
        check_profile(odd)


def test_stat2_only_xingning_asks_for_an_explanation_after_three_late_submissions():
    """Does xingning's 002 §40 set a run of 3 (STAT-2), and national ask nobody?"""
    assert NATIONAL.late_streak is None
    streak = load_profile("xingning").late_streak
    assert (streak.count, streak.rule, streak.source) == (3, "STAT-2", "002 §40")


def test_stat2_a_run_of_one_is_refused():
    """Is a late_streak of one late submission refused as no run at all?"""
    profile = dataclasses.replace(NATIONAL, late_streak=LateStreak(1, "STAT-2", "002 §40"))
    with pytest.raises(ProfileError, match="late_streak.count"):
        check_profile(profile)
