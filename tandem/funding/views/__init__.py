"""Pages of funding, by concern."""

from .applications import (
    funding_application_detail,
    funding_application_edit,
    funding_application_submit,
    funding_application_withdraw,
    funding_apply,
    funding_assign,
    funding_decide,
    funding_document_add,
)
from .awards import (
    funding_award_close,
    funding_award_detail,
    funding_awards,
    funding_payment_add,
    funding_report_schedule,
    funding_report_submit,
    funding_tranche_add,
)
from .calls import (
    funding_call_close,
    funding_call_create,
    funding_call_detail,
    funding_call_release,
    funding_calls,
    funding_ranking,
    funding_source_create,
    funding_sources,
)
from .offers import (
    funding_match_deliver,
    funding_match_propose,
    funding_match_respond,
    funding_offer_create,
    funding_offer_detail,
    funding_offers,
)
from .review import funding_declare, funding_score
from .totals import funding_giving, funding_totals, funding_totals_export

__all__ = [
    "funding_application_detail",
    "funding_application_edit",
    "funding_application_submit",
    "funding_application_withdraw",
    "funding_apply",
    "funding_assign",
    "funding_award_close",
    "funding_award_detail",
    "funding_awards",
    "funding_call_close",
    "funding_call_create",
    "funding_call_release",
    "funding_call_detail",
    "funding_calls",
    "funding_decide",
    "funding_declare",
    "funding_document_add",
    "funding_giving",
    "funding_match_deliver",
    "funding_match_propose",
    "funding_match_respond",
    "funding_offer_create",
    "funding_offer_detail",
    "funding_offers",
    "funding_payment_add",
    "funding_ranking",
    "funding_report_schedule",
    "funding_report_submit",
    "funding_score",
    "funding_source_create",
    "funding_sources",
    "funding_totals",
    "funding_totals_export",
    "funding_tranche_add",
]
