"""Pages of network membership."""

from .pages import (
    membership_apply,
    membership_decide,
    membership_detail,
    membership_list,
    membership_public,
    membership_respond,
)

__all__ = [
    "membership_apply",
    "membership_decide",
    "membership_detail",
    "membership_list",
    "membership_public",
    "membership_respond",
]
