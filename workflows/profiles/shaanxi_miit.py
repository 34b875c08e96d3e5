"""陕西省工业和信息化厅 (seed 001): 门户网站管理办法; the seed has no title line, §6 names the agency."""

from __future__ import annotations

from . import Override, Profile, derive
from .national import NATIONAL

# §17: "一般情况下信息发布不应迟于工作结束后的第3天", for every item the departments publish.
# 第3天 counts calendar days (not 工作日), so it is a 3-day target under the national ceilings,
# which count working days (PUB-13): both dates are shown and the earlier binds. The seed does
# not call them natural days, so a 3rd day on a holiday rolls to the next working day (ESC-2).
_AFTER_WORK = Override(None, "PUB-13", "001 §17", target="3 days")

PROFILE: Profile = derive(
    NATIONAL,
    name="shaanxi-miit",
    title="陕西省工业和信息化厅",
    overrides={
        "publishing.news": _AFTER_WORK,
        "publishing.policy": _AFTER_WORK,
        "publishing.proactive": _AFTER_WORK,
        # §19 and §23 (interactive columns, administrator review, MBX-5) give no time limits.
    },
)
