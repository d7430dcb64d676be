import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from rest_framework import exceptions, filters


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


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number from 1 to 9999, the only years a date's `__year` lookup can take.

    Any other number is refused with a message on the field, where it would otherwise fail in the
    database layer.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)


class SearchFilter(filters.SearchFilter):
    """DRF's `?search=`, whose bad values (a NUL character) are refused on the `search` field.

    DRF's own answers such a value with a bare list of messages, where every other 400 of the API
    names the field at fault.
    """

    def get_search_terms(self, request):
        try:
            return super().get_search_terms(request)
        except exceptions.ValidationError as exc:
            raise exceptions.ValidationError({self.search_param: exc.detail}) from exc
