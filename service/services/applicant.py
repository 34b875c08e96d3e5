"""Telling the applicant (REQ-3, REQ-5, MBX-4, NAT-5, PET-3): by SMS or e-mail, at the contact the
case was started with, through the outbox in the step's own transaction."""

from __future__ import annotations

from typing import Any

from flask import current_app

from workflows.engine.parser import ParsedDefinition
from workflows.notices import render, to_send

from ..models import HumanTask, ProcessInstance
from ..models.events import EventKind
from .notify import contact_channel, queue_message
from .unit import event

APPLICANT_CONTACT_FIELD = "applicant_contact"


def tell_of_extension(instance: ProcessInstance, data: dict[str, Any], details: dict[str, Any]) -> None:
    """REQ-3, PET-3: the applicant is told of an extension and its reason."""
    subject = f"关于您的事项（{instance.tracking_number}）延长办理期限的告知"
    body = (
        f"您提交的事项（受理编号 {instance.tracking_number}）因{details['reason']}，"
        f"办理期限延长{details['granted']}。特此告知。"
    )
    tell(instance, data, subject, body, f"instance:{instance.id}:extension:{instance.version}")


def send_notices(
    instance: ProcessInstance,
    parsed: ParsedDefinition,
    task: HumanTask,
    values: dict[str, Any],
    data: dict[str, Any],
) -> None:
    """The notices a completed task sends, chosen by and filled from the case data the step left."""
    notices = to_send(parsed.notices.get(task.task_spec, ()), {**data, **values})
    if not notices:
        return
    fields = {**data, "tracking_number": instance.tracking_number}
    labels = parsed.option_labels()
    for index, notice in enumerate(notices):
        subject, body = render(notice.subject, fields, labels), render(notice.body, fields, labels)
        tell(instance, data, subject[:200], body, f"instance:{instance.id}:task:{task.id}:notice:{index}")


def status_link() -> str:
    """The line every applicant notice ends with: where to follow the case (the public status page)."""
    return f"查询办理进度：{status_page()}"


def status_page() -> str:
    """The public status page's address, as a person outside reaches it (GOVFLOW_PUBLIC_URL)."""
    return str(current_app.config["GOVFLOW_PUBLIC_URL"]).rstrip("/") + "/public/track"


def tell(instance: ProcessInstance, data: dict[str, Any], subject: str, body: str, key: str) -> None:
    """Queue a message to the contact the case data gives (none given: nothing), ending with where to
    follow the case, with its history line."""
    contact = str(data.get(APPLICANT_CONTACT_FIELD) or "").strip()
    if not contact:
        return  # the applicant left no contact: they follow the case by its tracking number
    body = f"{body}\n{status_link()}"
    channel = contact_channel(contact)
    queue_message(channel, contact, subject, body, key, instance.id)
    event(instance, None, EventKind.APPLICANT_NOTIFIED, details={"channel": channel, "subject": subject})
