from django import forms
from django.utils.translation import gettext_lazy as _l


class EventFilterForm(forms.Form):
    actor = forms.CharField(label=_l("Actor (user name)"), required=False)
    action = forms.CharField(label=_l("Action starts with"), required=False)
    object_type = forms.CharField(label=_l("Object type"), required=False)
    text = forms.CharField(label=_l("Object contains"), required=False)
    since = forms.DateField(label=_l("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_l("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
