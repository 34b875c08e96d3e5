"""Extension requests (REQ-3, PET-3, NAT-6): the markup that refuses, where it is asked, more than the ceiling leaves."""

import pytest

from tests.unit.cases import BPMN, load
from tests.unit.test_engine_deadlines import AMOUNT, clock, task
from workflows.engine.parser import ClockAction, DiagramError, parse_definition


def test_req3_a_request_clock_is_read_with_its_field_ceiling_and_condition():
    """Does the parser read request_extension with amountField, maximum and when, and list the ceiling?"""
    markup = clock('action="request_extension" amountField="days" maximum="disclosure.extension"')
    parsed = parse_definition(task(markup, AMOUNT))
    assert parsed.clock_actions["t"] == (
        ClockAction(
            "disclosure.reply", "request_extension", amount_field="days", maximum="disclosure.extension"
        ),
    )
    assert "disclosure.extension" in parsed.deadline_names()


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ('action="request_extension" amountField="days"', "须同时写 amountField 和 maximum"),
        ('action="request_extension" maximum="disclosure.extension"', "须同时写 amountField 和 maximum"),
        (
            'action="request_extension" amountField="why" maximum="a.b"',
            "应是整数（integer）字段，而不是 text",
        ),
        (
            'action="request_extension" amountField="days" maximum="a.b" reasonField="why"',
            "没有属性 reasonField",
        ),
    ],
)
def test_req3_a_malformed_request_clock_is_refused(attributes, message):
    """Is a request clock without its field or ceiling, or with a field of another type, refused?"""
    with pytest.raises(DiagramError, match=message):
        parse_definition(task(clock(attributes), AMOUNT))


@pytest.mark.parametrize("process_id", sorted(p.stem for p in BPMN.glob("*.bpmn")))
def test_req3_pet3_nat6_every_approved_extension_is_asked_for_under_the_same_ceiling(process_id):
    """Where a diagram approves extensions, does the task asking for them check the same clock and ceiling?"""
    actions = [a for found in load(process_id).clock_actions.values() for a in found]
    approved = {(a.deadline, a.maximum) for a in actions if a.action == "extend"}
    asked = {(a.deadline, a.maximum) for a in actions if a.action == "request_extension"}
    assert asked == approved
