"""Scenario tests of bpmn/disclosure_request.bpmn on the bare engine (REQ-1..5, NAT-1..3).

Every step saves the workflow to JSON and restores it before going on, as the service does.
"""

from pathlib import Path

import pytest

from workflows.assignment import OrgView, Role, assign
from workflows.clock import FixedClock
from workflows.engine.parser import parse_definition
from workflows.engine.runner import ProcessRunner

DIAGRAM = Path(__file__).resolve().parents[2] / "bpmn" / "disclosure_request.bpmn"
ORG = OrgView({"office": "办公室", "planning": "规划处", "leadership": "局领导"}, "leadership")
START = {
    "applicant_name": "王小明",
    "applicant_contact": "13800000000",
    "request_content": "2025年规划许可目录",
    "channel": "online",
}


@pytest.fixture(scope="module")
def definition():
    return parse_definition(DIAGRAM.read_bytes(), "disclosure_request")


class Case:
    """Drives one case through the runner, reloading from JSON after every step."""

    def __init__(self, definition):
        self.definition = definition
        self.runner = ProcessRunner()
        self.clock = FixedClock("2026-03-02T01:00:00")
        self.state = self.runner.dumps(self.runner.start(definition, dict(START), self.clock))
        self.owner = "office"

    def ready(self):
        workflow = self.runner.loads(self.state, self.definition, self.clock)
        return self.runner.ready_tasks(workflow)

    def do(self, spec_name, data):
        (task,) = self.ready()
        assert task.spec_name == spec_name
        decision = assign(task.lane, self.owner, ORG)
        workflow = self.runner.loads(self.state, self.definition, self.clock)
        self.runner.complete(workflow, task.id, data)
        self.owner = data.get("owning_department", self.owner)
        self.state = self.runner.dumps(workflow)
        return decision

    def finished(self):
        return self.runner.loads(self.state, self.definition, self.clock).is_completed()

    def data(self):
        return self.runner.case_data(self.runner.loads(self.state, self.definition, self.clock))


def _through_drafting(case):
    case.do("register", {"owning_department": "planning", "received_on": "2026-03-02"})
    return case.do("draft_reply", {"category": "disclosed", "reply_text": "附件为所申请的目录。"})


def test_req_happy_path_moves_office_department_heads_office(definition):
    """Does an approved reply pass office → department → its head → disclosure office head → office?"""
    case = Case(definition)
    assert (
        case.do("register", {"owning_department": "planning", "received_on": "2026-03-02"}).department
        == "office"
    )
    drafted = case.do("draft_reply", {"category": "disclosed", "reply_text": "附件为所申请的目录。"})
    assert (drafted.department, drafted.role) == ("planning", None)
    review = case.do("section_review", {"section_decision": "approve"})
    assert (review.department, review.role) == ("planning", Role.SECTION_HEAD)
    approval = case.do("office_approval", {"office_decision": "approve"})
    assert (approval.department, approval.role) == ("office", Role.SECTION_HEAD)
    case.do("send_reply", {"sent_via": "online", "sent_on": "2026-03-10"})
    assert case.finished()
    assert case.data()["category"] == "disclosed"
    assert case.data()["applicant_name"] == "王小明"


def test_req_section_head_return_goes_back_to_drafting(definition):
    """Does a section head's 退回修改 send the reply back to the department for redrafting?"""
    case = Case(definition)
    _through_drafting(case)
    case.do("section_review", {"section_decision": "return", "section_comment": "请补充依据"})
    assert [t.spec_name for t in case.ready()] == ["draft_reply"]
    assert not case.finished()


def test_nat3_office_head_return_goes_back_to_drafting(definition):
    """Does the disclosure office head's 退回修改 send the reply back to drafting, then on again?"""
    case = Case(definition)
    _through_drafting(case)
    case.do("section_review", {"section_decision": "approve"})
    case.do("office_approval", {"office_decision": "return", "office_comment": "理由不充分"})
    case.do(
        "draft_reply", {"category": "withheld", "withheld_reason": "state_secret", "reply_text": "不予公开"}
    )
    case.do("section_review", {"section_decision": "approve"})
    case.do("office_approval", {"office_decision": "approve"})
    case.do("send_reply", {"sent_via": "post", "sent_on": "2026-03-12"})
    assert case.finished()
    assert case.data()["withheld_reason"] == "state_secret"


def test_nat3_reply_form_offers_every_category(definition):
    """Does the drafting form offer every NAT-3 reply category and require a reason when withheld?"""
    fields = {f.name: f for f in definition.form_for("draft_reply").fields}
    values = {o.value for o in fields["category"].options}
    assert {
        "already_public",
        "disclosed",
        "partly_disclosed",
        "withheld",
        "not_held",
        "not_processed",
    } <= values
    assert fields["withheld_reason"].required_if == ("category", "withheld")
    assert definition.start_form is not None
    assert definition.tracking_prefix == "GK"
