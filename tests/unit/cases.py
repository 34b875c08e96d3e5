"""One driver for the diagram scenario tests on the bare engine.

Every step saves the workflow to JSON and restores it before going on, as the service does
(SpiffWorkflow's save_restore habit); a task is completed on a copy of the diagram parsed anew,
as another server process would hold it, so no step depends on the process that made the task. Timers fire the way the sweep fires them: the clock is set,
the workflow restored and advanced. Who gets a task is decided the way the service decides it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from workflows.assignment import DRAFTING_DEPARTMENT, OrgView, Role, assign
from workflows.calendar import WorkCalendar
from workflows.clock import FixedClock
from workflows.engine.calendar_functions import calendar_functions
from workflows.engine.parser import ParsedDefinition, parse_definition
from workflows.engine.runner import ProcessRunner
from workflows.handlers.approval import ApprovalChain
from workflows.handlers.screening import ContentScreening
from workflows.profiles import Profile
from workflows.profiles.national import NATIONAL
from workflows.screening import Term, WordList

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
CALENDAR = WorkCalendar()
# Every department the seed flows name, as the demo organisation has them.
ORG = OrgView(
    {
        "leadership": "局领导",
        "office": "办公室",
        "secrecy": "保密室",
        "info_center": "信息中心",
        "petition": "信访处",
        "legal": "法规处",
        "planning": "规划处",
        "finance": "财务处",
    },
    "leadership",
)


class Who(NamedTuple):
    """The department and role a task lands with (compares equal to a plain pair)."""

    department: str
    role: Role | None


def load(process_id: str) -> ParsedDefinition:
    """Parse bpmn/<process_id>.bpmn."""
    return parse_definition((BPMN / f"{process_id}.bpmn").read_bytes(), process_id)


def runner_for(profile: Profile = NATIONAL, terms: Iterable[Term] = ()) -> ProcessRunner:
    """A runner whose calendar functions read the given profile's deadlines, screening with `terms`."""
    functions = calendar_functions(lambda: CALENDAR, lambda name: profile.deadline(name).terms)
    word_list = WordList.build(terms)
    services = {
        ContentScreening.name: ContentScreening(lambda: word_list),
        ApprovalChain.name: ApprovalChain(lambda: profile, ORG.department_code),
    }
    return ProcessRunner(functions=functions, services=services)


class Case:
    """Drives one case through the runner, reloading from JSON after every step."""

    def __init__(
        self,
        definition: ParsedDefinition,
        start: dict[str, Any],
        owner: str,
        *,
        at: str = "2026-03-02T01:00:00",
        runner: ProcessRunner | None = None,
    ) -> None:
        self.definition = definition
        self.runner = runner or runner_for()
        self.clock = FixedClock(at)
        self.owner = owner  # the department of whoever started the case
        # As the service does: the case knows the department its starter drafted in.
        begun = {**start, DRAFTING_DEPARTMENT: owner}
        self.state = self.runner.dumps(self.runner.start(definition, begun, self.clock))

    def _load(self):
        return self.runner.loads(self.state, self.definition, self.clock)

    def ready(self):
        """The ready human tasks, as the inbox would get them."""
        return self.runner.ready_tasks(self._load(), self.definition)

    def who(self, task) -> Who:
        """Where the service would put this ready task."""
        decision = assign(task.lane, self.owner, ORG, task.department)
        return Who(decision.department, decision.role)

    def next(self) -> tuple[str, Who]:
        """The one ready task, and who gets it."""
        (task,) = self.ready()
        return task.spec_name, self.who(task)

    def open(self) -> list[tuple[str, Who]]:
        """Every ready task with who gets it, sorted."""
        return sorted(((t.spec_name, self.who(t)) for t in self.ready()), key=repr)

    def do(self, spec_name: str, data: dict[str, Any], department: str | None = None) -> Who:
        """Complete the ready task `spec_name` (the one of `department` if several); returns who had it."""
        tasks = [t for t in self.ready() if t.spec_name == spec_name]
        if department is not None:
            tasks = [t for t in tasks if self.who(t).department == department]
        assert len(tasks) == 1, f"expected one ready {spec_name!r}, found {self.open()}"
        (task,) = tasks
        who = self.who(task)
        workflow = self.runner.loads(self.state, load(self.definition.process_id), self.clock)
        self.runner.complete(workflow, task.id, data)
        self.owner = data.get("owning_department", self.owner)
        self.state = self.runner.dumps(workflow)
        return who

    def fire_timers_at(self, moment: str) -> None:
        """What the sweep does: restore at `moment` and let due timers fire."""
        self.clock.set(moment)
        workflow = self._load()
        self.runner.advance(workflow)
        self.state = self.runner.dumps(workflow)

    def next_timer_at(self) -> str | None:
        moment = self.runner.next_timer_at(self._load())
        return moment.isoformat() if moment else None

    def finished(self) -> bool:
        return self._load().is_completed()

    def ending(self) -> str:
        """How the finished case closes its clocks (met unless its end event says otherwise)."""
        return self.runner.ending(self._load(), self.definition)

    def data(self) -> dict[str, Any]:
        return self.runner.case_data(self._load())
