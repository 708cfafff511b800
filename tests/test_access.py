"""Every page needs a signed-in user with the right role."""

import pytest
from django.urls import get_resolver, reverse

from meso_clinic.core.access import PUBLIC, SIGN_IN_STEP, SIGNED_IN, page_access
from tests.fixtures.pages import navbar_of
from tests.fixtures.staff import PASSWORD
from tests.fixtures.world import project_url_names

# The role x page matrix, written out by hand from docs/architecture.md ("Who uses it"): y = may
# open, . = refused (403). Columns: Reception, Nurse, Physician, Clinic manager. Every named URL of
# the project must have a row: a new page without one fails test_every_page_is_in_the_matrix.
MATRIX = """
home                              y y y y
logout                            y y y y
password_change                   y y y y
password_change_done              y y y y
language                          y y y y
two_factor                        y y y y
two_factor_verify                 y y y y
two_factor_recovery               y y y y
two_factor_recovery_codes         y y y y
two_factor_recovery_codes_new     y y y y
two_factor_enroll                 y y y y
two_factor_turn_off               y y y y
two_factor_staff                  . . . y
two_factor_staff_reset            . . . y
locked_accounts                   . . . y
locked_accounts_unlock            . . . y
records:access_log                . . . y
reports:index                     . . y y
reports:csv_sessions              . . y y
reports:csv_courses               . . y y
reports:csv_no_shows              . . y y
reports:csv_side_effects          . . y y
reports:csv_outcomes              . . y y
records:patient_export            . . y y
records:patient_export_json       . . y y
records:history_aftercare_reminder              . . y y
records:history_aftercare_sideeffectreport      . . y y
records:history_patients_eligibilityscreening   . . y y
records:history_patients_patient  . . y y
records:history_treatments_consent              . . y y
records:history_treatments_photoconsent         . . y y
records:history_treatments_course . . y y
records:history_treatments_patchtest            . . y y
records:history_treatments_session              . . y y
records:history_treatments_sessionproduct       . . y y
records:history_treatments_areaphoto            . . y y
records:history_treatments_outcomescore         . . y y
patients:list                     y y y y
patients:create                   y . . .
patients:detail                   y y y y
patients:edit                     y . y .
patients:intake                   y . y .
patients:intake_print             y . y .
patients:screening                y y y y
patients:decide                   . . y .
patients:review_queue             . . y .
patients:intake_send              y . y .
patients:intake_tablet            y . y .
treatments:catalogue              y y y y
treatments:recall                 y y y y
treatments:day                    y y y y
treatments:calendar               y y y y
treatments:calendar_book          y y y .
treatments:patch_tests_to_read    y y y y
treatments:patch_test             y y y y
treatments:patch_test_read        . y y .
treatments:reaction_clear         . . y .
treatments:patch_test_apply       . y y .
treatments:consent                y y y .
treatments:consent_print          y y y y
treatments:course_create          y . y .
treatments:session_book           y y y .
treatments:session                y y y y
treatments:session_perform        . . y .
treatments:session_reschedule     y y y .
treatments:session_cancel         y y y .
treatments:session_check_in       y y y .
treatments:session_no_show        y y y .
treatments:patient_sessions       y y y y
treatments:session_photos        . y y .
treatments:area_photo             . y y .
treatments:area_photo_thumbnail   . y y .
treatments:course_photos          . y y .
treatments:course_photos_print    . y y .
treatments:session_scores         . y y .
treatments:course_scores          . y y .
aftercare:delivery                y y y y
aftercare:patient_emails          y y y y
aftercare:sheet                   y y y y
aftercare:retry                   y . y y
aftercare:reports                 y y y y
aftercare:report_detail           y y y y
aftercare:report_photo            y y y y
"""
ROLE_COLUMNS = ("reception", "nurse", "physician", "manager")
EXPECTED = {
    row.split()[0]: dict(zip(ROLE_COLUMNS, (mark == "y" for mark in row.split()[1:]), strict=True))
    for row in MATRIX.strip().splitlines()
}
PUBLIC_PAGES = {name for name, rule in page_access().items() if rule == PUBLIC}
STAFF_PAGES = [(name, params) for name, params in project_url_names() if name not in PUBLIC_PAGES]
SAMPLE_KWARGS = {"pk": 1, "token": "not-a-signed-token", "number": 1}


def test_every_page_is_in_the_matrix_and_the_access_table():
    names = {name for name, _ in project_url_names()}
    assert names - PUBLIC_PAGES - set(EXPECTED) == set(), "pages without a row in MATRIX"
    assert names - set(page_access()) == set(), "pages without an entry in an access table (<app>/access.py)"
    assert set(EXPECTED) | PUBLIC_PAGES == names, "rows for pages that no longer exist"


def test_the_views_check_the_same_permission_as_the_table():
    """Each view's own permission_required (the second check) agrees with the access table."""
    checked = []
    for name, _ in project_url_names():
        match = get_resolver().resolve(reverse(name, kwargs={p: SAMPLE_KWARGS[p] for p in _}))
        view_class = getattr(match.func, "view_class", None)
        declared = getattr(view_class, "permission_required", None)
        if declared is None:
            continue
        checked.append(name)
        assert as_tuple(declared) == as_tuple(page_access()[name]), name
    # Nearly every staff view declares its permission: a change that drops them all must not pass unseen.
    assert len(checked) >= 30, checked


def as_tuple(rule: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return (rule,) if isinstance(rule, str) else tuple(rule)


@pytest.mark.parametrize(("name", "params"), STAFF_PAGES, ids=[name for name, _ in STAFF_PAGES])
def test_each_role_opens_exactly_the_pages_of_the_matrix(client, world, name, params, request):
    """As every role, on a real record: a 'y' page is served (or redirects), a '.' page answers 403.

    Actions that only take POST are tried with an empty POST: a refused role gets 403 before the
    form is even read; a permitted one gets the form's message or a redirect, never 403.
    """
    url = reverse(name, kwargs={p: world.token_for(name) if p == "token" else world.pk_for(name) for p in params})
    for role in ROLE_COLUMNS:
        client.force_login(request.getfixturevalue(role))
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        if EXPECTED[name][role]:
            assert response.status_code in (200, 302), f"{role} should open {name}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} must not open {name}: {response.status_code}"
            assert b"not part of your role" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), [(n, p) for n, p in STAFF_PAGES if "pk" in p])
def test_guessing_an_id_reveals_nothing_to_a_role_without_the_page(client, name, params, request):
    """A refused role gets 403 whether the record exists or not; a permitted one gets 404 for none."""
    url = reverse(name, kwargs={p: 987654 for p in params})
    for role in ROLE_COLUMNS:
        client.force_login(request.getfixturevalue(role))
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        assert response.status_code == (404 if EXPECTED[name][role] else 403), f"{role} on {name}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), STAFF_PAGES, ids=[name for name, _ in STAFF_PAGES])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, params):
    response = client.get(reverse(name, kwargs={p: SAMPLE_KWARGS[p] for p in params}))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("name", "params"), STAFF_PAGES, ids=[name for name, _ in STAFF_PAGES])
def test_an_account_without_a_clinic_role_is_refused(client, outsider, name, params):
    client.force_login(outsider)
    response = client.get(reverse(name, kwargs={p: SAMPLE_KWARGS[p] for p in params}))
    if page_access()[name] in (SIGNED_IN, SIGN_IN_STEP):
        assert response.status_code in (200, 302, 405)  # one's own account pages; the sign-in steps
    else:
        assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["aftercare:report", "aftercare:report_done", "aftercare:unsubscribe", "intake:start", "intake:summary",
     "intake:done"],
)
def test_patient_link_pages_refuse_a_forged_token_without_sign_in(client, name):
    response = client.get(reverse(name, args=["forged-token"]))
    assert response.status_code == 404
    assert b"not valid" in response.content


@pytest.mark.django_db
def test_admin_site_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_nurse_cannot_register_patients(client, nurse):
    client.force_login(nurse)
    assert client.get("/patients/").status_code == 200
    assert client.get("/patients/new/").status_code == 403
    assert client.post("/patients/new/", {"given_name": "X"}).status_code == 403


def test_only_staff_accounts_reach_the_admin_site(client, reception, manager):
    client.force_login(reception)
    assert client.get("/admin/").status_code == 302
    client.force_login(manager)
    assert client.get("/admin/").status_code == 200


def test_sign_in_and_sign_out(client, reception):
    response = client.post("/accounts/login/", {"username": "selin", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert b"Good day, Selin" in response.content

    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert client.get("/").status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, reception):
    response = client.post("/accounts/login/", {"username": "selin", "password": "wrong"})
    assert response.status_code == 200
    assert b"enter a correct username and password" in response.content
    assert b'value="selin"' in response.content  # what was typed stays


def test_sign_in_does_not_redirect_off_site(client, reception):
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": "selin", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_password_change(client, reception):
    client.force_login(reception)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a-new-longer-pass-42", "new_password2": "a-new-longer-pass-42"},
    )
    assert response["Location"] == "/accounts/password/done/"
    reception.refresh_from_db()
    assert reception.check_password("a-new-longer-pass-42")


def test_the_navigation_shows_each_role_what_it_may_use(client, reception, nurse, manager):
    client.force_login(reception)
    page = client.get("/patients/").content.decode()
    assert "Register a patient" in page and "Administration" not in page

    client.force_login(nurse)
    page = client.get("/patients/").content.decode()
    assert "Register a patient" not in page and 'href="/patients/">Patients</a>' in navbar_of(page)

    client.force_login(manager)
    assert "Administration" in client.get("/").content.decode()
