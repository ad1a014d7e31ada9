from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.supervision.forms import MultipleFileField

from .models import Source


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Source.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(label=_("Issued by"), max_length=100, required=False)
    reference = forms.CharField(label=_("Document number"), max_length=100, required=False)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    files = MultipleFileField(label=_("Attachments"), required=False)
