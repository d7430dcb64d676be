"""Rules of the risk and opportunity register, through its services."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from objectives.models.risks import Risk, score_band
from objectives.services import risks as services
from qms.exceptions import ApplicationError
from tests.leadership.factories import PersonFactory
from tests.objectives.factories_objectives import ObjectiveFactory
from tests.objectives.factories_risks import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def create(actor, **overrides) -> Risk:
    data = {
        "title": "Single-source titanium bar",
        "description": "Only one mill supplies Ti-6Al-4V bar; a stoppage halts medical work.",
        "type": Risk.Type.RISK,
        "source": Risk.Source.SUPPLIER,
        "likelihood": 3,
        "impact": 5,
        "owner": PersonFactory(),
        "next_review_date": TODAY + datetime.timedelta(days=90),
        **overrides,
    }
    return services.risk_create(actor=actor, **data)


def test_a_new_risk_gets_the_next_reference_and_its_score(qa):
    first = create(qa)
    second = create(qa, likelihood=2, impact=2)

    assert (first.reference, second.reference) == ("RO-001", "RO-002")
    assert (first.score, second.score) == (15, 4)
    assert first.history.get().history_user == qa


def test_the_score_follows_likelihood_and_impact_on_every_change(qa):
    risk = create(qa)

    services.risk_update(actor=qa, risk=risk, likelihood=1)

    risk.refresh_from_db()
    assert risk.score == 5
    assert risk.band == "medium"


def test_the_database_refuses_a_score_that_is_not_likelihood_times_impact(qa):
    risk = create(qa)
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(score=7)


def test_the_database_refuses_a_likelihood_outside_1_to_5(qa):
    risk = create(qa)
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(likelihood=6, score=30)


@pytest.mark.parametrize(("field", "value"), [("likelihood", 0), ("likelihood", 6), ("impact", 9)])
def test_a_rating_outside_1_to_5_is_refused_by_name_and_nothing_is_saved(qa, field, value):
    with pytest.raises(ValidationError) as caught:
        create(qa, **{field: value})
    assert field in caught.value.message_dict
    assert not Risk.objects.exists()


def test_treating_or_monitoring_needs_a_treatment(qa):
    with pytest.raises(ValidationError) as caught:
        create(qa, status=Risk.Status.TREATING, treatment="  ")
    assert "treatment" in caught.value.message_dict
    risk = create(qa, status=Risk.Status.TREATING, treatment="Qualify a second mill.")
    assert risk.status == Risk.Status.TREATING


def test_a_closed_risk_does_not_change_until_reopened(qa):
    risk = RiskFactory(status=Risk.Status.CLOSED)

    with pytest.raises(ApplicationError, match="closed"):
        services.risk_update(actor=qa, risk=risk, title="Renamed")
    risk.refresh_from_db()
    assert risk.title != "Renamed"

    services.risk_update(actor=qa, risk=risk, status=Risk.Status.MONITORING, title="Renamed")
    risk.refresh_from_db()
    assert (risk.status, risk.title) == (Risk.Status.MONITORING, "Renamed")


def test_roles_without_the_permission_cannot_write(employee, auditor):
    with pytest.raises(PermissionDenied):
        create(employee)
    risk = RiskFactory()
    with pytest.raises(PermissionDenied):
        services.risk_update(actor=auditor, risk=risk, title="x")
    with pytest.raises(PermissionDenied):
        services.risk_mark_reviewed(actor=auditor, risk=risk, next_review_date=TODAY + datetime.timedelta(days=5))


def test_links_to_objectives_and_requirements_are_kept_in_the_history(qa):
    objective = ObjectiveFactory()
    risk = create(qa, objectives=[objective])
    entries = risk.history.count()

    services.risk_update(actor=qa, risk=risk, objectives=[objective], title=risk.title)
    assert risk.history.count() == entries + 1  # the save; an unchanged link set writes nothing

    services.risk_update(actor=qa, risk=risk, objectives=[])
    assert list(risk.objectives.all()) == []
    assert risk.history.count() == entries + 3  # the save and the removal


def test_marking_reviewed_records_who_and_when(ceo):
    risk = RiskFactory(next_review_date=TODAY - datetime.timedelta(days=3))

    services.risk_mark_reviewed(
        actor=ceo, risk=risk, next_review_date=datetime.date(2026, 6, 10), note="Second mill audit booked."
    )

    risk.refresh_from_db()
    assert (risk.last_reviewed_on, risk.last_reviewed_by) == (TODAY, ceo)
    assert risk.next_review_date == datetime.date(2026, 6, 10)
    assert risk.last_review_note == "Second mill audit booked."
    assert risk.history.latest().history_user == ceo


@pytest.mark.parametrize("days", [0, -1])
def test_the_next_review_must_be_after_today(qa, days):
    risk = RiskFactory()
    with pytest.raises(ValidationError) as caught:
        services.risk_mark_reviewed(actor=qa, risk=risk, next_review_date=TODAY + datetime.timedelta(days=days))
    assert "next_review_date" in caught.value.message_dict
    risk.refresh_from_db()
    assert risk.last_reviewed_on is None


def test_a_closed_risk_cannot_be_reviewed(qa):
    risk = RiskFactory(status=Risk.Status.CLOSED)
    with pytest.raises(ApplicationError, match="reopen"):
        services.risk_mark_reviewed(actor=qa, risk=risk, next_review_date=TODAY + datetime.timedelta(days=30))


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (16, "high"),
        (20, "critical"),
        (25, "critical"),
    ],
)
def test_score_bands(score, band):
    assert score_band(score) == band


def test_a_review_shows_in_the_change_history(qa):
    from leadership.selectors.people import history_for

    risk = RiskFactory()
    services.risk_mark_reviewed(actor=qa, risk=risk, next_review_date=TODAY + datetime.timedelta(days=30))

    latest = history_for(risk)[0]
    changed = {field for field, _old, _new in latest["changes"]}
    assert {"last reviewed on", "last reviewed by", "next review date"} <= changed
    assert latest["record"].history_user == qa
