"""案件: the case page with its diagram, deadlines and history, and the case search (issue 11).

Whoever may see a case through GET /api/v1/process-instances/{id} may open its page; anyone else
gets the not-found page (404), so a page never says that a case they may not see exists.
"""

from __future__ import annotations

from flask import jsonify, render_template, request
from flask_login import current_user, login_required

from ..errors import ServiceError
from ..services import case_view, copies, countersign, opinions, queries
from ..services.inbox import CONTENT_FIELDS
from . import attachment_pages, bp, copy_pages, page_arg

PER_PAGE = 20
HIDDEN = (403, 404)


def _visible_case(instance_id: int):
    """The case and what the page shows of it, or None when this person may not see it."""
    try:
        return queries.instance_for_viewer(current_user, instance_id)
    except ServiceError as err:
        if err.status in HIDDEN:
            return None
        raise


@bp.get("/cases/<id:instance_id>")
@login_required
def case(instance_id: int):
    found = _visible_case(instance_id)
    if found is None:
        return render_template("not_found.html", what="案件"), 404
    instance, tasks, events = found
    copies.mark_read(current_user, instance.id)  # 抄送: opening the case reads one's copies of it
    data = instance.data or {}
    clocks = queries.clocks_of(instance.id)
    said = opinions.opinions_of_case(instance.id)
    return render_template(
        "case.html",
        case=instance,
        title=_first(data, queries.TITLE_FIELDS) or _first(data, CONTENT_FIELDS),
        applicant=_first(data, queries.APPLICANT_FIELDS),
        started=case_view.moment(instance.started_at),
        completed=case_view.moment(instance.completed_at),
        clocks=case_view.clock_lines(clocks, tasks),
        history=case_view.history_lines(events, {c.name: c.label for c in clocks}),
        open_tasks=[t for t in tasks if t.status == "open"],
        openable={t.id for t in tasks if t.status == "open" and queries.may_open_task(current_user, t)},
        status=case_view.CASE_STATUS.get(instance.status, instance.status),
        attachments=attachment_pages.case_rows(instance.id),
        opinion_lines=[opinions.opinion_line(o) for o in said],
        countersigns=countersign.countersigns(instance, tasks, said, events),
        **copy_pages.case_context(instance.id),
    )


@bp.get("/cases/<id:instance_id>/diagram")
@login_required
def case_diagram(instance_id: int):
    """The diagram's XML and the steps to mark, for static/case.js."""
    found = _visible_case(instance_id)
    if found is None:
        return jsonify({"title": "案件不存在", "status": 404}), 404
    instance, tasks, _ = found
    return jsonify(case_view.diagram_marks(instance, tasks))


@bp.get("/cases")
@login_required
def case_search():
    q = request.args.get("q") or ""
    page = case_view.search_cases(current_user, q, page_arg(), PER_PAGE)
    rows = []
    for instance in page.items:
        data = instance.data or {}
        rows.append(
            {
                "case": instance,
                "title": _first(data, queries.TITLE_FIELDS) or _first(data, CONTENT_FIELDS),
                "applicant": _first(data, queries.APPLICANT_FIELDS),
                "status": case_view.CASE_STATUS.get(instance.status, instance.status),
                "started": case_view.moment(instance.started_at),
            }
        )
    return render_template("cases.html", q=q, page=page, rows=rows, pages=max(1, -(-page.total // PER_PAGE)))


def _first(data: dict, names: tuple[str, ...]) -> str:
    value = next((str(data[name]) for name in names if data.get(name)), "")
    return value if len(value) <= 60 else value[:59] + "…"
