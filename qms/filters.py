import django_filters
from django import forms


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form renders with Bootstrap classes in the list pages' filter bars."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-control")
            widget.attrs.setdefault("aria-label", field.label or "")
        return form
