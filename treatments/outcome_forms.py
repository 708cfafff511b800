"""The staff's form for a course's outcome scores (issue 16): one field per scale of the course's indication."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import outcomes
from .models import OutcomeScale


class OutcomeScoresForm(forms.Form):
    """A whole number per scale (blank: not scored this time), refused at its field when off the scale."""

    def __init__(self, *args, scales: list[OutcomeScale], initial_values: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scales = scales
        for scale in scales:
            values = range(scale.min_value, scale.max_value + 1)
            labels = "; ".join(scale.labels[str(value)] for value in values if str(value) in scale.labels)
            self.fields[f"scale_{scale.pk}"] = forms.IntegerField(
                label=scale.name_shown, required=False, initial=(initial_values or {}).get(scale.pk),
                help_text=_("From %(low)s to %(high)s. %(labels)s") % {
                    "low": scale.min_value, "high": scale.max_value, "labels": labels},
                widget=forms.NumberInput(attrs={"min": scale.min_value, "max": scale.max_value, "step": 1,
                                                "inputmode": "numeric"}),
            )

    def clean(self):
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns (typed as optional)
        for scale in self.scales:
            name = f"scale_{scale.pk}"
            value = data.get(name)
            if value is not None and (problem := outcomes.range_error(value, scale.min_value, scale.max_value)):
                self.add_error(name, problem)
        return data

    def values(self) -> dict[int, int | None]:
        return {scale.pk: self.cleaned_data.get(f"scale_{scale.pk}") for scale in self.scales}
