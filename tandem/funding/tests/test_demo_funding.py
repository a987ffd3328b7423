"""The demo: the Kenyan fund and donor, the county call with twelve applications, reviews, awards."""

from __future__ import annotations

from tandem.core.models import User
from tandem.funding import selectors
from tandem.funding.models import Application, Award, ConflictDeclaration, FundingSource


def test_the_demo_builds_the_kenyan_call(demo_world):
    assert FundingSource.objects.filter(kind="national_budget", currency="KES").exists()
    assert FundingSource.objects.filter(kind="donor").exists()
    assert FundingSource.objects.filter(in_kind=True, organisation__name="Bandari Logistics Ltd").exists()
    apps = Application.objects.filter(call__title="County youth-dialogue initiatives 2026")
    assert apps.count() == 12
    assert apps.values("jurisdiction").distinct().count() >= 4
    assert ConflictDeclaration.objects.filter(has_conflict=True).count() == 1
    national = User.objects.get(username="national.ke")
    awards = list(selectors.awards_for(national))
    assert len(awards) == 6 == Award.objects.count()
    states = [a.state for a in awards]
    assert states.count(selectors.OVERDUE) == 1 and states.count(selectors.CLOSED) == 1
    totals = selectors.totals(national)
    kenya = next(ln for ln in totals.by_jurisdiction if ln.label == "Kenya")
    assert kenya.currency == "KES" and kenya.committed > kenya.disbursed > kenya.spent > 0
    assert totals.in_kind and totals.in_kind[0].currency == "KES"
    # A partner of another county sees none of Mombasa's grants.
    mombasa_award = next(a for a in awards if a.jurisdiction.iso_code == "KE-28")
    nairobi_grantee = User.objects.get(username__startswith="grants.eastleigh")
    assert not selectors.awards_for(nairobi_grantee).filter(pk=mombasa_award.pk).exists()
    assert all(ln.label != "Mombasa" for ln in selectors.totals(nairobi_grantee).by_jurisdiction)
    assert len(selectors.giving_records(national)) == 6
    # Bandari Logistics' offers, one accepted for a Mombasa need; the company sees its matches.
    from tandem.funding.models import Match

    bandari = User.objects.get(username="partner.company")
    matches = selectors.matches_for(bandari)
    assert {m.offer.organisation.name for m in matches} == {"Bandari Logistics Ltd"}
    assert sorted(m.status for m in matches) == ["accepted", "proposed"]
    assert Match.objects.filter(jurisdiction__iso_code="KE-28").count() == 2
