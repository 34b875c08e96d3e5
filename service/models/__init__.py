"""SQLAlchemy models; importing this package registers every table with the metadata."""

from .deadlines import CalendarDay, CalendarYear, Deadline, Notification, OutgoingMessage
from .org import ApiToken, Department, Membership, Oversight, User
from .process import CaseEvent, HumanTask, ProcessDefinition, ProcessInstance
from .screening import ScreeningTerm

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "Deadline",
    "Notification",
    "OutgoingMessage",
    "ApiToken",
    "CaseEvent",
    "Department",
    "HumanTask",
    "Membership",
    "Oversight",
    "ProcessDefinition",
    "ProcessInstance",
    "ScreeningTerm",
    "User",
]
