from django import forms
from django.utils.translation import gettext_lazy as _


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (user name)"), required=False)
    action = forms.CharField(label=_("Action starts with"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    text = forms.CharField(label=_("Object contains"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
