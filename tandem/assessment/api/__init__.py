"""API of the assessment toolkit under ``/api/v1/assessment/``: the same rules as the pages.

An assessment the token's user may not see answers 404 exactly like a missing one; one they see
but may not run answers 403 to the operations that run it (invite, steps, validation,
recommendations). Results, findings and recommendations answer 403 to a respondent before the
assessment is final; answers and evidence links are read and written only by the respondent.

One module per concern, each with its router; ``ROUTERS`` below sets the order of the routes.
"""

from ninja import Router

from . import assessments, evidence, follow_up, mapping, respondents

ROUTERS: list[tuple[str, Router]] = [
    ("/assessment", assessments.router),
    ("/assessment", respondents.router),
    ("/assessment", follow_up.router),
    ("/assessment", evidence.router),
    ("/assessment", mapping.router),
]

__all__ = ["ROUTERS"]
