"""The pages of the annual disclosure report (STAT-3, NAT-3, NAT-4): /stats/disclosure-report, its
entry form, the link from /stats, and who may open them. The year of requests and its hand counts are
test_disclosure_report's."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.service.pages import logged_in, page_text
from tests.service.test_disclosure_report import (  # noqa: F401  (year_of_requests: a fixture)
    EXPECTED_2026,
    reader,
    year_of_requests,
)


def request_row(html: str, key: str) -> list[str]:
    found = re.search(rf'<tr class="level-\d" data-row="{re.escape(key)}">(.*?)</tr>', html, re.S)
    assert found, key
    return re.findall(r'<td data-column="[a-z_]+">([^<]*)</td>', found.group(1))


def test_nat3_stat3_does_the_office_read_the_request_table_as_counted(app, demo_passwords, year_of_requests):  # noqa: F811
    """Does 张伟 (办公室) read 2026's report with the agency's title, every request-table row as counted
    by hand, no identity warning, and the Excel and entry links (STAT-3, NAT-3)?"""
    html = reader(app, demo_passwords).get("/stats/disclosure-report?year=2026").get_data(as_text=True)
    assert "2026年政府信息公开工作年度报告" in html and 'id="identity-warning"' not in html
    for key, counts in EXPECTED_2026.items():
        assert request_row(html, key) == [str(v) for v in counts.values()], key
    assert "/stats/disclosure-report.xlsx?year=2026" in html and "录入年报数据" in html
    assert 'href="/static/report.css"' in html or "report.css" in html


def test_stat3_is_the_report_linked_from_stats_for_its_readers_only(app):
    """Is the report linked from /stats for the office and refused (403) to a leader in charge, an
    officer and, for entering, to a principal leader (STAT-3)?"""
    assert 'id="annual-report-link"' in logged_in(app, "zhang.wei").text("/stats")
    assert 'id="annual-report-link"' not in logged_in(app, "sun.li").text("/stats")
    for user in ("sun.li", "wang.fang"):
        assert logged_in(app, user).get("/stats/disclosure-report?year=2026").status_code == 403
        assert logged_in(app, user).get("/stats/disclosure-report.xlsx?year=2026").status_code == 403
    leader = logged_in(app, "zhou.qiang")
    assert leader.get("/stats/disclosure-report?year=2026").status_code == 200
    assert leader.get("/stats/disclosure-report/entries?year=2026").status_code == 403
    assert logged_in(app, "zhang.wei").get("/stats/disclosure-report?year=20x6").status_code == 400


def test_stat3_does_a_bad_figure_get_a_chinese_message_beside_it_and_a_good_one_show(app):
    """Does the entry form keep what was typed and say beside a negative figure why it is refused,
    then, corrected, store it and show it (text escaped, totals computed) on the report (STAT-3)?"""
    office = logged_in(app, "zhang.wei")
    form = "/stats/disclosure-report/entries?year=2026"
    data = {"year": "2026", "rules_issued": "-2", "review_upheld": "3", "problems": "<script>x</script>"}
    data.update({f"version_{k}": "0" for k in ("rules_issued", "review_upheld", "problems")})
    refused = office.submit(form, "/stats/disclosure-report/entries", data)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    error = re.search(r'<p class="field-error" id="rules_issued-error">([^<]*)</p>', html)
    assert error and "应为不小于0的整数" in error.group(1)
    assert 'value="-2"' in html and 'value="3"' in html  # what was typed stays
    done = office.submit(form, "/stats/disclosure-report/entries", {**data, "rules_issued": "2"})
    assert done.status_code == 302
    page = office.get("/stats/disclosure-report?year=2026").get_data(as_text=True)
    assert '<td data-key="rules_issued">2</td>' in page and '<td data-key="review_total">3</td>' in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page


def test_stat3_does_a_stale_form_answer_409_and_keep_what_was_typed(app):
    """When someone changed a cell after the form was opened, does saving answer 409 with a Chinese
    message at the top and the typed value kept (STAT-3)?"""
    office, admin = logged_in(app, "zhang.wei"), logged_in(app, "admin")
    form = "/stats/disclosure-report/entries?year=2026"
    first = {"year": "2026", "licensing_decisions": "5", "version_licensing_decisions": "0"}
    assert admin.submit(form, "/stats/disclosure-report/entries", first).status_code == 302
    stale = office.submit(form, "/stats/disclosure-report/entries", {**first, "licensing_decisions": "6"})
    assert stale.status_code == 409
    assert "已被他人修改" in page_text(stale) and 'value="6"' in stale.get_data(as_text=True)


def test_nat3_is_a_broken_identity_shown_as_a_warning(app):
    """Should the request table ever break 新收 + 上年结转 = 办理结果总计 + 结转下年度, does the page say so
    in a visible warning naming the column (NAT-3)?"""
    from flask import render_template

    from service.services.disclosure_report import AnnualReport
    from service.services.disclosure_report_entries import Entries
    from workflows import disclosure_report as rules

    entries = Entries({key: None for key in rules.number_keys()}, {key: "" for key in rules.text_keys()})
    table = rules.RequestTable()
    table.add("new", "person", 2)
    table.add("disclosed", "person", 1)
    table = table.completed()
    report = AnnualReport(
        2026, "测试机关", datetime(2027, 1, 11, tzinfo=UTC), [], table, table.broken_columns(), entries
    )
    report = AnnualReport(**{**report.__dict__, "appeal_totals": rules.appeal_totals({})})
    with app.test_request_context("/stats/disclosure-report"):
        html = render_template(
            "disclosure_report.html",
            report=report,
            rules=rules,
            may_enter=False,
            column_labels=dict(rules.COLUMNS),
        )
    warning = re.search(r'id="identity-warning">([^<]*)</p>', html)
    assert warning and "自然人、总计列" in warning.group(1) and "勾稽关系不成立" in warning.group(1)
