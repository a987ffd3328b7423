"""Forms of the sign-in security pages: second factor, its management."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import mfa


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = mfa.normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Enter a code."))
        return code


class SetupForm(forms.Form):
    offer = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("After adding Tandem to the app, type the 6-digit code it shows."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = mfa.normalise_code(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits the app shows."))
        return code


class ManageForm(forms.Form):
    """Changing the second factor needs the password and a current code (or a recovery code)."""

    ACTIONS = [
        ("codes", _("Make new recovery codes")),
        ("remove", _("Remove the authenticator")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("A code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password
