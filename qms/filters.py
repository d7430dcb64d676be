import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class OnePassSelect(forms.Select):
    """A <select> written in one pass, for choices lists that grow with the organisation (owners, people).

    Django's Select renders a template per option: with the 3,000 people of a large organisation
    that is most of a list page's time. Flat choices only (no groups), which is what model choice
    filters have.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(key), " selected" if str(key) in selected else "", label) for key, label in self.choices),
        )
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final_attrs, options)


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form renders with Bootstrap classes in the list pages' filter bars."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            if isinstance(field, forms.ModelChoiceField) and type(field.widget) is forms.Select:
                field.widget = OnePassSelect(attrs=field.widget.attrs, choices=field.choices)
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-control")
            widget.attrs.setdefault("aria-label", field.label or "")
        return form
