"""Who may open the aftercare pages: the patients' own (signed links) and the staff's.

Rules as in meso_clinic/core/access.py (the kernel merges every app's table).
"""

from meso_clinic.core.access import PUBLIC, Rule

PAGE_ACCESS: dict[str, Rule] = {
    "aftercare:report": PUBLIC,
    "aftercare:report_done": PUBLIC,
    "aftercare:unsubscribe": PUBLIC,
    "aftercare:satisfaction": PUBLIC,  # her satisfaction from the +14-day email (issue 16)
    "aftercare:delivery": "aftercare.view_reminder",
    "aftercare:patient_emails": ("patients.view_patient", "aftercare.view_reminder"),
    "aftercare:sheet": "treatments.view_session",
    "aftercare:retry": "aftercare.change_reminder",
    "aftercare:reports": "aftercare.view_sideeffectreport",
    "aftercare:report_detail": "aftercare.view_sideeffectreport",
    "aftercare:report_photo": "aftercare.view_sideeffectreport",
}
