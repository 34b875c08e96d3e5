"""What a line of a case's history can say: one vocabulary, so a page, the API and the use cases
cannot disagree on a kind's spelling. The Chinese words people read are in services/case_view."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    STARTED = "started"
    COMPLETED = "completed"
    TASK_CREATED = "task_created"
    TASK_COMPLETED = "task_completed"
    TASK_CLAIMED = "task_claimed"
    TASK_UNCLAIMED = "task_unclaimed"
    TASK_TRANSFERRED = "task_transferred"
    TASK_CANCELLED = "task_cancelled"
    TASK_RETURNED = "task_returned"
    TASK_WITHDRAWN = "task_withdrawn"
    TASK_DELEGATED = "task_delegated"
    TASK_RESOLVED = "task_resolved"
    DELEGATION_TAKEN_BACK = "delegation_taken_back"
    TASK_HANDED_BACK = "task_handed_back"  # its holder or delegate was deactivated (ORG-2)
    TASK_URGED = "task_urged"
    REMINDED = "reminded"
    ESCALATED = "escalated"
    DEADLINE_STARTED = "deadline_started"
    DEADLINE_STOPPED = "deadline_stopped"
    DEADLINE_RESTARTED = "deadline_restarted"
    DEADLINE_CONTINUED = "deadline_continued"
    DEADLINE_EXTENDED = "deadline_extended"
    DEADLINE_PAUSED = "deadline_paused"  # a step that waits on someone outside stopped the count
    DEADLINE_RESUMED = "deadline_resumed"
    CORRECTED_ONLINE = "corrected_online"  # the applicant sent their 补正 through the status page
    CASE_CANCELLED = "case_cancelled"
    CASE_MIGRATED = "case_migrated"
    CASE_LINKED = "case_linked"
    APPLICANT_NOTIFIED = "applicant_notified"
    PUBLIC_SUBMITTED = "public_submitted"  # came in through a public form (issue 13)
    OPENED_ON_SCHEDULE = "opened_on_schedule"  # the service opened it by itself (issue 14)
    TIMERS_FIRED = "timers_fired"
    CASE_COPIED = "case_copied"
    ATTACHMENT_ADDED = "attachment_added"
    ATTACHMENT_REMOVED = "attachment_removed"
