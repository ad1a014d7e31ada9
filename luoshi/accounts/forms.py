from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Unit

from .actions import do_claim_login_attempt, do_record_login_failure
from .backends import find_login_user
from .models import Role, User


class LoginForm(forms.Form):
    username = forms.CharField(label=_("User name or mobile number"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def _locked_error(self, user):
        until = timezone.localtime(user.locked_until).strftime("%H:%M")
        return forms.ValidationError(
            _(
                "Too many wrong passwords: this account is locked until %(time)s. "
                "Ask the supervision office to unlock it sooner."
            )
            % {"time": until},
            code="locked",
        )

    def clean(self):
        identifier = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not identifier or not password:
            return self.cleaned_data
        user = find_login_user(identifier)
        invalid = forms.ValidationError(
            _("The user name or password is not right."), code="invalid_login"
        )
        if user is None or not user.is_active:
            # Spend the same time as a real check so timing does not reveal names.
            User().set_password(password) if user is None else user.check_password(password)
            raise invalid
        attempt = do_claim_login_attempt(user)  # counted before the password is looked at
        if attempt is None:
            user.refresh_from_db(fields=["locked_until"])
            raise self._locked_error(user)
        if not user.check_password(password):
            do_record_login_failure(user, attempt)
            if attempt >= settings.LOGIN_MAX_FAILURES:
                user.refresh_from_db(fields=["locked_until"])
                raise self._locked_error(user)
            raise invalid
        self.user_cache = user
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput,
        help_text=_("At least 10 characters, not all digits, not a common password."),
    )
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class PersonForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, required=False)


class PersonEditForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=50)
    mobile = forms.CharField(label=_("Mobile number"), max_length=20, required=False)


class MembershipForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(label=_("Position"), max_length=50, required=False)
    sees_all = forms.BooleanField(
        label=_("Leader sees the whole unit (e.g. party secretary, district head)"), required=False
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    membership = forms.ChoiceField(label=_("Acts as"))

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [(str(m.pk), str(m)) for m in memberships]
