"""Timer event definitions that read the workflow's injected clock instead of the system time.

SpiffWorkflow's timers call ``datetime.now()`` directly, which would make deadlines untestable
and let the sweep disagree with the rest of the service about what time it is.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

from .problems import StepRefused

SERVICE_TZ = ZoneInfo("Asia/Shanghai")


def workflow_now(my_task) -> datetime:
    """The current time according to the clock attached to the task's workflow."""
    return my_task.workflow.top_workflow.clock.now()


def to_moment(value: str | datetime) -> datetime:
    """Read an ISO date-time; a naive one is taken as Beijing time."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SERVICE_TZ)
    return moment


def _timer_value(method):
    """A value the timer cannot read (not a moment, a duration or a cycle) stops the step at the timer."""

    @functools.wraps(method)
    def checked(self, my_task) -> bool:
        try:
            return method(self, my_task)
        except (ValueError, TypeError, OverflowError, AttributeError) as err:
            message = f"定时器表达式“{self.expression}”的值不是有效的时间（{err}）"
            raise StepRefused("invalid_timer", message, my_task) from err

    return checked


class ClockTimeDateEvent(TimeDateEventDefinition):
    """A timer that fires at a date-time computed by the diagram's expression."""

    @_timer_value
    def has_fired(self, my_task) -> bool:
        value = my_task._get_internal_data("event_value")
        if value is None:
            value = _iso(my_task.workflow.script_engine.evaluate(my_task, self.expression))
            my_task._set_internal_data(event_value=value)
        return _fired_by(my_task, value)


class ClockDurationEvent(DurationTimerEventDefinition):
    """A timer that fires an ISO 8601 duration after it started waiting."""

    @_timer_value
    def has_fired(self, my_task) -> bool:
        value = my_task._get_internal_data("event_value")
        if value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            start = workflow_now(my_task)
            parsed = TimerEventDefinition.parse_iso_duration(expression)
            value = (start + TimerEventDefinition.get_timedelta_from_start(parsed, start)).isoformat()
            my_task._set_internal_data(event_value=value)
        return _fired_by(my_task, value)


class ClockCycleEvent(CycleTimerEventDefinition):
    """A repeating timer (R<n>/<start>/<duration>) driven by the workflow's clock."""

    @_timer_value
    def cycle_complete(self, my_task) -> bool:
        now = workflow_now(my_task)
        value = my_task._get_internal_data("event_value")
        if value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            cycles, start, duration = _recurring(expression, now)
            value = {"cycles": cycles, "next": start.isoformat(), "duration": duration}
        ready = False
        if value["cycles"] != 0:
            upcoming = to_moment(value["next"])
            if upcoming <= now:
                value["next"] = (upcoming + timedelta(seconds=value["duration"])).isoformat()
                value["cycles"] -= 1
                ready = True
        else:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
            return False
        my_task._set_internal_data(event_value=value)
        return ready


def _fired_by(my_task, value: str) -> bool:
    # Once fired, a timer stays fired even if the clock were set back.
    if to_moment(value) <= workflow_now(my_task):
        my_task._set_internal_data(event_fired=True)
    return my_task._get_internal_data("event_fired", False)


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _recurring(expression: str, now: datetime) -> tuple[int, datetime, float]:
    parts = expression.upper().replace("--", "/").strip("R").split("/")
    cycles = int(parts[0]) if parts[0] else -1
    if len(parts) == 2 and parts[1].startswith("P"):
        parsed = TimerEventDefinition.parse_iso_duration(parts[1])
        delta = TimerEventDefinition.get_timedelta_from_start(parsed, now)
        return cycles, now + delta, delta.total_seconds()
    cycles, start, delta = TimerEventDefinition.parse_iso_recurring_interval(expression)
    return cycles, start, delta.total_seconds()


TIMER_CLASSES = {
    TimeDateEventDefinition: ClockTimeDateEvent,
    DurationTimerEventDefinition: ClockDurationEvent,
    CycleTimerEventDefinition: ClockCycleEvent,
}


def with_clock(definition):
    """Swap one of SpiffWorkflow's timer definitions for its clock-reading twin."""
    cls = TIMER_CLASSES.get(type(definition))
    if cls is None:
        return definition
    swapped = cls.__new__(cls)
    swapped.__dict__.update(definition.__dict__)
    return swapped
