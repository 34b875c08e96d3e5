"""SQLAlchemy models; importing this package registers every table with the metadata."""

from .attachments import Attachment
from .audit import AuditChainHead, AuditEntry
from .columns import SiteColumn
from .copies import CaseCopy
from .deadlines import CalendarDay, CalendarYear, Deadline, Notification, OutgoingMessage
from .opinions import Opinion, OpinionKind
from .org import (
    ApiToken,
    Department,
    LoginFailure,
    Membership,
    Oversight,
    PasswordHistory,
    User,
)
from .process import CaseEvent, HumanTask, ProcessDefinition, ProcessInstance
from .public import PublicAccess, PublishedReply
from .reports import DisclosureReportEntry
from .scheduled import ScheduledCase
from .screening import ScreeningTerm
from .types import LARGEST_INTEGER

__all__ = [
    "SiteColumn",
    "ScheduledCase",
    "PublicAccess",
    "PublishedReply",
    "AuditChainHead",
    "AuditEntry",
    "LoginFailure",
    "PasswordHistory",
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "Deadline",
    "DisclosureReportEntry",
    "Notification",
    "OutgoingMessage",
    "ApiToken",
    "CaseCopy",
    "CaseEvent",
    "Department",
    "HumanTask",
    "Membership",
    "Opinion",
    "OpinionKind",
    "Oversight",
    "ProcessDefinition",
    "ProcessInstance",
    "LARGEST_INTEGER",
    "ScreeningTerm",
    "User",
]
