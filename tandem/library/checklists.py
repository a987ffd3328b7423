"""The checklists Tandem ships, in its own words (translated through the French catalogue).

Each step has a stable code: a coordinator's record (``ChecklistRun``) keeps ticks by code, so
rewording a step never loses what was ticked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    code: str
    text: str | Promise
    guidance: str | Promise


@dataclass(frozen=True)
class Checklist:
    code: str
    title: str | Promise
    purpose: str | Promise
    steps: tuple[Step, ...]

    def step(self, code: str) -> Step | None:
        return next((s for s in self.steps if s.code == code), None)


BODY_SETUP = Checklist(
    code="body-setup",
    title=_("Setting up a local coordination body"),
    purpose=_(
        "Questions to settle before and while a city, municipality or province sets up a body that "
        "coordinates local prevention work. They come from what member cities tell the network went well "
        "and what they would do differently."
    ),
    steps=(
        Step(
            "fit",
            _("The structure suits the place"),
            _(
                "Size, membership and meeting rhythm follow the local situation: population, the administrative "
                "set-up and the people already active. No template is copied as it is."
            ),
        ),
        Step(
            "mandate",
            _("The mandate is written down and answers local needs"),
            _(
                "A short text says what the body decides, what it advises on and what it leaves to others, and "
                "which local concerns it was created to address."
            ),
        ),
        Step(
            "existing",
            _("It builds on what already exists"),
            _(
                "Existing councils, committees and programmes were mapped first; the body joins or links them "
                "instead of duplicating them."
            ),
        ),
        Step(
            "local-knowledge",
            _("Local knowledge has a seat"),
            _(
                "Community leaders, frontline workers and civil-society groups who know the neighbourhoods take "
                "part, not only officials."
            ),
        ),
        Step(
            "national-links",
            _("Links to national actors are named"),
            _(
                "Someone is responsible for the contact with ministries and national agencies, and it is clear "
                "what the body reports upward and what it can ask for."
            ),
        ),
        Step(
            "two-way",
            _("Communication with communities runs both ways, through the institution"),
            _(
                "There is a regular channel for residents to raise concerns and for the body to explain what it "
                "did with them, owned by the institution rather than by one person."
            ),
        ),
        Step(
            "safe-space",
            _("Members have a safe space to talk"),
            _(
                "Ground rules say what stays in the room, how disagreements are handled and how sensitive "
                "information is labelled before it is shared."
            ),
        ),
    ),
)

INFORMATION_SHARING = Checklist(
    code="information-sharing",
    title=_("Sharing information responsibly"),
    purpose=_(
        "Points to agree on before partners of a coordination body start exchanging reports, requests and "
        "data about people or places."
    ),
    steps=(
        Step(
            "purpose",
            _("The purpose and the users are defined"),
            _("Each flow of information says why it exists, who receives it and what they may do with it."),
        ),
        Step(
            "training",
            _("People are trained in ethics and data protection"),
            _(
                "Everyone who handles shared information has had a briefing on consent, proportionality and the "
                "local data protection rules, refreshed when staff change."
            ),
        ),
        Step(
            "civil-society",
            _("What goes to civil-society partners is agreed"),
            _(
                "The body has decided which information its civil-society partners receive, in what detail, and "
                "under which label."
            ),
        ),
        Step(
            "formats",
            _("Standard formats are used"),
            _(
                "Reports and requests follow shared templates so that partners can read, compare and file them "
                "without guessing."
            ),
        ),
        Step(
            "review",
            _("The arrangements are reviewed periodically"),
            _(
                "At a fixed date (at least once a year) the partners check what was shared, whether it was useful "
                "and whether anything should stop."
            ),
        ),
    ),
)

CHECKLISTS: dict[str, Checklist] = {c.code: c for c in (BODY_SETUP, INFORMATION_SHARING)}


def get(code: str) -> Checklist | None:
    return CHECKLISTS.get(code)
