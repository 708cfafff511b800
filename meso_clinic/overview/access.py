"""The pages of the overview: the dashboard, the history of records, the access log, the record export.

Rules as in meso_clinic/core/access.py (the kernel merges every app's table).
"""

from meso_clinic.core.access import ANY_ROLE, Rule

PAGE_ACCESS: dict[str, Rule] = {
    "home": ANY_ROLE,
    "patients:detail": "patients.view_patient",  # the patient's page, in the patients' namespace
    # Audit: history of clinical records, the access log, a patient's whole record for an access request.
    "records:access_log": "meso_clinic.view_accesslogentry",
    "records:patient_export": "meso_clinic.export_patient",
    "records:patient_export_json": "meso_clinic.export_patient",
    # The manager's activity and safety reports and the CSV of each table (issue 16).
    "reports:index": "meso_clinic.view_reports",
    **{
        f"reports:csv_{table}": "meso_clinic.view_reports"
        for table in ("sessions", "courses", "no_shows", "side_effects", "outcomes")
    },
    **{
        f"records:history_{model}": "meso_clinic.view_history"
        for model in (
            "aftercare_reminder",
            "aftercare_sideeffectreport",
            "patients_eligibilityscreening",
            "patients_patient",
            "treatments_consent",
            "treatments_photoconsent",
            "treatments_course",
            "treatments_patchtest",
            "treatments_session",
            "treatments_sessionproduct",
            "treatments_areaphoto",
            "treatments_outcomescore",
        )
    },
}
