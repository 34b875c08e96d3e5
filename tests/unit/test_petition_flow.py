"""Scenario tests of bpmn/petition.bpmn on the bare engine (PET-1..5, NAT-5).

Every step saves the workflow to JSON and restores it before going on, as the service does. Timers
fire the way the sweep fires them: the clock is set, the workflow restored and advanced.
"""

import pytest

from tests.unit.cases import BPMN, ORG, Case, load
from workflows.assignment import Role
from workflows.engine.parser import parse_definition
from workflows.engine.problems import DiagramError
from workflows.forms import validate

START = {
    "petitioner_name": "李建国",
    "applicant_contact": "13800000000",
    "petition_title": "小区旁违法占地建设",
    "petition_content": "村口耕地被违法占用建厂房，请求查处。",
    "channel": "website",
    "received_on": "2026-04-20",
}
ROUTED = {"owning_department": "legal", "routed_on": "2026-04-20"}
ACCEPTED = {
    "acceptance_decision": "accepted",
    "accepted_on": "2026-04-22",
    "complexity": "simple",
    "acceptance_notice": "已受理。",
}
SUPPORTED = {"handling_step": "conclude", "outcome": "supported", "handling_opinion": "责令停止建设。"}


@pytest.fixture(scope="module")
def definition():
    return load("petition")


def new_case(definition):
    """A petition registered by the petition office on Mon 20 Apr 2026 (PET-1, PET-5)."""
    return Case(definition, START, "petition", at="2026-04-20T01:00:00")


def _accepted(case):
    case.do("route", ROUTED)
    case.do("review_acceptance", ACCEPTED)


def _replied(case, replied_on="2026-05-18"):
    _accepted(case)
    case.do("handle", SUPPORTED)
    case.do("reply_online", {"replied_on": replied_on})


def test_pet1_pet4_accepted_and_supported_moves_petition_office_department_petition_office(definition):
    """Does a supported complaint go 信访处 → the department routed to → back to 信访处 for the website reply?"""
    case = new_case(definition)
    assert case.next() == ("route", ("petition", None))
    routed = case.do("route", ROUTED)
    assert (routed.department, routed.role) == ("petition", None)
    # Five working days after Mon 20 Apr (NAT-5 Art. 23): 21-24 Apr = 1-4, Mon 27 Apr = 5.
    assert case.data()["misroute_objection_until"] == "2026-04-27T16:00:00+00:00"
    accepted = case.do("review_acceptance", ACCEPTED)
    assert (accepted.department, accepted.role) == ("legal", None)
    handled = case.do("handle", SUPPORTED)
    assert (handled.department, handled.role) == ("legal", None)
    spec, replier = case.next()
    assert spec == "reply_online" and (replier.department, replier.role) == ("petition", None)
    case.do("reply_online", {"replied_on": "2026-05-18"})
    spec, registrar = case.next()
    assert spec == "register_review_request" and registrar.department == "petition"
    assert not case.finished()
    data = case.data()
    assert data["outcome"] == "supported" and data["accepted_on"] == "2026-04-22"
    assert data["petitioner_name"] == "李建国" and data["owning_department"] == "legal"


def test_nat5_misrouted_item_goes_back_to_the_petition_office_and_is_re_routed(definition):
    """Does an objection send the item back to 信访处, and the re-routed department get it with a new objection cut-off?"""
    case = new_case(definition)
    case.do("route", {"owning_department": "planning", "routed_on": "2026-04-20"})
    assert case.next() == ("review_acceptance", ("planning", None))
    case.do("review_acceptance", {"acceptance_decision": "misrouted", "objection_reason": "属法规处职责"})
    spec, back = case.next()
    assert spec == "route" and (back.department, back.role) == ("petition", None)
    case.do("route", {"owning_department": "legal", "routed_on": "2026-04-24", "routing_note": "异议成立"})
    spec, legal = case.next()
    assert spec == "review_acceptance" and legal.department == "legal"
    # Re-counted from Fri 24 Apr: 27-30 Apr = 1-4, Labour Day 1-5 May off, Wed 6 May = 5.
    assert case.data()["misroute_objection_until"] == "2026-05-06T16:00:00+00:00"
    case.do("review_acceptance", ACCEPTED)
    assert case.next()[0] == "handle"
    assert case.data()["objection_reason"] == "属法规处职责"


def test_nat5_an_item_not_accepted_ends_with_the_notice(definition):
    """Does 不予受理 end the case at once, with the reason told to the petitioner and no acceptance date?"""
    case = new_case(definition)
    case.do("route", ROUTED)
    case.do(
        "review_acceptance",
        {"acceptance_decision": "not_accepted", "not_accepted_reason": "应通过行政复议途径解决"},
    )
    assert case.finished() and case.ready() == []
    assert "accepted_on" not in case.data()
    assert case.data()["not_accepted_reason"] == "应通过行政复议途径解决"


def test_pet3_extension_is_approved_by_the_leader_in_charge_then_handling_goes_on(definition):
    """Does a request for more time go to the department's leader in charge and come back to the department?"""
    case = new_case(definition)
    _accepted(case)
    case.do(
        "handle",
        {
            "handling_step": "extension",
            "extension_requested_days": 30,
            "extension_request_reason": "需现场勘测",
        },
    )
    spec, leader = case.next()
    assert spec == "approve_extension" and (leader.department, leader.role) == (
        "legal",
        Role.LEADER_IN_CHARGE,
    )
    case.do("approve_extension", {"extension_days": 30, "extension_reason": "需现场勘测"})
    assert case.next() == ("handle", ("legal", None))
    case.do("handle", {**SUPPORTED, "outcome": "explained", "handling_opinion": "已作政策解释。"})
    assert case.next()[0] == "reply_online"
    assert case.data()["extension_days"] == 30 and case.data()["outcome"] == "explained"


def test_nat5_hearing_is_held_by_the_department_then_handling_goes_on(definition):
    """Does choosing 举行听证 give the department a hearing task, then the handling task again?"""
    case = new_case(definition)
    _accepted(case)
    case.do("handle", {"handling_step": "hearing", "hearing_reason": "事实争议较大"})
    spec, department = case.next()
    assert spec == "hold_hearing" and (department.department, department.role) == ("legal", None)
    case.do("hold_hearing", {"hearing_held_on": "2026-05-08", "hearing_record": "双方到场陈述。"})
    assert case.next()[0] == "handle"
    case.do("handle", {**SUPPORTED, "outcome": "not_supported", "handling_opinion": "诉求缺乏依据。"})
    assert case.next()[0] == "reply_online"
    assert case.data()["hearing_held_on"] == "2026-05-08"
    assert case.data()["outcome"] == "not_supported"


REVIEWED = {
    "review_outcome": "upheld",
    "review_opinion": "维持原处理意见。",
    "review_document_no": "X府复〔2026〕3号",
    "review_decided_on": "2026-06-01",
    "review_replied_on": "2026-06-01",
}
REREVIEWED = {
    "rereview_step": "decided",
    "rereview_outcome": "changed",
    "rereview_opinion": "变更为部分支持。",
    "rereview_document_no": "X省府复〔2026〕9号",
    "rereview_decided_on": "2026-06-20",
    "rereview_replied_on": "2026-06-20",
}


def _reviewed(case):
    _replied(case)
    case.do("register_review_request", {"review_requested_on": "2026-05-20", "review_request": "处理不公"})
    case.do("forward_review", {"review_organ": "市人民政府", "review_forwarded_on": "2026-05-21"})
    case.do("record_review", REVIEWED)


def test_nat5_review_and_rereview_are_decided_by_the_higher_organ_and_recorded_by_the_petition_office(
    definition,
):
    """Does 信访处 register, forward and record both the review (复查) and the re-review (复核), with nobody of the agency deciding them?"""
    case = new_case(definition)
    _replied(case)
    case.do("register_review_request", {"review_requested_on": "2026-05-20", "review_request": "处理不公"})
    assert case.next() == ("forward_review", ("petition", None))
    case.do("forward_review", {"review_organ": "市人民政府", "review_forwarded_on": "2026-05-21"})
    assert case.next() == ("record_review", ("petition", None))
    case.do("record_review", REVIEWED)
    assert case.next() == ("register_rereview_request", ("petition", None))
    case.do(
        "register_rereview_request", {"rereview_requested_on": "2026-06-05", "rereview_request": "仍不服"}
    )
    assert case.next() == ("forward_rereview", ("petition", None))
    case.do("forward_rereview", {"rereview_organ": "省人民政府", "rereview_forwarded_on": "2026-06-05"})
    assert case.next() == ("record_rereview", ("petition", None))
    case.do("record_rereview", REREVIEWED)
    assert case.finished()
    data = case.data()
    assert (data["outcome"], data["review_outcome"], data["rereview_outcome"]) == (
        "supported",
        "upheld",
        "changed",
    )
    assert (data["review_organ"], data["rereview_organ"]) == ("市人民政府", "省人民政府")
    lanes = {definition.user_task_lanes[t] for t in ("forward_review", "record_review", "record_rereview")}
    assert lanes == {"信访处"}


def test_nat5_a_rereview_hearing_is_recorded_then_the_rereview_opinion(definition):
    """When the re-review organ holds a hearing, does 信访处 record it and then go back to waiting for the opinion?"""
    case = new_case(definition)
    _reviewed(case)
    case.do(
        "register_rereview_request", {"rereview_requested_on": "2026-06-05", "rereview_request": "仍不服"}
    )
    case.do("forward_rereview", {"rereview_organ": "省人民政府", "rereview_forwarded_on": "2026-06-05"})
    case.do("record_rereview", {"rereview_step": "hearing"})
    assert case.next() == ("rereview_hearing", ("petition", None))
    case.do(
        "rereview_hearing", {"rereview_hearing_held_on": "2026-06-12", "rereview_hearing_record": "已听证"}
    )
    assert case.next()[0] == "record_rereview"
    case.do("record_rereview", REREVIEWED)
    assert case.finished() and case.data()["rereview_hearing_held_on"] == "2026-06-12"


def test_nat5_no_review_request_within_30_days_closes_the_case_by_timer(definition):
    """With no review requested, does the case close when the 30 days after the reply have passed, not before?"""
    case = new_case(definition)
    _replied(case, replied_on="2026-09-04")
    # Fri 4 Sep + 30 days = Sun 4 Oct, inside National Day (1-7 Oct): the next working day is Thu 8 Oct (ESC-2).
    assert case.next_timer_at() == "2026-10-08T16:00:00+00:00"
    case.fire_timers_at("2026-10-08T15:59:00+00:00")
    assert [t.spec_name for t in case.ready()] == ["register_review_request"]
    case.fire_timers_at("2026-10-08T16:00:00+00:00")
    assert case.finished() and case.ready() == []
    assert "review_requested_on" not in case.data()
    assert case.data()["outcome"] == "supported"


def test_nat5_no_rereview_request_within_30_days_closes_the_case_by_timer(definition):
    """After a review reply, does the case close by itself when no re-review is requested in 30 days?"""
    case = new_case(definition)
    _replied(case)
    case.do("register_review_request", {"review_requested_on": "2026-05-19", "review_request": "不服"})
    case.do("forward_review", {"review_organ": "市人民政府", "review_forwarded_on": "2026-05-19"})
    case.do(
        "record_review", {**REVIEWED, "review_decided_on": "2026-05-20", "review_replied_on": "2026-05-20"}
    )
    # Wed 20 May + 30 days = Fri 19 Jun, the Dragon Boat Festival: the next working day is Mon 22 Jun.
    assert case.next_timer_at() == "2026-06-22T16:00:00+00:00"
    case.fire_timers_at("2026-06-22T16:00:00+00:00")
    assert case.finished()
    assert case.data()["review_outcome"] == "upheld" and "rereview_requested_on" not in case.data()


def test_nat5_pet2_pet5_markup_names_the_petition_deadlines_and_outcomes(definition):
    """Does the diagram offer NAT-5 Art. 32's three outcomes, count routing and acceptance from the arrival (PET-5), start the simple or complex handling clock (PET-2) and extend it?"""
    outcome = {f.name: f for f in definition.form_for("handle").fields}["outcome"]
    assert [o.value for o in outcome.options] == ["supported", "explained", "not_supported"]
    assert outcome.required_if == ("handling_step", "conclude")
    assert definition.case_deadline is None  # the handling clock starts at acceptance, by complexity
    assert definition.deadline_start("route", "petition.routing").from_field == "received_on"
    assert definition.deadline_start("review_acceptance", "petition.acceptance").from_field == "received_on"
    starts = [(a.deadline, a.from_field, a.when) for a in definition.clock_actions["review_acceptance"]]
    assert starts == [
        ("petition.handling", "accepted_on", ("complexity", "simple")),
        ("petition.handling_complex", "accepted_on", ("complexity", "complex")),
    ]
    # Only our staff's own steps have task deadlines; the higher organ's answer is a waiting clock.
    assert definition.task_deadlines == {
        "route": "petition.routing",
        "review_acceptance": "petition.acceptance",
    }
    extends = definition.clock_actions["approve_extension"]
    assert {(a.deadline, a.action, a.maximum) for a in extends} == {
        ("petition.handling", "extend", "petition.extension"),
        ("petition.handling_complex", "extend", "petition.extension"),
    }
    # NAT-5 Art. 36: a hearing during handling does not stop the 60 days.
    assert "hold_hearing" not in definition.clock_actions
    assert {f.name for f in definition.start_form.fields} >= {"applicant_contact", "petitioner_name"}
    assert definition.tracking_prefix == "XF"


def test_pet4_nat5_every_answer_to_the_petitioner_tells_them(definition):
    """Do the acceptance, the handling opinion, the review and the re-review answer each send the petitioner a notice?"""
    told = {task for task, notices in definition.notices.items() if notices}
    assert told == {"review_acceptance", "reply_online", "record_review", "record_rereview"}
    (review,) = definition.notices["record_review"]
    assert {"review_outcome", "review_opinion", "review_organ", "review_document_no"} <= review.placeholders()
    (rereview,) = definition.notices["record_rereview"]
    assert {"rereview_outcome", "rereview_opinion", "rereview_organ"} <= rereview.placeholders()
    assert rereview.when == ("rereview_step", "decided")


def test_pet5_a_task_deadline_counts_only_from_a_date_field():
    """Is `from` on a govflow:deadline refused, naming the task, when it names no date field of the diagram?"""
    xml = (BPMN / "petition.bpmn").read_text(encoding="utf-8")
    broken = xml.replace(
        'name="petition.routing" from="received_on"', 'name="petition.routing" from="petition_title"'
    )
    with pytest.raises(DiagramError) as refused:
        parse_definition(broken.encode(), "petition")
    (problem,) = refused.value.problems
    assert (problem.element_id, problem.code) == ("route", "not_a_date_field")
    assert "petition_title" in problem.message


def test_nat5_after_the_objection_window_a_misrouted_item_can_no_longer_be_objected_to(definition):
    """Routed on Mon 20 Apr 2026, may 法规处 object until the close of Mon 27 Apr (5 working days), and no longer after?"""
    case = new_case(definition)
    case.do("route", ROUTED)
    form = definition.form_for("review_acceptance")
    options = {f.name: f for f in form.offered(case.data()).fields}["acceptance_decision"].options
    assert "misrouted" in [o.value for o in options]
    assert case.next_timer_at() == "2026-04-27T16:00:00+00:00"
    case.fire_timers_at("2026-04-27T15:59:00+00:00")
    assert case.data()["objection_window"] == "open"
    case.fire_timers_at("2026-04-27T16:00:00+00:00")
    # The department still has to decide: the window's end takes away only the objection.
    assert case.next() == ("review_acceptance", ("legal", None))
    assert case.data()["objection_window"] == "closed"
    options = {f.name: f for f in form.offered(case.data()).fields}["acceptance_decision"].options
    assert [o.value for o in options] == ["accepted", "not_accepted"]
    objection = {"acceptance_decision": "misrouted", "objection_reason": "不属本处"}
    refused = validate(form, objection, ORG.departments, case.data())
    (error,) = refused.errors
    assert (error.field, error.code) == ("acceptance_decision", "option_not_available")
    assert "异议期限已届满" in error.message
    case.do("review_acceptance", ACCEPTED)
    assert case.next()[0] == "handle" and case.next_timer_at() is None


def test_nat5_the_higher_organs_answer_and_the_petitioners_request_windows_are_waiting_clocks(definition):
    """Are the request windows and the higher organ's 30 days watched (shown, not escalated), and only the re-review paused by a hearing?"""
    actions = {
        task: {(a.deadline, a.action, a.from_field) for a in found}
        for task, found in definition.clock_actions.items()
    }
    assert ("petition.review_request", "watch", "replied_on") in actions["reply_online"]
    assert ("petition.review_request", "stop", None) in actions["register_review_request"]
    assert actions["forward_review"] == {("petition.review", "watch", "review_forwarded_on")}
    assert actions["record_review"] == {
        ("petition.review", "stop", None),
        ("petition.rereview_request", "watch", "review_replied_on"),
    }
    assert actions["forward_rereview"] == {("petition.rereview", "watch", "rereview_forwarded_on")}
    assert actions["rereview_hearing"] == {("petition.rereview", "pause", None)}
    paused = {a.deadline for found in definition.clock_actions.values() for a in found if a.action == "pause"}
    assert paused == {"petition.rereview"}
