"""Demo of the quality policy (5.2): three versions, acknowledgements, a public link and the PDF.

Version 1 (2023) and version 2 (2024) are superseded; version 3 (2026) is in force, written by
Priya Raman (Quality Manager) and approved by Margaret Ellison (Managing Director). Coverage of
version 3 is partial on purpose: some people read only an older version, one never did.

Everything goes through the services (and the e-signatures through the demo password). Only the
dates are then moved back, because the story spans three years and the services stamp "now".
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from leadership.demo.people import DEMO_PASSWORD
from leadership.models import Person
from leadership.models.commitment import CommitmentEntry
from leadership.models.policy import PolicyAcknowledgement, PolicyShareLink, PolicyVersion
from leadership.services import policy as services
from qms.history import history_rewrite_allowed
from qms.models import Signature

ALL_CONFIRMED = {
    "confirms_purpose_and_strategy": True,
    "confirms_objectives_framework": True,
    "confirms_requirements_commitment": True,
    "confirms_improvement_commitment": True,
}

V1_TEXT = """\
Northbridge Precision Components Ltd machines precision parts to our customers' drawings for the \
industrial, automotive and aerospace sectors. Our customers rely on us for parts that fit first time \
and arrive when promised. This policy sets out how we make that happen.

We commit to satisfying our customers' requirements and the statutory and regulatory requirements \
that apply to our parts, our materials and our workplace. Every order is reviewed before we accept \
it, so that we only promise what we can deliver.

We make quality part of every job: from quotation and first-article inspection to final inspection \
and dispatch. Everyone who works here may stop a job they believe will produce a nonconforming part.

This policy is the framework for our quality objectives. Each year top management sets measurable \
objectives for on-time delivery, customer returns and internal scrap, and reviews progress at every \
management review.

We commit to continually improving our quality management system, by acting on customer feedback, \
internal audits and the causes of every nonconformity we find.

Top management provides the people, machines, measuring equipment and training needed to meet this \
policy, and reviews the policy every year."""

V2_TEXT = """\
Northbridge Precision Components Ltd is a contract manufacturer of precision CNC-machined components \
for aerospace, medical device and industrial customers. Our strategy is to be the supplier our \
customers trust with their most demanding parts: tight tolerances, full traceability and reliable \
delivery. This policy supports that strategy.

We commit to satisfying our customers' requirements, including their drawings, specifications and \
quality clauses, and all statutory and regulatory requirements that apply to our products and \
processes. We review every order before we accept it and keep full material and inspection \
traceability for every batch.

We plan our work with risk in mind. We identify the risks and opportunities that could affect the \
conformity of our parts and the satisfaction of our customers, including those in our supply chain, \
and we act on them before they become problems.

Quality is everyone's job. Everyone who works here may stop a job they believe will produce a \
nonconforming part, and will be supported for doing so.

This policy is the framework for our quality objectives. Each year top management sets measurable \
objectives, at company and department level, for on-time delivery, customer returns, first-pass yield \
and supplier performance, and reviews them at every management review.

We commit to continually improving the effectiveness of our quality management system, using customer \
feedback, audit results, data from our processes and the lessons of every nonconformity.

Top management provides the people, equipment, training and time needed to meet this policy and \
reviews it at least once a year."""

V3_TEXT = """\
Northbridge Precision Components Ltd designs processes for and machines precision components for \
aerospace, medical device and high-value industrial customers. Our strategy for 2026 to 2028 is to \
grow in medical devices and aerospace by being the most dependable supplier of complex, \
tight-tolerance parts in our region: right first time, on time, with complete traceability. This \
policy supports that strategy and is reviewed whenever the strategy or our context changes.

We commit to satisfying applicable requirements: our customers' drawings, specifications and \
quality clauses, and the statutory and regulatory requirements that apply to our products, \
materials and processes, including those of medical device and aerospace customers. We review \
every order before we accept it and we only promise what we can deliver.

We keep the customer in view. We measure on-time delivery and customer satisfaction, we answer \
every complaint with a root cause and a corrective action, and management reviews the results.

We think about risk before we act. We identify the risks and opportunities that could affect the \
conformity of our parts and the satisfaction of our customers, in our own processes and in our \
supply chain, and we plan how to address them.

Quality is everyone's job. Everyone who works here knows how their work affects the parts we \
ship, may stop a job they believe will produce a nonconforming part, and is supported for doing so.

This policy is the framework for setting our quality objectives. Each year top management sets \
measurable objectives for the company and each department, for delivery, customer returns, \
first-pass yield, supplier performance and training, and reviews progress at every management \
review.

We commit to continual improvement of our quality management system and its results, using \
customer feedback, internal audits, data from our machines and inspections, and the lessons of \
every nonconformity.

Top management provides the people, equipment, training and time needed to meet this policy."""

VERSIONS = [
    {
        "fields": {
            "title": "Quality policy",
            "text": V1_TEXT,
            "strategy_context": (
                "Certification to ISO 9001:2015 in 2023, as the first step of the business plan to win "
                "aerospace and automotive tier-2 work."
            ),
            "change_summary": "",
            **ALL_CONFIRMED,
        },
        "created": (2023, 1, 9, 9, 30),
        "submitted": (2023, 1, 20, 10, 5),
        "approved": (2023, 1, 26, 16, 40),
        "published": (2023, 2, 1, 9, 0),
    },
    {
        "fields": {
            "title": "Quality policy",
            "text": V2_TEXT,
            "strategy_context": (
                "Business plan 2024 to 2026: enter the medical device market and grow aerospace work from 20% to "
                "35% of sales. Both demand traceability and risk-based planning, and the 2024 management review "
                "asked for supplier performance to be part of our objectives."
            ),
            "change_summary": (
                "Describes the medical device market in our purpose and strategy. Adds traceability and "
                "risk-based thinking, including the supply chain. Adds first-pass yield and supplier "
                "performance to the objectives the policy frames, at company and department level. "
                "Decided at the management review of July 2024."
            ),
            **ALL_CONFIRMED,
        },
        "created": (2024, 8, 12, 11, 0),
        "submitted": (2024, 9, 2, 11, 20),
        "approved": (2024, 9, 10, 15, 30),
        "published": (2024, 9, 16, 8, 30),
    },
    {
        "fields": {
            "title": "Quality policy",
            "text": V3_TEXT,
            "strategy_context": (
                "Strategy 2026 to 2028, approved by the board in December 2025: grow medical device and aerospace "
                "sales by 40% as the region's most dependable supplier of complex, tight-tolerance parts. "
                "Context: two new five-axis cells, a medical device customer requiring ISO 13485-aware "
                "suppliers, and rising customer expectations on delivery."
            ),
            "change_summary": (
                "Restates our purpose and strategy for 2026 to 2028. Makes customer focus explicit (on-time "
                "delivery, satisfaction, a root cause for every complaint). Adds training to the objectives. "
                "Says that everyone knows how their work affects the parts we ship. Decided at the management "
                "review of January 2026, after two late deliveries to a medical customer."
            ),
            **ALL_CONFIRMED,
        },
        "created": (2026, 1, 19, 10, 15),
        "submitted": (2026, 2, 16, 14, 10),
        "approved": (2026, 2, 24, 17, 5),
        "published": (2026, 3, 2, 8, 45),
    },
]

# Who acknowledged which version, and how many days after its publication.
ACKNOWLEDGEMENTS = {
    1: {
        "margaret": 0,
        "david": 0,
        "priya": 0,
        "tom": 1,
        "elena": 2,
        "james": 1,
        "aisha": 3,
        "lucy": 1,
        "marek": 4,
        "daniel": 9,
        "grace": 6,
        "robert": 2,
    },
    2: {
        "margaret": 0,
        "david": 1,
        "priya": 0,
        "tom": 2,
        "elena": 1,
        "james": 3,
        "aisha": 5,
        "lucy": 1,
        "marek": 2,
        "sophie": 8,
        "grace": 4,
        "hannah": 12,
        "robert": 3,
    },
    # Version 3: 10 of the 15 people in scope (Claire, the external auditor, is not asked).
    # Aisha, Sophie and Hannah read only version 2, Daniel only version 1, Oliver none.
    3: {
        "margaret": 0,
        "david": 0,
        "priya": 0,
        "tom": 1,
        "elena": 3,
        "james": 2,
        "lucy": 1,
        "marek": 6,
        "grace": 9,
        "robert": 4,
    },
}


def _at(parts: tuple) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=ZoneInfo(settings.TIME_ZONE))


@history_rewrite_allowed()
def _backdate(version: PolicyVersion, plan: dict) -> None:
    """Move the version's own dates, signatures, history and commitment entry to the demo story's dates."""
    created, submitted, approved, published = (_at(plan[k]) for k in ("created", "submitted", "approved", "published"))
    PolicyVersion.objects.filter(pk=version.pk).update(
        created_at=created, submitted_at=submitted, published_at=published, updated_at=published
    )
    Signature.objects.filter(pk=version.author_signature_id).update(signed_at=submitted)
    Signature.objects.filter(pk=version.approval_signature_id).update(signed_at=approved)
    CommitmentEntry.objects.filter(source=CommitmentEntry.Source.POLICY_APPROVED, source_id=str(version.pk)).update(
        date=approved.date()
    )
    history = PolicyVersion.history.filter(id=version.pk)
    history.filter(history_type="+").update(history_date=created)
    for status, when in (("submitted", submitted), ("approved", approved), ("published", published)):
        history.filter(status=status).update(history_date=when)


@history_rewrite_allowed()
def _supersede_dates(version: PolicyVersion, when: datetime.datetime) -> None:
    PolicyVersion.objects.filter(pk=version.pk).update(superseded_at=when, updated_at=when)
    PolicyVersion.history.filter(id=version.pk, status="superseded").update(history_date=when)


@history_rewrite_allowed()
@transaction.atomic
def seed(people: dict[str, Person]) -> dict[str, int]:
    """Create this area's demo records (idempotent); `people` maps demo usernames to people."""
    if PolicyVersion.objects.exists():
        return {}
    author, approver = people["priya"].user, people["margaret"].user
    created = {"policy versions": 0, "policy acknowledgements": 0, "policy share links": 0}
    previous = None
    for number, plan in enumerate(VERSIONS, start=1):
        version = services.policy_version_create(actor=author, **plan["fields"])
        version = services.policy_version_submit(actor=author, version=version, password=DEMO_PASSWORD)
        version = services.policy_version_approve(actor=approver, version=version, password=DEMO_PASSWORD)
        version = services.policy_version_publish(actor=author, version=version)
        _backdate(version, plan)
        if previous is not None:
            _supersede_dates(previous, _at(plan["published"]))
        created["policy versions"] += 1
        published = _at(plan["published"])
        for username, days in ACKNOWLEDGEMENTS[number].items():
            acknowledgement = services.policy_acknowledgement_record(actor=people[username].user, version=version)
            # Staff read it during the working day, a few days after publication.
            when = published + datetime.timedelta(
                days=days, hours=1 + len(username) % 7, minutes=(len(username) * 17 + days * 7) % 60
            )
            PolicyAcknowledgement.objects.filter(pk=acknowledgement.pk).update(
                acknowledged_at=when, created_at=when, updated_at=when
            )
            PolicyAcknowledgement.history.filter(id=acknowledgement.pk).update(history_date=when)
            created["policy acknowledgements"] += 1
        previous = version

    link = services.policy_share_link_create(actor=author, label="Company website", version=previous)
    shared = _at((2026, 3, 3, 10, 20))
    PolicyShareLink.objects.filter(pk=link.pk).update(created_at=shared, updated_at=shared)
    PolicyShareLink.history.filter(id=link.pk).update(history_date=shared)
    created["policy share links"] += 1

    # The seed runs in a management command, not a web request: render the PDF here so that the
    # demo has it without a worker.
    services.policy_version_render_pdf(version_id=previous.pk)
    return created
