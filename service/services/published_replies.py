"""The leader-mailbox replies published to everyone (MBX-4): copied when the step that publishes
completes, and listed for the public.

A letter reaches the list only when 审核上网并答复来信人 chose 在网站公开 and its writer consented;
the diagram already refuses 在网站公开 without consent, and this checks both again, so a letter whose
writer refused never appears even if a diagram version forgot the rule. The copy is written in the
step's own transaction (cases.completion_step), so a published reply is there exactly when the step is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import HumanTask, ProcessInstance, PublishedReply
from .clocks import date_value, today
from .completion_hooks import on_completion
from .engine import now

PER_PAGE = 20
SEARCH_LENGTH = 50


@dataclass(frozen=True)
class Publishing:
    """Where the mailbox diagram says what is published: the step, its scope answer, the writer's
    consent in the case data, and the fields the public reads."""

    process: str = "mailbox"
    task: str = "publish_reply"
    scope_field: str = "publish_scope"
    scope: str = "public"
    consent_field: str = "publish_consent"
    consent: str = "yes"
    title_field: str = "letter_title"
    letter_field: str = "letter_content"
    reply_field: str = "reply_content"
    date_field: str = "published_on"


MAILBOX = Publishing()


@on_completion(MAILBOX.process, MAILBOX.task)
def record(
    instance: ProcessInstance, task: HumanTask, values: dict[str, Any], case_data: dict[str, Any]
) -> None:
    """Copy the letter and its reply for the public list if this completion publishes them."""
    rule = MAILBOX
    if instance.definition.key != rule.process or task.task_spec != rule.task:
        return
    data = {**case_data, **values}
    if data.get(rule.scope_field) != rule.scope or data.get(rule.consent_field) != rule.consent:
        return
    reply = str(data.get(rule.reply_field) or "").strip()
    if not reply:
        return
    department = instance.owning_department.name if instance.owning_department else ""
    db.session.add(
        PublishedReply(
            instance_id=instance.id,
            title=str(data.get(rule.title_field) or "")[:200],
            letter=str(data.get(rule.letter_field) or ""),
            reply=reply,
            department=department,
            published_on=date_value(data.get(rule.date_field)) or today(),
            created_at=now(),
        )
    )


@dataclass(frozen=True)
class RepliesPage:
    rows: list[PublishedReply]
    page: int
    pages: int
    total: int
    words: str

    def links(self) -> list[int]:
        """The page numbers to link: the first, the last, and four either side of this one."""
        near = range(max(1, self.page - 4), min(self.pages, self.page + 4) + 1)
        return sorted({1, self.pages, *near})


def replies_page(words: str, page: int) -> RepliesPage:
    """Published replies, newest first, 20 a page; `words` (all of them) in title, letter or reply."""
    terms = (words or "").split()[:5]
    query = select(PublishedReply)
    for term in terms:
        pattern = "%" + _escaped(term[:SEARCH_LENGTH]) + "%"
        query = query.where(
            or_(
                PublishedReply.title.like(pattern, escape="\\"),
                PublishedReply.letter.like(pattern, escape="\\"),
                PublishedReply.reply.like(pattern, escape="\\"),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    ordered = query.order_by(PublishedReply.published_on.desc(), PublishedReply.id.desc())
    rows = list(db.session.scalars(ordered.limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    return RepliesPage(rows, page, pages, total, " ".join(terms))


def _escaped(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
