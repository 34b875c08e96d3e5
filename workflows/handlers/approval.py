"""Who reviews, signs and proofreads a publishing item under the active profile (PUB-2..5, PUB-10)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..assignment import DRAFTING_DEPARTMENT
from ..profiles import Profile
from ..profiles.publishing import CENTRE_ITEM_TYPES, ITEM_TYPE_LABELS, TIERS
from . import Handler, HandlerError, Refused, register


@register
class ApprovalChain(Handler):
    """The profile's publishing chain for an item, put into the case for the diagram's gateways.

    Returns `review` and `proof` (tier → ordered roles; the last reviewer signs), `fast_path` (the
    item may take the centre's fast path: the profile has one and the item is not original),
    `legal_review` ("outside" or "in_house"), `source` (the article) and `joint` (co-departments
    confirm the draft first, PUB-12), `on_site_review` (the host unit's named person reviews it on
    site and the centre publishes it: no chain, no fast path, PUB-15). An item type the profile
    does not offer is refused, naming the field.
    """

    name = "approval_chain"
    label = "确定审核签发程序"
    # centre: the department (name or code, as lanes name it) whose own items the centre's types are.
    parameters = frozenset({"item_type", "fast_path_basis", "centre"})

    def __init__(self, profile: Callable[[], Profile], department_code: Callable[[str], str | None]) -> None:
        self.profile = profile
        self.department_code = department_code  # a department's code from its name or code

    def __call__(self, params: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
        item_type, basis = params["item_type"], params["fast_path_basis"]
        if not isinstance(item_type, str) or not isinstance(basis, str):
            raise HandlerError("approval_chain needs item_type and fast_path_basis as text")
        profile = self.profile()
        rules = profile.publishing
        if item_type not in rules.item_types:
            offered = "、".join(ITEM_TYPE_LABELS[t] for t in rules.item_types)
            label = ITEM_TYPE_LABELS.get(item_type, item_type)
            raise Refused(
                "item_type",
                "item_type_not_offered",
                f"{profile.title}不设“{label}”这一信息类型，可选：{offered}",
            )
        if item_type in CENTRE_ITEM_TYPES:
            self._centre_only(item_type, params["centre"], data.get(DRAFTING_DEPARTMENT))
        chains = {tier: rules.chain_for(item_type, tier) for tier in TIERS}
        on_site = item_type in rules.on_site_review
        return {
            "review": {tier: list(chain.review) for tier, chain in chains.items()},
            "proof": {tier: list(chain.proof) for tier, chain in chains.items()},
            "fast_path": rules.fast_path and basis != "original" and not on_site,
            "on_site_review": on_site,
            "legal_review": "outside" if rules.legal_review_outside else "in_house",
            "source": rules.source,
            # PUB-12: co-departments confirm a joint item first. An optional start field the drafter
            # left empty is no name in the case data, which a gateway condition cannot test for.
            "joint": bool(data.get("co_departments")),
        }

    def _centre_only(self, item_type: str, centre: Any, drafted_in: Any) -> None:
        """The centre's own items are drafted in the centre: anyone else would take its shorter chain."""
        if not isinstance(centre, str):
            raise HandlerError("approval_chain needs centre as the name or code of a department")
        code = self.department_code(centre)
        if code is None:
            raise HandlerError(f"approval_chain: no department named {centre!r}")
        if drafted_in != code:
            raise Refused(
                "item_type",
                "item_type_not_for_department",
                f"“{ITEM_TYPE_LABELS[item_type]}”只能由{centre}拟稿（003 第三章：宣传中心自己采编的信息）",
            )
