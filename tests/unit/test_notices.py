"""Notices to the applicant: filling a diagram's text from the case data, and reading the markup."""

import pytest

from tests.unit.test_engine_deadlines import task
from workflows.engine.parser import DiagramError, parse_definition
from workflows.notices import MAX_VALUE, Notice, render, to_send

LABELS = {"outcome": {"supported": "支持"}, "forms": {"text": "文字解读", "chart": "图表图解"}}


def test_req5_a_notice_shows_labels_not_codes_and_lists_joined():
    """Does {outcome} read 支持 rather than supported, a list join with 、, and a missing field stay empty?"""
    text = render(
        "处理意见：{outcome}；形式：{forms}；{missing}完",
        {"outcome": "supported", "forms": ["text", "chart"]},
        LABELS,
    )
    assert text == "处理意见：支持；形式：文字解读、图表图解；完"


@pytest.mark.parametrize(
    "template", ["{outcome.__class__}", "{outcome!r}", "{0}", "{outcome:>99999}", "{_secret}"]
)
def test_req5_only_plain_field_names_are_placeholders(template):
    """Is anything but {field} left as written, so a diagram cannot reach into Python objects or pad text?"""
    assert render(template, {"outcome": "supported", "_secret": "x"}, LABELS) == template


def test_req5_a_long_value_is_cut():
    """Is a field longer than the cap cut, so a notice cannot grow without bound?"""
    assert len(render("{reply}", {"reply": "答" * (MAX_VALUE + 50)}, {})) == MAX_VALUE


def test_req5_a_notice_may_depend_on_the_completed_form():
    """Is a notice with when= sent only for that value, and one without it always?"""
    assert Notice("s", "b", ("decision", "reject")).applies({"decision": "reject"})
    assert not Notice("s", "b", ("decision", "reject")).applies({"decision": "accept"})
    assert Notice("s", "b").applies({})


CORRECTED = Notice("s", "已更正：{corrected_url}", ("fix_action", "corrected"))
DELETED = Notice("s", "已删除", ("fix_action", "deleted"))
ANY = Notice("s", "办理结果")


@pytest.mark.parametrize(
    ("data", "sent"),
    [
        ({"fix_action": "corrected"}, [CORRECTED]),
        ({"fix_action": "deleted"}, [DELETED]),
        ({"fix_action": "link_fixed"}, [ANY]),
        ({}, [ANY]),
    ],
)
def test_err2_a_notice_without_when_is_sent_only_when_no_notice_with_when_applies(data, sent):
    """Like conditional deadlines: do the notices whose condition holds go out, and the plain one only otherwise?"""
    assert to_send((CORRECTED, DELETED, ANY), data) == sent
    assert to_send((CORRECTED,), {}) == []


DECISION = '<govflow:field name="decision" type="enum" label="结论"><govflow:option value="reject" label="不予受理"/></govflow:field>'


def test_req5_notice_markup_is_read_with_its_condition():
    """Does the parser read a task's notice with its subject, text and condition?"""
    markup = '<govflow:notice subject="关于{tracking_number}" when="decision=reject">您的申请不予受理。</govflow:notice>'
    parsed = parse_definition(task(markup, DECISION))
    assert parsed.notices == {
        "t": (Notice("关于{tracking_number}", "您的申请不予受理。", ("decision", "reject")),)
    }
    assert parsed.option_labels()["decision"] == {"reject": "不予受理"}


@pytest.mark.parametrize(
    ("markup", "code"),
    [
        ('<govflow:notice subject="">正文</govflow:notice>', "notice_incomplete"),
        ('<govflow:notice subject="主题"></govflow:notice>', "notice_incomplete"),
        ('<govflow:notice subject="主题" when="decision=maybe">正文</govflow:notice>', "unknown_option"),
        ('<govflow:notice subject="主题" to="x">正文</govflow:notice>', "unknown_attribute"),
        (
            '<govflow:form><govflow:notice subject="主题">正文</govflow:notice></govflow:form>',
            "markup_misplaced",
        ),
    ],
)
def test_req5_malformed_notices_are_refused(markup, code):
    """Is a notice without subject or text, with a wrong condition, a stray attribute or in the wrong place refused?"""
    with pytest.raises(DiagramError) as err:
        parse_definition(task(markup, DECISION))
    assert [(p.element_id, p.code) for p in err.value.problems] == [("t", code)]


def test_err2_a_notice_may_depend_on_a_field_of_an_earlier_form():
    """Is when= on a field another task's form fills (the case data) accepted, with its options checked?"""
    start = '<govflow:field name="kind" type="enum" label="类别"><govflow:option value="a" label="甲"/></govflow:field>'
    markup = '<govflow:notice subject="主题" when="kind=a">正文</govflow:notice>'
    with_start_form = task(markup, DECISION).replace(
        b'<bpmn:startEvent id="start">',
        f'<bpmn:startEvent id="start"><bpmn:extensionElements><govflow:form>{start}</govflow:form>'
        "</bpmn:extensionElements>".encode(),
    )
    assert parse_definition(with_start_form).notices["t"][0].when == ("kind", "a")
    with pytest.raises(DiagramError) as err:
        parse_definition(with_start_form.replace(b'when="kind=a"', b'when="kind=b"'))
    assert err.value.problems[0].code == "unknown_option"
