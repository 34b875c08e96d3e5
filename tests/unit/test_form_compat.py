"""When an open task's form in a new version fits the task as it stands (workflows/form_compat.py, issue 12)."""

from __future__ import annotations

import pytest

from tests.unit.test_engine import TIMER
from tests.unit.test_migration import edited
from workflows.clock import FixedClock
from workflows.engine.migration import MigrationRefused, migrate
from workflows.engine.parser import parse_definition
from workflows.engine.runner import ProcessRunner
from workflows.form_compat import form_changes
from workflows.forms import Form, FormField

NOTE = FormField("note", "text", "办理意见")
PAGES = FormField("pages", "integer", "页数", required=True)
OLD = Form((NOTE, PAGES))


def codes(old: Form, new: Form, answers=None) -> list[tuple[str, str]]:
    return [(c.field, c.code) for c in form_changes(old, new, answers or {})]


def test_the_same_form_and_optional_additions_are_compatible():
    """Is a form with the same fields, one dropped, or an optional one added compatible?"""
    assert codes(OLD, OLD) == []
    assert codes(OLD, Form((PAGES,))) == []
    assert codes(OLD, Form((NOTE, PAGES, FormField("memo", "string", "备注")))) == []


def test_a_field_already_required_is_not_a_problem_though_unanswered():
    """The old form required 页数 too: is it compatible though the task has not answered it yet?"""
    assert codes(OLD, Form((NOTE, PAGES))) == []
    assert codes(Form((FormField("pages", "integer", "页数"),)), Form((PAGES,))) == [
        ("pages", "newly_required")
    ]


def test_a_newly_required_field_the_answers_lack_is_a_problem_naming_it():
    """A required 复核意见 added: is it a problem named in Chinese, unless the case already answered it?"""
    added = Form((NOTE, PAGES, FormField("review", "text", "复核意见", required=True)))
    (change,) = form_changes(OLD, added, {"note": "x"})
    assert (change.field, change.code) == ("review", "newly_required")
    assert "复核意见" in change.message and "必填" in change.message
    assert codes(OLD, added, {"review": "已复核"}) == []
    assert codes(OLD, added, {"review": "   "}) == [("review", "newly_required")]


def test_required_if_counts_only_when_its_condition_holds():
    """A field required when 类别=withheld: is it a problem only for a case whose answers say withheld?"""
    reason = FormField("reason", "string", "理由", required_if=("category", "withheld"))
    new = Form((NOTE, PAGES, reason))
    assert codes(OLD, new, {"category": "granted"}) == []
    assert codes(OLD, new, {"category": "withheld"}) == [("reason", "newly_required")]


def test_a_field_whose_type_changed_is_a_problem_even_when_optional():
    """页数 turned from integer to text: is that a problem saying both types in Chinese?"""
    new = Form((NOTE, FormField("pages", "string", "页数")))
    (change,) = form_changes(OLD, new, {"pages": 3})
    assert change.code == "type_changed"
    assert "整数" in change.message and "单行文字" in change.message


FORM = '<bpmn:extensionElements><govflow:form><govflow:field name="note" type="text" label="办理意见"/>{}</govflow:form></bpmn:extensionElements>'
REVIEW = '<govflow:field name="review" type="text" label="复核意见" required="true"/>'


def with_form(extra: str = "") -> bytes:
    opening = '<bpmn:userTask id="wait" name="等待办理">'
    return edited(TIMER, (opening, opening + FORM.format(extra)))


def test_a_move_whose_open_task_gains_a_required_field_is_refused_changing_nothing():
    """Is a case at 等待办理 refused a version whose 等待办理 requires a new 复核意见, naming the field, the case as it was?"""
    runner, clock = ProcessRunner(), FixedClock("2026-05-06T02:00:00")
    old = parse_definition(with_form())
    state = runner.dumps(runner.start(old, {"x": 1}, clock))
    workflow = runner.loads(state, old, clock)
    with pytest.raises(MigrationRefused) as err:
        migrate(workflow, old, parse_definition(with_form(REVIEW)))
    (step,) = err.value.lost
    assert (step.element, step.open, step.reason) == ("wait", True, "form")
    assert [c.field for c in step.fields] == ["review"]
    assert runner.dumps(workflow) == state
    # The case that already holds a 复核意见 moves.
    answered = runner.loads(runner.dumps(runner.start(old, {"review": "已复核"}, clock)), old, clock)
    migrate(answered, old, parse_definition(with_form(REVIEW)))
