"""Start-up checks of the clinic's eligibility settings against the intake questionnaire's wording."""

from django.conf import settings
from django.core import checks

# The intake asks about laser, peels or facial surgery "in the last 3 months" (patients/questionnaire.py):
# a rule looking further back would never hear of the older ones.
QUESTION_WINDOW_WEEKS = 13


@checks.register()
def recent_procedure_window(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    weeks = settings.ELIGIBILITY_RECENT_PROCEDURE_WEEKS
    if weeks > QUESTION_WINDOW_WEEKS:
        return [
            checks.Error(
                f"ELIGIBILITY_RECENT_PROCEDURE_WEEKS is {weeks}, but the intake question asks about the last "
                f"{QUESTION_WINDOW_WEEKS} weeks (3 months): procedures in between would never reach the rule.",
                hint="Keep the setting at 13 or below, or widen the question in patients/questionnaire.py.",
                id="patients.E001",
            )
        ]
    return []
