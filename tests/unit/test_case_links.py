"""Links to a case of another diagram (ERR-2, PUB-9): reading and refusing the caseLink markup."""

import pytest

from tests.unit.test_engine_deadlines import task
from workflows.engine.link_markup import CaseLink
from workflows.engine.parser import DiagramError, parse_definition

FIELDS = (
    '<govflow:field name="case_no" type="string" label="受理编号"/>'
    '<govflow:field name="on" type="date" label="日期"/>'
)


def link(attributes: str) -> str:
    return f"<govflow:caseLink {attributes}/>"


def test_err2_a_case_link_is_read_with_what_it_copies():
    """Does the parser read the field, the diagram it must name, and what it copies into which field?"""
    parsed = parse_definition(
        task(link('field="case_no" process="publishing" copy="published_url" into="url"'), FIELDS)
    )
    assert parsed.case_links == {"t": CaseLink("case_no", "publishing", "published_url", "url")}
    assert parse_definition(task("", FIELDS)).case_links == {}


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        (link('field="nowhere" process="publishing"'), "string 字段"),
        (link('field="on" process="publishing"'), "string 字段"),
        (link('field="case_no" process="publishing.bpmn"'), "流程 id"),
        (link('field="case_no" process="publishing" copy="published_url"'), "copy 和 into 须同时写"),
        (
            link('field="case_no" process="publishing" copy="published_url" into="on"'),
            "由系统填写",
        ),
        (link('field="case_no" process="publishing" copy="x.y" into="url"'), "数据字段名"),
        (link('field="case_no" process="publishing" to="url"'), "没有属性 to"),
        (link('field="case_no" process="publishing"') * 2, "至多有一个"),
        (
            '<govflow:form><govflow:caseLink field="case_no" process="publishing"/></govflow:form>',
            "须直接放在",
        ),
    ],
)
def test_err2_a_malformed_case_link_is_refused(markup, message):
    """Is a link naming no string field of the form, a bad diagram id, half a copy or a stray attribute refused?"""
    with pytest.raises(DiagramError, match=message):
        parse_definition(task(markup, FIELDS))
