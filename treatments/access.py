"""Who may open the treatments' pages (rules as in meso_clinic/core/access.py, which merges every app's table)."""

from meso_clinic.core.access import PUBLIC, Rule

PAGE_ACCESS: dict[str, Rule] = {
    "treatments:catalogue": "treatments.view_treatmentarea",
    "treatments:recall": ("treatments.view_batch", "treatments.view_session"),
    "treatments:day": "treatments.view_session",  # now a redirect to the calendar's day
    "treatments:calendar": "treatments.view_session",
    "treatments:calendar_book": "treatments.add_session",
    "treatments:patch_tests_to_read": "treatments.view_patchtest",
    "treatments:patch_test": "treatments.view_patchtest",
    "treatments:patch_test_read": "treatments.change_patchtest",
    "treatments:reaction_clear": "treatments.clear_patch_reaction",
    "treatments:patch_test_apply": "treatments.add_patchtest",
    "treatments:consent": "treatments.add_consent",
    "treatments:course_create": "treatments.add_course",
    "treatments:session_book": "treatments.add_session",
    "treatments:session": "treatments.view_session",
    "treatments:session_perform": "treatments.perform_session",
    "treatments:session_reschedule": "treatments.change_session",
    "treatments:session_cancel": "treatments.change_session",
    "treatments:session_check_in": "treatments.change_session",  # reception, nurse, physician
    "treatments:session_no_show": "treatments.change_session",
    "treatments:patient_sessions": ("patients.view_patient", "treatments.view_session"),
    # The patient's own consent pages: her link's token is the key (treatments/sign_views.py; issue 15).
    "treatments:consent_sign": PUBLIC,
    "treatments:photo_consent_sign": PUBLIC,
    "treatments:consent_print": "treatments.view_consent",
    # Photos of the treated area (issue 16): taken by the treatment room, seen by clinical staff.
    "treatments:session_photos": "treatments.add_areaphoto",
    "treatments:area_photo": "treatments.view_areaphoto",
    "treatments:area_photo_thumbnail": "treatments.view_areaphoto",
    "treatments:course_photos": "treatments.view_areaphoto",
    "treatments:course_photos_print": "treatments.view_areaphoto",
    # Outcome scores per course (issue 16): recorded by the treatment room (nurse, physician).
    "treatments:session_scores": "treatments.add_outcomescore",
    "treatments:course_scores": "treatments.add_outcomescore",
}
