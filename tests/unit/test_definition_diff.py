"""The difference between two versions of a diagram (workflows/engine/diff.py), on the shipped diagrams."""

from __future__ import annotations

from pathlib import Path

from workflows.engine.diff import diagram_diff

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
SURVEY = (BPMN_DIR / "survey.bpmn").read_bytes()


def _changes(diff, element_id):
    (changed,) = [c for c in diff.changed if c.element_id == element_id]
    return {c.property: (c.before, c.after) for c in changed.changes}


def test_the_same_diagram_has_no_difference():
    """Is a diagram compared with itself (or only moved shapes) no difference at all?"""
    for path in BPMN_DIR.glob("*.bpmn"):
        xml = path.read_bytes()
        assert not diagram_diff(xml, xml)
    moved = SURVEY.replace(b'x="772"', b'x="700"')
    assert not diagram_diff(SURVEY, moved)


def test_a_form_field_label_and_a_deadline_change():
    """Does a changed field label and a changed deadline show as before and after on their element?"""
    edited = SURVEY.replace('label="标题"'.encode(), 'label="题目"'.encode(), 1).replace(
        b'name="publishing.centre_edit"', b'name="publishing.other"'
    )
    diff = diagram_diff(SURVEY, edited)
    assert _changes(diff, "StartEvent_drafted") == {"field:survey_title.label": ("标题", "题目")}
    assert _changes(diff, "publish_survey") == {
        "deadline": ('name="publishing.centre_edit"', 'name="publishing.other"')
    }
    assert not diff.added and not diff.removed


def test_a_required_field_and_a_new_option():
    """Does making a field optional and adding an option show on the field's properties?"""
    edited = SURVEY.replace(
        b'<govflow:option value="vote" label="',
        b'<govflow:option value="poll" label="\xe6\xb0\x91\xe8\xb0\x83"/>'
        b'<govflow:option value="vote" label="',
    ).replace(
        b'name="opens_on" type="date" label="\xe5\xbc\x80\xe5\xa7\x8b\xe6\x97\xa5\xe6\x9c\x9f" required="true"',
        b'name="opens_on" type="date" label="\xe5\xbc\x80\xe5\xa7\x8b\xe6\x97\xa5\xe6\x9c\x9f" required="false"',
        1,
    )
    changes = _changes(diagram_diff(SURVEY, edited), "StartEvent_drafted")
    assert changes["field:opens_on.required"] == ("true", "false")
    before, after = changes["field:survey_kind.options"]
    assert "poll" not in before and 'value="poll"' in after


def test_a_renamed_flow_and_a_rerouted_one():
    """Is a flow under a new id listed as added and the old one as removed, and a flow sent elsewhere as
    changed (its target)?"""
    diff = diagram_diff(SURVEY, SURVEY.replace(b'id="Flow_returned"', b'id="Flow_back"'))
    assert [e.element_id for e in diff.added] == ["Flow_back"]
    assert [(e.element_id, e.type) for e in diff.removed] == [("Flow_returned", "sequenceFlow")]
    rerouted = SURVEY.replace(
        b'sourceRef="Gateway_approval" targetRef="revise_survey"',
        b'sourceRef="Gateway_approval" targetRef="publish_survey"',
    )
    assert _changes(diagram_diff(SURVEY, rerouted), "Flow_returned") == {
        "target": ("revise_survey", "publish_survey")
    }
