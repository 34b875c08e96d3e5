"""The pure rules of the annual disclosure report (workflows/disclosure_report.py, NAT-3, NAT-4,
STAT-3): which row and column a request counts in, which of the year's counts, and the identity."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.cases import load
from workflows import disclosure_report as rules


@pytest.fixture(scope="module")
def definition():
    return load("disclosure_request")


def test_nat3_does_every_reason_the_form_offers_have_its_row_in_the_template_order(definition):
    """Does each sub-reason the drafting form offers (不予公开 1-8, 无法提供 1-3, 不予处理 1-5, 其他处理 1-3)
    have exactly one row, required when its category is chosen (NAT-3)?"""
    fields = {f.name: f for f in definition.form_for("draft_reply").fields}
    for category, (_, reason_field, reasons) in rules.GROUPS.items():
        assert [o.value for o in fields[reason_field].options] == [key for key, _ in reasons]
        assert fields[reason_field].required_if == ("category", category)
    assert [len(reasons) for _, _, reasons in rules.GROUPS.values()] == [8, 3, 5, 3]
    keys = [row.key for row in rules.request_rows() if row.counted]
    assert len(keys) == len(set(keys)) == 2 + 2 + 19 + 2


def test_nat3_does_the_start_form_ask_an_organisation_its_kind(definition):
    """Is an organisation asked which of the template's five kinds it is (NAT-3)?"""
    (kind,) = [f for f in definition.start_form.fields if f.name == "organisation_kind"]
    assert [o.value for o in kind.options] == [key for key, _ in rules.ORGANISATION_KINDS]
    assert kind.required_if == ("applicant_type", "organisation")


@pytest.mark.parametrize(
    ("data", "status", "ending", "expected"),
    [
        ({"category": "already_public"}, "completed", None, ("disclosed", True)),
        ({"category": "partly_disclosed"}, "completed", None, ("partly_disclosed", True)),
        (
            {"category": "withheld", "withheld_reason": "law_enforcement_file"},
            "completed",
            None,
            ("withheld.law_enforcement_file", True),
        ),
        (
            {"category": "other", "other_reason": "not_corrected"},
            "completed",
            "abandoned",
            ("other.not_corrected", True),
        ),
        ({}, "completed", "abandoned", ("other.not_corrected", True)),
        ({}, "completed", "returned", ("not_processed.petition_complaint", True)),
        ({"category": "disclosed"}, "cancelled", None, ("other.other", True)),
        ({"category": "withheld"}, "completed", None, ("other.other", False)),
        ({"category": "made_up"}, "completed", None, ("other.other", False)),
    ],
)
def test_nat3_which_result_row_does_a_finished_request_count_in(data, status, ending, expected):
    """Does a finished request count in the row its reply, its end or its cancellation names, and one
    whose reply names no known reason under 其他处理·其他, flagged as such (NAT-3)?"""
    assert rules.result_of(data, status, ending) == expected


def test_nat3_which_column_does_an_applicant_count_in():
    """Is a citizen 自然人, an organisation its kind, and an organisation of no known kind 其他?"""
    assert rules.column_of({"applicant_type": "person", "organisation_kind": "business"}) == "person"
    assert rules.column_of({"applicant_type": "organisation", "organisation_kind": "research"}) == "research"
    assert rules.column_of({"applicant_type": "organisation"}) == "other"


@pytest.mark.parametrize(
    ("received", "finished", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 20), ("new", "handled")),
        (date(2026, 12, 31), None, ("new", "carried_forward")),
        (date(2026, 12, 28), date(2027, 1, 5), ("new", "carried_forward")),
        (date(2025, 12, 10), date(2026, 1, 1), ("carried_over", "handled")),
        (date(2025, 12, 10), None, ("carried_over", "carried_forward")),
        (date(2025, 12, 10), date(2025, 12, 31), ()),
        (date(2027, 1, 1), None, ()),
    ],
)
def test_stat3_which_of_the_years_counts_is_a_request_in(received, finished, expected):
    """Is a request new in the year it was received, carried over into the next while unfinished, and
    handled in the year it was finished (STAT-3)?"""
    assert rules.phases(rules.when(received, 2026), rules.when(finished, 2026)) == expected


def test_nat3_does_the_identity_find_the_column_it_breaks_in():
    """Does a table whose 新收 + 上年结转 is not 办理结果总计 + 结转下年度 name the column (and the 总计)?"""
    table = rules.RequestTable()
    table.add("new", "research", 2)
    table.add("withheld.state_secret", "research", 1)
    table.add("carried_forward", "research", 1)
    assert table.completed().broken_columns() == []
    table.add("new", "business")
    done = table.completed()
    assert done.broken_columns() == ["business", "total"]
    assert done.get("handled", "research") == 1 and done.get("new", "total") == 3


def test_nat4_are_totals_computed_and_fees_shown_in_ten_thousands():
    """Are the appeal totals the sum of what was entered (blank as 0), and 元 shown as 万元 (NAT-4)?"""
    totals = rules.appeal_totals({"review_upheld": 2, "review_pending": 1, "direct_other": None})
    assert totals == {"review": 3, "direct": 0, "after_review": 0}
    assert rules.ten_thousands(12345) == "1.2345" and rules.ten_thousands(None) == ""
