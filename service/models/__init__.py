"""SQLAlchemy models; importing this package registers every table with the metadata."""

from .org import ApiToken, Department, Membership, Oversight, User
from .process import CaseEvent, HumanTask, ProcessDefinition, ProcessInstance

__all__ = [
    "ApiToken",
    "CaseEvent",
    "Department",
    "HumanTask",
    "Membership",
    "Oversight",
    "ProcessDefinition",
    "ProcessInstance",
    "User",
]
