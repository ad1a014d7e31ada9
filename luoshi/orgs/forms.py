from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Membership, Role, User

from .models import UnitClass


class UnitCodeField(forms.CharField):
    """A unit picked by its code, among the units the person may see."""

    def __init__(self, *args, units=None, **kwargs):
        self.units = units
        super().__init__(*args, max_length=32, **kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        unit = self.units.filter(code=code).first() if self.units is not None else None
        if unit is None:
            raise forms.ValidationError(
                _("No unit you can see has the code “%(code)s”.") % {"code": code}
            )
        return unit


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Unit code"), max_length=32)
    name = forms.CharField(label=_("Unit name"), max_length=100)
    unit_class = forms.ModelChoiceField(label=_("Unit class"), queryset=UnitClass.objects.all())
    order = forms.IntegerField(label=_("Display order"), min_value=0, initial=0)


class UnitEditForm(UnitForm):
    parent = UnitCodeField(label=_("Parent unit code"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].units = units


class MergeForm(forms.Form):
    into = UnitCodeField(label=_("Merge into (unit code)"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].units = units


class OversightForm(forms.Form):
    leader = forms.CharField(label=_("Leader's user name"), max_length=150)
    area = forms.CharField(label=_("Area of work"), max_length=100, required=False)

    def clean_leader(self):
        username = self.cleaned_data["leader"].strip()
        leader_ids = Membership.objects.active().filter(role=Role.LEADER).values("user_id")
        user = User.objects.filter(username=username, pk__in=leader_ids).first()
        if user is None:
            raise forms.ValidationError(_("“%(name)s” is not a leader.") % {"name": username})
        return user


class ImportForm(forms.Form):
    file = forms.FileField(label=_(".xlsx file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class UnitClassForm(forms.Form):
    code = forms.SlugField(
        label=_("Class code"), max_length=32, help_text=_("Letters, digits, - or _, e.g. school")
    )
    name = forms.CharField(label=_("Class name"), max_length=50)
    order = forms.IntegerField(label=_("Display order"), min_value=0, initial=50)
