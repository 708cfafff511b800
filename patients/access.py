"""Who may open the patients' pages (rules as in meso_clinic/core/access.py, which merges every app's table)."""

from meso_clinic.core.access import PUBLIC, Rule

PAGE_ACCESS: dict[str, Rule] = {
    "patients:list": "patients.view_patient",
    "patients:create": "patients.add_patient",
    "patients:edit": "patients.change_patient",
    "patients:intake": "patients.add_eligibilityscreening",
    "patients:intake_print": "patients.add_eligibilityscreening",
    "patients:screening": "patients.view_eligibilityscreening",
    "patients:decide": "patients.decide_screening",
    "patients:review_queue": "patients.decide_screening",
    "patients:intake_send": "patients.add_eligibilityscreening",
    "patients:intake_tablet": "patients.add_eligibilityscreening",
    # The patient's own intake pages: her link's token is the key (patients/link_views.py).
    "intake:start": PUBLIC,
    "intake:section": PUBLIC,
    "intake:summary": PUBLIC,
    "intake:done": PUBLIC,
    "intake:leave": PUBLIC,
}
