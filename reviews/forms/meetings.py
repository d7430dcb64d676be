"""Forms of meetings: types and schedules, planning and editing a meeting, cancelling, the agenda."""

from django import forms
from django.conf import settings
from django.db.models import Q

from leadership.models import Department, Person
from leadership.models.customers import CustomerFeedback
from objectives.models import Objective
from objectives.models.risks import Risk
from reviews.models.actions import Action
from reviews.models.meetings import AgendaItem, MeetingType
from reviews.selectors.meetings import active_people, people_with_permission
from reviews.services.meetings import MEETING_TYPE_EDITABLE

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TZ_HELP = f"Date and time in {settings.TIME_ZONE} time."


def _person_label(person: Person) -> str:
    return f"{person.full_name} ({person.job_title})" if person.job_title else person.full_name


def _people(queryset, current=()):
    """People to choose from: `queryset`, plus whoever is chosen already (so an edit keeps them)."""
    current = [p for p in current if p is not None]
    if current:
        queryset = Person.objects.select_related("user").filter(
            Q(pk__in=queryset.values("pk")) | Q(pk__in=[p.pk for p in current])
        )
    return queryset.order_by("user__last_name", "user__first_name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class MeetingTypeForm(forms.ModelForm):
    default_chair = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="No default chair",
        help_text="Chairs the meetings the schedule plans, and signs their minutes. Required with a schedule.",
    )
    default_invitees = PeopleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Invited to every meeting of this type, besides the chair and the minute-taker.",
    )
    default_link = forms.URLField(required=False, assume_scheme="https", label="Default video call link")
    plan = forms.BooleanField(
        required=False,
        initial=True,
        label="Plan the schedule's next meetings now",
        help_text="Otherwise the daily planning does it tonight. Meetings already planned are never duplicated.",
    )

    class Meta:
        model = MeetingType
        # Exactly what the update service accepts.
        fields = list(MEETING_TYPE_EDITABLE)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "first_occurrence": DATETIME_INPUT,
            "default_agenda": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "is_quality_meeting": "Counts as a quality meeting",
            "frequency": "Schedule",
            "default_duration_minutes": "Duration (minutes)",
            "agenda_reminder_days": "Agenda reminder (days before)",
        }
        help_texts = {
            "frequency": "Monthly and longer schedules keep the first meeting's day of the month (the 31st becomes "
            "the last day of shorter months). Meetings already planned keep their dates when the schedule changes.",
            "first_occurrence": TZ_HELP + " Later meetings follow it at the same local time.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        chair = instance.default_chair if instance.pk else None
        self.fields["default_chair"].queryset = _people(people_with_permission("reviews.sign_meeting"), [chair])
        current = list(instance.default_invitees.all()) if instance.pk else []
        self.fields["default_invitees"].queryset = _people(active_people(), current)

    def _post_clean(self):
        # The service validates the type, schedule rules included, and names each field; the
        # model's own check would report a missing first meeting above the form instead.
        pass


class MeetingForm(forms.Form):
    """Plan a meeting, or change one before it is held."""

    type = forms.ModelChoiceField(queryset=MeetingType.objects.none(), empty_label="Choose a meeting type")
    title = forms.CharField(max_length=200, required=False, help_text="Left empty, the type's name is used.")
    planned_start = forms.DateTimeField(label="Date and time", widget=DATETIME_INPUT, help_text=TZ_HELP)
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        min_value=5,
        max_value=24 * 60,
        required=False,
        help_text="Left empty, the type's usual duration.",
    )
    place = forms.CharField(max_length=200, required=False, help_text="Room or site.")
    link = forms.URLField(required=False, label="Video call link", assume_scheme="https")
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, empty_label="Company-wide", help_text="Whose meeting it is."
    )
    chair = PersonChoiceField(
        queryset=Person.objects.none(),
        empty_label="Choose the chair",
        help_text="Leads the meeting and signs the minutes (roles that may sign).",
    )
    minute_taker = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="Not chosen yet",
        label="Minute-taker",
        help_text="Records attendance, minutes, decisions and actions during the meeting.",
    )
    invitees = PeopleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text="The chair and the minute-taker are always invited.",
    )

    def __init__(self, *args, meeting=None, invitees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        current_type = meeting.type if meeting else None
        types = MeetingType.objects.filter(is_active=True)
        if current_type is not None:
            types = MeetingType.objects.filter(Q(is_active=True) | Q(pk=current_type.pk))
        self.fields["type"].queryset = types
        departments = Department.objects.filter(is_active=True)
        if meeting is not None and meeting.department_id:
            departments = Department.objects.filter(Q(is_active=True) | Q(pk=meeting.department_id))
        self.fields["department"].queryset = departments
        self.fields["chair"].queryset = _people(
            people_with_permission("reviews.sign_meeting"), [meeting.chair] if meeting else []
        )
        self.fields["minute_taker"].queryset = _people(
            people_with_permission("reviews.record_meeting"), [meeting.minute_taker] if meeting else []
        )
        self.fields["invitees"].queryset = _people(active_people(), invitees)
        if meeting is None:
            self.fields["place"].help_text = "Room or site. Left empty, the type's usual place."
            self.fields["link"].help_text = "Left empty, the type's usual link."
            self.fields[
                "invitees"
            ].help_text = "Left empty, the type's default invitees. The chair and the minute-taker are always invited."
        else:
            self.initial.update(
                type=meeting.type_id,
                title=meeting.title,
                planned_start=meeting.planned_start,
                duration_minutes=meeting.duration_minutes,
                place=meeting.place,
                link=meeting.link,
                department=meeting.department_id,
                chair=meeting.chair_id,
                minute_taker=meeting.minute_taker_id,
                invitees=[p.pk for p in invitees],
            )

    def service_data(self) -> dict:
        """The cleaned data as the services take it: on a new meeting, empty means the type's default."""
        data = dict(self.cleaned_data)
        if self.meeting is None:
            for name in ("place", "link"):
                if not data[name]:
                    data[name] = None
            data["invitees"] = list(data["invitees"])
        return data


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sent to the invitees with the cancellation, and kept with the meeting.",
    )


class AgendaItemForm(forms.ModelForm):
    presenter = PersonChoiceField(queryset=Person.objects.none(), required=False, empty_label="No presenter yet")

    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "presenter",
            "duration_minutes",
            "description",
            "objectives",
            "customer_feedback",
            "risks",
            "actions",
        ]
        labels = {"duration_minutes": "Minutes", "customer_feedback": "Customer feedback", "actions": "Open actions"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "objectives": forms.SelectMultiple(attrs={"size": 4}),
            "customer_feedback": forms.SelectMultiple(attrs={"size": 4}),
            "risks": forms.SelectMultiple(attrs={"size": 4}),
            "actions": forms.SelectMultiple(attrs={"size": 4}),
        }
        help_texts = {
            "description": "What is to be discussed or decided, and what to read beforehand.",
            "objectives": "Quality objectives this item reviews.",
            "customer_feedback": "Complaints and other feedback to discuss (open ones, and any already linked).",
            "risks": "Risks and opportunities to discuss.",
            "actions": "Open actions whose progress is reviewed.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        item = self.instance
        self.fields["presenter"].queryset = _people(active_people(), [item.presenter] if item.pk else [])
        self.fields["duration_minutes"].widget.attrs.update(min=1, max=600)
        # What may be newly linked, plus whatever is linked already (so saving never drops a link).
        choices = {
            "objectives": (
                Objective.objects.all(),
                ~Q(status=Objective.Status.CANCELLED),
                ("reference",),
            ),
            "customer_feedback": (
                CustomerFeedback.objects.select_related("customer"),
                ~Q(status=CustomerFeedback.Status.CLOSED),
                ("-received_date", "-pk"),
            ),
            "risks": (Risk.objects.all(), ~Q(status=Risk.Status.CLOSED), ("reference",)),
            "actions": (Action.objects.all(), Q(status__in=Action.OPEN_STATUSES), ("reference",)),
        }
        for name, (queryset, selectable, ordering) in choices.items():
            if item.pk:
                selectable |= Q(pk__in=getattr(item, name).values("pk"))
            self.fields[name].queryset = queryset.filter(selectable).order_by(*ordering)
        self.fields["customer_feedback"].label_from_instance = lambda f: (
            f"{f.reference} {f.get_type_display().lower()} from {f.customer.name}"
        )


class AttendeeAddForm(forms.Form):
    person = PersonChoiceField(queryset=Person.objects.none(), label="Invite", empty_label="Choose a person")

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = active_people().exclude(pk__in=list(exclude))
