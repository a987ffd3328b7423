"""The permissions the assessment toolkit's pages and API operations declare (see core.permissions).

The record rules live in ``assessment.access``: an assessment the actor may not see answers 404
like a missing one; too little role on one they see answers 403.
"""

from tandem.core.access import READ_RANK, ROLE_RANK
from tandem.core.models import Role
from tandem.core.permissions import declare, requires

from .access import COMPARE_RANK, RUN_RANK

VIEW = declare(
    "assessment.view",
    "Read the frameworks, and the assessments one runs, leads or was invited to answer.",
    min_rank=READ_RANK,
).name
ANSWER = declare(
    "assessment.answer",
    "Answer an assessment one was invited to (scores, evidence, strengths and obstacles), while it collects answers.",
    min_rank=READ_RANK,
).name
RUN = declare(
    "assessment.run",
    "Open and run assessments of one's jurisdiction (coordinators, facilitators granted on it, the lead): "
    "invite respondents, move it through its steps, validate, recommend.",
    min_rank=RUN_RANK,
).name
COMPARE = declare(
    "assessment.compare",
    "Compare the assessed jurisdictions below one (national and regional coordinators).",
    min_rank=COMPARE_RANK,
).name

MAP = declare(
    "assessment.map",
    "Run mapping exercises of a country or region (national coordinators, facilitators granted on it, the lead).",
    min_rank=RUN_RANK,
).name

FRAMEWORKS = declare(
    "assessment.frameworks",
    "Import frameworks (or new versions of them) from a workbook (administrators).",
    min_rank=ROLE_RANK[Role.ADMINISTRATOR],
).name

__all__ = ["ANSWER", "COMPARE", "FRAMEWORKS", "MAP", "RUN", "VIEW", "requires"]
