"""陕西省工业和信息化厅 (seed 001): 门户网站管理办法; the seed has no title line, §6 names the agency."""

from __future__ import annotations

from . import Override, Profile, derive
from .national import NATIONAL

# §17: "一般情况下信息发布不应迟于工作结束后的第3天", for every item the departments publish.
# The text counts calendar days, but the catalogue counts publishing in working days (national
# and every other seed do), so it is read as 3 working days: the same due day when the work ends
# Monday to Wednesday, up to two days later when it ends on a Thursday or Friday.
_AFTER_WORK = Override("3 workdays", "PUB-13", "001 §17")

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
