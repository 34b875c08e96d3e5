"""Options offered only when the case data allows them (onlyIf, MBX-4): markup, validation, what forms show."""

import pytest

from tests.unit.test_engine import diagram
from workflows.engine.parser import DiagramError, parse_definition
from workflows.forms import Form, FormField, Option, check_field_definition, validate

CONSENT = (
    '<govflow:field name="consent" type="enum" label="是否同意公开" required="true">'
    '<govflow:option value="yes" label="同意"/><govflow:option value="no" label="不同意"/></govflow:field>'
)
PUBLIC = 'onlyIf="consent=yes" whyNot="来信人不同意公开"'


def scope_field(public: str = PUBLIC) -> str:
    return (
        '<govflow:field name="scope" type="enum" label="公开范围" required="true">'
        f'<govflow:option value="public" label="公开" {public}/>'
        '<govflow:option value="private" label="仅答复来信人"/></govflow:field>'
    )


def letter(scope: str) -> bytes:
    """A start form asking for consent, then one task choosing the scope."""
    return diagram(
        f"""
        <bpmn:startEvent id="start"><bpmn:extensionElements><govflow:form>{CONSENT}</govflow:form>
          </bpmn:extensionElements><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="t"/>
        <bpmn:userTask id="t" name="审核上网"><bpmn:extensionElements><govflow:form>{scope}</govflow:form>
          </bpmn:extensionElements><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
        <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="end"/>
        <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
        """
    )


SCOPE = FormField(
    "scope",
    "enum",
    "公开范围",
    required=True,
    options=(
        Option("public", "公开", ("consent", "yes"), "来信人不同意公开"),
        Option("private", "仅答复来信人"),
    ),
)


def test_mbx4_the_parser_reads_an_option_offered_only_for_a_case_value():
    """Does onlyIf on an option come out as its condition and reason, and make the form need the case data?"""
    form = parse_definition(letter(scope_field())).form_for("t")
    assert form.fields == (SCOPE,)
    assert form.needs_case_data()


@pytest.mark.parametrize(
    ("case", "refused"), [({"consent": "yes"}, False), ({"consent": "no"}, True), ({}, True)]
)
def test_mbx4_an_option_is_refused_unless_the_case_data_allows_it(case, refused):
    """Is 公开 accepted with consent, and refused by name and reason without it or when the case never said?"""
    found = [
        (e.field, e.code, e.message) for e in validate(Form((SCOPE,)), {"scope": "public"}, [], case).errors
    ]
    assert found == (
        [("scope", "option_not_available", "“公开范围”不能选择“公开”：来信人不同意公开")] if refused else []
    )
    assert validate(Form((SCOPE,)), {"scope": "private"}, [], case).errors == []


def test_mbx4_a_condition_on_the_same_form_reads_the_submitted_data():
    """Where the form itself holds the field, is the submitted answer what decides?"""
    consent = FormField(
        "consent", "enum", "是否同意", options=(Option("yes", "同意"), Option("no", "不同意"))
    )
    form = Form((consent, SCOPE))
    assert not form.needs_case_data()
    assert validate(form, {"consent": "yes", "scope": "public"}, [], {"consent": "no"}).errors == []
    assert validate(form, {"consent": "no", "scope": "public"}, [], {"consent": "yes"}).errors


def test_mbx4_a_form_offers_only_the_options_the_case_allows():
    """Does the form shown for a case leave out 公开 without consent, and describe the condition where it stays?"""
    shown = Form((SCOPE,)).offered({"consent": "no"}).to_list()
    assert [o["value"] for o in shown[0]["options"]] == ["private"]
    (public, _) = Form((SCOPE,)).offered({"consent": "yes"}).to_list()[0]["options"]
    assert public == {
        "value": "public",
        "label": "公开",
        "only_if": {"field": "consent", "value": "yes"},
        "why_not": "来信人不同意公开",
    }


def test_mbx4_an_option_condition_needs_its_reason():
    """Is onlyIf without whyNot (or whyNot alone) reported, since the refusal must say why?"""
    bare = FormField("scope", "enum", "公开范围", options=(Option("public", "公开", ("consent", "yes")),))
    assert [p.code for p in check_field_definition(bare)] == ["option_condition_incomplete"]
    alone = FormField("scope", "enum", "公开范围", options=(Option("public", "公开", None, "不同意"),))
    assert [p.code for p in check_field_definition(alone)] == ["option_condition_incomplete"]


@pytest.mark.parametrize(
    ("public", "message"),
    [
        ('onlyIf="consent" whyNot="理由"', "字段=取值"),
        ('onlyIf="consnet=yes" whyNot="理由"', "字段=取值"),
        ('onlyIf="consent=maybe" whyNot="理由"', "不是字段"),
        ('onlyIf="consent=yes"', "whyNot"),
    ],
)
def test_mbx4_a_malformed_option_condition_is_refused(public, message):
    """Is onlyIf naming no field of the diagram, or a value its field does not offer, refused at parsing?"""
    with pytest.raises(DiagramError, match=message):
        parse_definition(letter(scope_field(public)))
