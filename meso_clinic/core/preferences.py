"""Each staff member picks the language of the staff pages; it follows them to any browser.

Patients' pages and emails follow the patient's own language (Patient.preferred_language), not this.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from .auth_types import AuthenticatedHttpRequest
from .models import StaffPreference


def staff_language(user) -> str | None:
    """The language the signed-in user chose, or None (then the browser's Accept-Language decides)."""
    if not user.is_authenticated:
        return None
    try:
        return user.preference.language
    except StaffPreference.DoesNotExist:
        return None


class StaffLanguageMiddleware:
    """After sign-in: the user's own language replaces the one LocaleMiddleware took from the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = staff_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the staff pages"), choices=settings.LANGUAGES)


class LanguageView(FormView):
    form_class = LanguageForm
    template_name = "registration/language.html"
    request: AuthenticatedHttpRequest

    def get_initial(self):
        return {"language": staff_language(self.request.user) or translation.get_language()}

    def form_valid(self, form):
        language = form.cleaned_data["language"]
        StaffPreference.objects.update_or_create(user=self.request.user, defaults={"language": language})
        with translation.override(language):  # said in the language just chosen
            messages.success(self.request, gettext("Your language is saved: %(language)s.") % {
                "language": str(dict(settings.LANGUAGES)[language])  # a lazy name: said in the language chosen
            })
        return redirect("language")
