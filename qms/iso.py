"""The ISO 9001:2015 requirement items Clause5 evidences, paraphrased, with the ids auditors use.

Every app tags its records with these ids; the evidence app loads them as its clause catalogue.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    """One requirement item: its id (e.g. "5.1.1.a"), the clause it belongs to, what it asks,
    and the evidence an auditor expects."""

    id: str
    clause: str
    text: str
    evidence: str


CLAUSES = {
    "5.1.1": "Leadership and commitment: top management shows it by",
    "5.1.2": "Customer focus: top management makes sure that",
    "5.2": "Quality policy",
    "5.3": "Roles, responsibilities and authorities: assigned, communicated, understood, including",
    "6.2": "Quality objectives and planning to achieve them",
    "9.3": "Management review",
}

REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        "5.1.1.a",
        "5.1.1",
        "being accountable for how effective the QMS is",
        "management review conclusions signed by top management; decisions on unmet objectives",
    ),
    Requirement(
        "5.1.1.b",
        "5.1.1",
        "making sure the quality policy and objectives exist and fit the context and strategy",
        "approved policy version; objectives linked to the policy and to strategic themes",
    ),
    Requirement(
        "5.1.1.c",
        "5.1.1",
        "building QMS requirements into the business processes",
        "process/requirement links; quality items on the agenda of operational meetings",
    ),
    Requirement(
        "5.1.1.d",
        "5.1.1",
        "promoting the process approach and risk-based thinking",
        "risk and opportunity register reviewed by management",
    ),
    Requirement(
        "5.1.1.e",
        "5.1.1",
        "making sure the resources the QMS needs are available",
        "approved budget, equipment and training requests",
    ),
    Requirement(
        "5.1.1.f",
        "5.1.1",
        "communicating why quality management matters",
        "policy communication, acknowledgements, town-hall entries",
    ),
    Requirement(
        "5.1.1.g",
        "5.1.1",
        "making sure the QMS achieves its intended results",
        "objective status reviewed, actions on off-track objectives",
    ),
    Requirement(
        "5.1.1.h",
        "5.1.1",
        "engaging, directing and supporting people to contribute",
        "employee feedback answered, training approved",
    ),
    Requirement("5.1.1.i", "5.1.1", "promoting improvement", "improvement decisions and closed actions"),
    Requirement(
        "5.1.1.j",
        "5.1.1",
        "supporting other managers to lead in their own areas",
        "departmental objectives owned by their managers, manager KPIs",
    ),
    Requirement(
        "5.1.2.a",
        "5.1.2",
        "customer and legal requirements are known, understood and met",
        "customer requirements register with the process that meets each",
    ),
    Requirement(
        "5.1.2.b",
        "5.1.2",
        "risks and opportunities affecting conformity and satisfaction are handled",
        "risks linked to customers or products, with treatment",
    ),
    Requirement(
        "5.1.2.c",
        "5.1.2",
        "the focus on raising customer satisfaction is kept",
        "satisfaction trend, complaints with management responses",
    ),
    Requirement(
        "5.2.1.a",
        "5.2",
        "policy fits the organisation's purpose and context and supports its strategy",
        "approved version, strategy link",
    ),
    Requirement(
        "5.2.1.b", "5.2", "policy gives a framework for setting quality objectives", "objectives that cite the policy"
    ),
    Requirement(
        "5.2.1.c",
        "5.2",
        "policy commits to meeting applicable requirements",
        "the commitment is present in the approved text",
    ),
    Requirement(
        "5.2.1.d",
        "5.2",
        "policy commits to continual improvement of the QMS",
        "the commitment is present in the approved text",
    ),
    Requirement("5.2.2.a", "5.2", "policy is kept as documented information", "version history, approval signature"),
    Requirement(
        "5.2.2.b",
        "5.2",
        "policy is communicated, understood and applied inside",
        "acknowledgement coverage by department",
    ),
    Requirement(
        "5.2.2.c", "5.2", "policy is available to relevant interested parties", "a published copy that can be shared"
    ),
    Requirement(
        "5.3.a", "5.3", "making sure the QMS conforms to ISO 9001", "position holding it, acknowledged by the holder"
    ),
    Requirement("5.3.b", "5.3", "making sure processes deliver their intended outputs", "process owners"),
    Requirement(
        "5.3.c",
        "5.3",
        "reporting QMS performance and improvement opportunities to top management",
        "management representative, weekly operation reports",
    ),
    Requirement("5.3.d", "5.3", "promoting customer focus across the organisation", "position holding it"),
    Requirement(
        "5.3.e",
        "5.3",
        "keeping the QMS intact when changes are planned and made",
        "position holding it, change decisions",
    ),
    Requirement("6.2.1.a", "6.2", "consistent with the quality policy", "policy link"),
    Requirement("6.2.1.b", "6.2", "measurable", "metric, unit, target, direction"),
    Requirement("6.2.1.c", "6.2", "take applicable requirements into account", "requirement links"),
    Requirement("6.2.1.d", "6.2", "relevant to product conformity and customer satisfaction", "category"),
    Requirement("6.2.1.e", "6.2", "monitored", "measurements on schedule"),
    Requirement("6.2.1.f", "6.2", "communicated", "owners and departments notified, visible to staff"),
    Requirement("6.2.1.g", "6.2", "updated as appropriate", "target revisions with reasons"),
    Requirement("6.2.2.a", "6.2", "what will be done", "action plan steps"),
    Requirement("6.2.2.b", "6.2", "what resources are needed", "resources per plan, resource requests"),
    Requirement("6.2.2.c", "6.2", "who is responsible", "owner per step"),
    Requirement("6.2.2.d", "6.2", "when it will be completed", "due dates"),
    Requirement("6.2.2.e", "6.2", "how results will be evaluated", "evaluation method"),
    Requirement(
        "9.3.1", "9.3", "reviews held at planned intervals, aligned with strategy", "schedule and held reviews"
    ),
    Requirement("9.3.2.a", "9.3", "input: status of actions from previous reviews", "frozen action status table"),
    Requirement("9.3.2.b", "9.3", "input: changes in external and internal issues", "recorded issues"),
    Requirement(
        "9.3.2.c.1",
        "9.3",
        "input: customer satisfaction and feedback from interested parties",
        "satisfaction and complaint trends",
    ),
    Requirement("9.3.2.c.2", "9.3", "input: how far quality objectives were met", "objective status table"),
    Requirement("9.3.2.c.3", "9.3", "input: process performance and product/service conformity", "process figures"),
    Requirement(
        "9.3.2.c.4", "9.3", "input: nonconformities and corrective actions", "nonconformity and action figures"
    ),
    Requirement("9.3.2.c.5", "9.3", "input: monitoring and measurement results", "measurement summary"),
    Requirement("9.3.2.c.6", "9.3", "input: audit results", "internal audit findings"),
    Requirement("9.3.2.c.7", "9.3", "input: performance of external providers", "supplier figures"),
    Requirement("9.3.2.d", "9.3", "input: adequacy of resources", "resource requests and approvals"),
    Requirement("9.3.2.e", "9.3", "input: effectiveness of actions on risks and opportunities", "risk register status"),
    Requirement("9.3.2.f", "9.3", "input: opportunities for improvement", "listed opportunities"),
    Requirement(
        "9.3.3.a", "9.3", "output: decisions and actions on improvement opportunities", "decisions with actions"
    ),
    Requirement("9.3.3.b", "9.3", "output: decisions on any needed QMS changes", "decisions with actions"),
    Requirement("9.3.3.c", "9.3", "output: decisions on resource needs", "decisions linked to resource requests"),
)

BY_ID = {r.id: r for r in REQUIREMENTS}


def requirement_choices(prefix: str = "") -> list[tuple[str, str]]:
    """(id, "id: text") pairs for form fields, optionally only the ids under `prefix`."""
    return [(r.id, f"{r.id}: {r.text}") for r in REQUIREMENTS if r.id.startswith(prefix)]


def validate_requirement_ids(ids) -> list[str]:
    """The ids that are not in the catalogue (empty when all are known)."""
    return [i for i in ids if i not in BY_ID]
