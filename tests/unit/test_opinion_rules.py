"""The pure rules behind 审批意见 and 会签 (issue 11): which answers of a step are its opinion, and
which tasks of a case signed one parallel approval together. No app, no database."""

from __future__ import annotations

import pytest

from tests.unit.cases import load
from workflows.countersign import Happening, Round, round_of, rounds
from workflows.forms import Form, FormField, Option
from workflows.opinions import MAX_VERDICT, is_opinion, step_opinion

OPENED, CLOSED = Happening.OPENED, Happening.CLOSED


@pytest.fixture(scope="module")
def publishing():
    return load("publishing")


def test_pub6_a_section_heads_two_decisions_read_as_one_verdict_and_her_notes_stand_under_their_labels(
    publishing,
):
    """保密审查及复审 with 不涉密 and 同意 and two notes: is the verdict both labels, and the words each note under its label?"""
    answer = {
        "secrecy_decision": "public_ok",
        "review_decision": "approve",
        "importance": "general",
        "checklist": "confirmed",
        "screening_note": "“领导”一词已核实",
        "review_comment": "同意发布\n请注意栏目",
    }
    found = step_opinion(publishing.form_for("review_section"), answer, approval_step=True)
    assert found is not None
    assert found.verdict == "不涉密，可以公开；同意"
    assert found.text == "对错敏检测提示的处理意见：“领导”一词已核实\n退回意见：同意发布\n请注意栏目"


def test_pub12_a_confirmation_without_a_comment_is_a_verdict_alone(publishing):
    """联合发布处室确认 answered 确认 with no 意见说明: is the opinion the verdict with empty words?"""
    found = step_opinion(publishing.form_for("co_confirm"), {"co_decision": "confirm"}, approval_step=False)
    assert found is not None and (found.verdict, found.text) == ("确认稿件内容", "")


def test_pro2_a_co_handlers_opinion_is_words_without_a_verdict():
    """提出协办意见 (co_opinion_text): is the co-handler's text an opinion though its name does not end in _opinion?"""
    found = step_opinion(load("proposal").form_for("give_co_opinion"), {"co_opinion_text": "同意"}, False)
    assert found is not None and (found.verdict, found.text) == (None, "同意")


def test_a_step_whose_answer_says_nothing_to_anyone_gives_no_opinion(publishing):
    """排版 with a preview link only, and a draft's body: is neither an opinion?"""
    layout = step_opinion(publishing.form_for("layout"), {"layout_url": "https://example.gov.cn/p/1"}, False)
    body = FormField("body", "text", "正文")
    assert layout is None and not is_opinion(body, approval_step=False)
    assert is_opinion(body, approval_step=True)  # the words of a step that approves another are


def test_blank_words_are_no_opinion_and_a_long_verdict_is_cut_to_its_column():
    """Whitespace only, and a 300-character label: is the first nothing and the second cut with …?"""
    form = Form(
        (
            FormField("x_decision", "enum", "结论", options=(Option("a", "甲" * 300),)),
            FormField("x_comment", "text", "说明"),
        )
    )
    assert step_opinion(form, {"x_comment": "  \n "}, False) is None
    found = step_opinion(form, {"x_decision": "a"}, False)
    assert found is not None and found.verdict is not None
    assert len(found.verdict) == MAX_VERDICT and found.verdict.endswith("…")


def test_the_parser_names_the_parallel_approvals_of_the_diagrams(publishing):
    """Are 联合发布处室确认, 提出协办意见 and 分办答复 parallel steps, and no step of 依申请公开?"""
    assert publishing.parallel_tasks == {"co_confirm"}
    assert load("proposal").parallel_tasks == {"give_co_opinion", "reply_separately"}
    assert load("disclosure_request").parallel_tasks == frozenset()


SPECS = {1: "draft", 2: "co", 3: "co", 4: "review", 5: "revise", 6: "co", 7: "co", 8: "other"}


def test_pub12_tasks_opened_together_sign_one_round_and_a_return_starts_the_next():
    """Two co departments, one returns, the item is revised and both sign again: two rounds of two?"""
    history = [
        (OPENED, 1),
        (CLOSED, 1),
        (OPENED, 2),
        (OPENED, 3),
        (CLOSED, 2),
        (CLOSED, 3),  # the last signature: the step moves on in the same transaction
        (OPENED, 5),
        (CLOSED, 5),
        (OPENED, 6),
        (OPENED, 7),
        (CLOSED, 7),
    ]
    found = rounds(history, SPECS, {"co"})
    assert [(r.spec, r.task_ids) for r in found] == [("co", [2, 3]), ("co", [6, 7])]
    assert round_of(7, found) == (2, Round("co", [6, 7]))
    assert round_of(4, found) is None


def test_a_round_closed_by_cancelling_is_over_too_and_steps_of_other_kinds_do_not_count():
    """A round cancelled (the case rewound) and opened again, a non-parallel task open meanwhile: two rounds?"""
    history = [(OPENED, 2), (OPENED, 8), (CLOSED, 2), (OPENED, 3), (OPENED, 4), (CLOSED, 3), (OPENED, 6)]
    found = rounds(history, SPECS, {"co"})
    assert [r.task_ids for r in found] == [[2], [3], [6]]


def test_one_history_line_twice_does_not_list_a_signer_twice():
    """A task reported opened twice: is it one signer?"""
    assert [r.task_ids for r in rounds([(OPENED, 2), (OPENED, 2), (OPENED, 3)], SPECS, {"co"})] == [[2, 3]]
