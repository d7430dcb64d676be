"""Loads the ISO 9001 requirement items of `qms/iso.py` as the clause catalogue.

The catalogue is embedded below as it stood when this migration was written. When `qms/iso.py`
changes, write a new data migration with the new snapshot that calls `sync_catalogue` the same
way; `tests/evidence/test_clauses_catalogue.py` fails until the table equals `qms.iso` again.
"""

from django.db import migrations

from evidence.migrations._catalogue import sync_catalogue

REASON = "ISO catalogue of qms/iso.py (migration 0003)"

GROUPS = {
    "5.1.1": "Leadership and commitment: top management shows it by",
    "5.1.2": "Customer focus: top management makes sure that",
    "5.2": "Quality policy",
    "5.3": "Roles, responsibilities and authorities: assigned, communicated, understood, including",
    "6.2": "Quality objectives and planning to achieve them",
    "9.3": "Management review",
}
# (id, group, text, expected evidence), in catalogue order.
REQUIREMENTS = (
    (
        "5.1.1.a",
        "5.1.1",
        "being accountable for how effective the QMS is",
        "management review conclusions signed by top management; decisions on unmet objectives",
    ),
    (
        "5.1.1.b",
        "5.1.1",
        "making sure the quality policy and objectives exist and fit the context and strategy",
        "approved policy version; objectives linked to the policy and to strategic themes",
    ),
    (
        "5.1.1.c",
        "5.1.1",
        "building QMS requirements into the business processes",
        "process/requirement links; quality items on the agenda of operational meetings",
    ),
    (
        "5.1.1.d",
        "5.1.1",
        "promoting the process approach and risk-based thinking",
        "risk and opportunity register reviewed by management",
    ),
    (
        "5.1.1.e",
        "5.1.1",
        "making sure the resources the QMS needs are available",
        "approved budget, equipment and training requests",
    ),
    (
        "5.1.1.f",
        "5.1.1",
        "communicating why quality management matters",
        "policy communication, acknowledgements, town-hall entries",
    ),
    (
        "5.1.1.g",
        "5.1.1",
        "making sure the QMS achieves its intended results",
        "objective status reviewed, actions on off-track objectives",
    ),
    (
        "5.1.1.h",
        "5.1.1",
        "engaging, directing and supporting people to contribute",
        "employee feedback answered, training approved",
    ),
    ("5.1.1.i", "5.1.1", "promoting improvement", "improvement decisions and closed actions"),
    (
        "5.1.1.j",
        "5.1.1",
        "supporting other managers to lead in their own areas",
        "departmental objectives owned by their managers, manager KPIs",
    ),
    (
        "5.1.2.a",
        "5.1.2",
        "customer and legal requirements are known, understood and met",
        "customer requirements register with the process that meets each",
    ),
    (
        "5.1.2.b",
        "5.1.2",
        "risks and opportunities affecting conformity and satisfaction are handled",
        "risks linked to customers or products, with treatment",
    ),
    (
        "5.1.2.c",
        "5.1.2",
        "the focus on raising customer satisfaction is kept",
        "satisfaction trend, complaints with management responses",
    ),
    (
        "5.2.1.a",
        "5.2",
        "policy fits the organisation's purpose and context and supports its strategy",
        "approved version, strategy link",
    ),
    ("5.2.1.b", "5.2", "policy gives a framework for setting quality objectives", "objectives that cite the policy"),
    (
        "5.2.1.c",
        "5.2",
        "policy commits to meeting applicable requirements",
        "the commitment is present in the approved text",
    ),
    (
        "5.2.1.d",
        "5.2",
        "policy commits to continual improvement of the QMS",
        "the commitment is present in the approved text",
    ),
    ("5.2.2.a", "5.2", "policy is kept as documented information", "version history, approval signature"),
    (
        "5.2.2.b",
        "5.2",
        "policy is communicated, understood and applied inside",
        "acknowledgement coverage by department",
    ),
    ("5.2.2.c", "5.2", "policy is available to relevant interested parties", "a published copy that can be shared"),
    ("5.3.a", "5.3", "making sure the QMS conforms to ISO 9001", "position holding it, acknowledged by the holder"),
    ("5.3.b", "5.3", "making sure processes deliver their intended outputs", "process owners"),
    (
        "5.3.c",
        "5.3",
        "reporting QMS performance and improvement opportunities to top management",
        "management representative, weekly operation reports",
    ),
    ("5.3.d", "5.3", "promoting customer focus across the organisation", "position holding it"),
    (
        "5.3.e",
        "5.3",
        "keeping the QMS intact when changes are planned and made",
        "position holding it, change decisions",
    ),
    ("6.2.1.a", "6.2", "consistent with the quality policy", "policy link"),
    ("6.2.1.b", "6.2", "measurable", "metric, unit, target, direction"),
    ("6.2.1.c", "6.2", "take applicable requirements into account", "requirement links"),
    ("6.2.1.d", "6.2", "relevant to product conformity and customer satisfaction", "category"),
    ("6.2.1.e", "6.2", "monitored", "measurements on schedule"),
    ("6.2.1.f", "6.2", "communicated", "owners and departments notified, visible to staff"),
    ("6.2.1.g", "6.2", "updated as appropriate", "target revisions with reasons"),
    ("6.2.2.a", "6.2", "what will be done", "action plan steps"),
    ("6.2.2.b", "6.2", "what resources are needed", "resources per plan, resource requests"),
    ("6.2.2.c", "6.2", "who is responsible", "owner per step"),
    ("6.2.2.d", "6.2", "when it will be completed", "due dates"),
    ("6.2.2.e", "6.2", "how results will be evaluated", "evaluation method"),
    ("9.3.1", "9.3", "reviews held at planned intervals, aligned with strategy", "schedule and held reviews"),
    ("9.3.2.a", "9.3", "input: status of actions from previous reviews", "frozen action status table"),
    ("9.3.2.b", "9.3", "input: changes in external and internal issues", "recorded issues"),
    (
        "9.3.2.c.1",
        "9.3",
        "input: customer satisfaction and feedback from interested parties",
        "satisfaction and complaint trends",
    ),
    ("9.3.2.c.2", "9.3", "input: how far quality objectives were met", "objective status table"),
    ("9.3.2.c.3", "9.3", "input: process performance and product/service conformity", "process figures"),
    ("9.3.2.c.4", "9.3", "input: nonconformities and corrective actions", "nonconformity and action figures"),
    ("9.3.2.c.5", "9.3", "input: monitoring and measurement results", "measurement summary"),
    ("9.3.2.c.6", "9.3", "input: audit results", "internal audit findings"),
    ("9.3.2.c.7", "9.3", "input: performance of external providers", "supplier figures"),
    ("9.3.2.d", "9.3", "input: adequacy of resources", "resource requests and approvals"),
    ("9.3.2.e", "9.3", "input: effectiveness of actions on risks and opportunities", "risk register status"),
    ("9.3.2.f", "9.3", "input: opportunities for improvement", "listed opportunities"),
    ("9.3.3.a", "9.3", "output: decisions and actions on improvement opportunities", "decisions with actions"),
    ("9.3.3.b", "9.3", "output: decisions on any needed QMS changes", "decisions with actions"),
    ("9.3.3.c", "9.3", "output: decisions on resource needs", "decisions linked to resource requests"),
)


def load_catalogue(apps, schema_editor):
    return sync_catalogue(apps, GROUPS, REQUIREMENTS, REASON)


def unload_catalogue(apps, schema_editor):
    # Fails (PROTECT) while evidence tags point at the items: evidence is never dropped silently.
    apps.get_model("evidence", "Clause").objects.filter(id__in=[item[0] for item in REQUIREMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_clause_catalogue_and_tags"),
    ]

    operations = [
        migrations.RunPython(load_catalogue, unload_catalogue),
    ]
