"""万州区人民政府 (seed 004): 万州区人民政府网站管理制度(试行), Chongqing, 2021."""

from __future__ import annotations

from . import Override, Profile, derive
from .national import NATIONAL

PROFILE: Profile = derive(
    NATIONAL,
    name="wanzhou",
    title="万州区人民政府",
    overrides={
        # §12 restates Art. 26 for proactive government information, policy documents included.
        # It names no figure for news, so publishing.news stays national's.
        "publishing.proactive": Override("20 workdays", "PUB-13, NAT-1", "004 §12"),
        "publishing.policy": Override("20 workdays", "PUB-13, NAT-1", "004 §12"),
        # §25: errors and sensitive content fixed within 1 natural day of notice, urgent ones at once.
        "error.fix": Override("1 day", "ERR-2, PUB-9", "004 §25"),
        "error.fix_urgent": Override("0 days", "ERR-2, PUB-9", "004 §25"),
        # §25: "应在收到检测情况当日通知各行政机关和有关单位".
        "error.notify_department": Override("0 days", "ERR-3", "004 §25"),
    },
    # §35 orders the response to a breach (a reminder from the centre, then the district leader in
    # charge if rectification is poor) but gives no times, so the ESC-1 defaults stand.
)
