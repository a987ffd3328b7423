"""Helpers of the assessment tests: respondents with accounts, answered in one call."""

from __future__ import annotations

from tandem.assessment import services
from tandem.core.models import User

from .factories import answer_all, person_for

_count = {"n": 0}


def respondent(w, assessment, *, sector: str, level: str, jurisdiction=None):
    _count["n"] += 1
    user = User.objects.create_user(username=f"resp{_count['n']}", password="correct-horse-battery-staple")
    person = person_for(w, user, jurisdiction or w.cebu_city, f"Respondent {_count['n']}")
    r = services.respondent_invite(actor=w.local, assessment=assessment, person=person, sector=sector, level=level)
    return r, user


def answered(w, assessment, score_of, *, sector: str, level: str, jurisdiction=None):
    r, user = respondent(w, assessment, sector=sector, level=level, jurisdiction=jurisdiction)
    answer_all(r, user, score_of)
    return r, user
