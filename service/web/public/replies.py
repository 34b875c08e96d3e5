"""Published replies (issue 13, MBX-4): the leader-mailbox letters and answers published to everyone,
newest first, searchable, 20 a page. Only what published_replies copied when the reply was published
with the writer's consent is read here; every text is escaped by the template."""

from __future__ import annotations

from flask import render_template, request

from ...services.published_replies import replies_page
from . import bp
from .guard import configured, limiter


@bp.get("/replies")
@limiter.limit(configured("GOVFLOW_PUBLIC_STATUS_LIMIT"))
def replies():
    words = request.args.get("q", "")[:200]
    page = request.args.get("page", "1")
    found = replies_page(words, int(page) if page.isdigit() and len(page) < 7 else 1)
    return render_template("public/replies.html", found=found)
