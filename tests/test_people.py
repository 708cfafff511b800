"""Who may do what comes from permissions (the roles table gives them), and staff are named one way.

The booking form lists practitioners and supervising physicians by permission, and the booking service refuses
anyone else by the same permissions (treatments/selectors.py), so that a role's rights are written once:
in meso_clinic/core/roles.py.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.http import QueryDict

from meso_clinic.core.params import query_id
from meso_clinic.core.people import display_name, users_with_permission
from tests.fixtures.staff import make_staff
from tests.fixtures.treatments import DAY, NOW, VITAMINS, product, travel, wrinkles
from treatments.forms import SessionBookForm
from treatments.models import Session
from treatments.selectors import practitioners, supervising_physicians
from treatments.services import Refused, session_book


def test_a_person_is_named_by_full_name_else_username():
    assert display_name(SimpleNamespace(get_full_name=lambda: "Ayşe Demir", get_username=lambda: "ayse")) == (
        "Ayşe Demir"
    )
    assert display_name(SimpleNamespace(get_full_name=lambda: "", get_username=lambda: "ayse")) == "ayse"
    assert display_name(None) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("", None), ("abc", None), ("-1", None), ("+1", None), (" 1", None), ("٣", None),
     ("1_000", None), ("9" * 18, int("9" * 18)), ("9" * 19, None)],
)
def test_an_id_from_the_query_string_is_a_plain_number_or_nothing(raw, expected):
    assert query_id(QueryDict(f"after={raw}" if raw else ""), "after") == expected
    assert query_id({"after": raw}, "after") == expected


@pytest.mark.django_db
def test_practitioners_are_the_staff_who_may_treat_and_physicians_who_may_supervise(
    reception, nurse, physician, manager
):
    assert set(practitioners()) == {nurse, physician}
    assert set(supervising_physicians()) == {physician}
    # The lists follow the permission, not the group's name: a new role that treats is listed at once.
    locum = make_staff("locum", None, first_name="Locum")
    locum.user_permissions.add(Permission.objects.get(codename="add_patchtest", content_type__app_label="treatments"))
    assert set(practitioners()) == {nurse, physician, locum}
    assert list(users_with_permission("treatments.perform_session")) == [physician]
    form = SessionBookForm(patient=None)
    assert set(form.fields["practitioner"].queryset) == {nurse, physician, locum}
    assert set(form.fields["supervising_physician"].queryset) == {physician}


@pytest.mark.django_db
def test_an_inactive_account_is_not_offered(nurse, physician):
    nurse.is_active = False
    nurse.save()
    assert set(practitioners()) == {physician}


@pytest.mark.django_db
def test_the_booking_service_refuses_a_practitioner_the_form_would_not_list(patient, reception, physician):
    with travel(NOW), pytest.raises(Refused) as refusal:
        session_book(
            patient=patient,
            indication=wrinkles(),
            products=[product(VITAMINS)],
            technique=Session.Technique.GUN,
            practitioner=reception,
            supervising_physician=physician,
            scheduled_at=NOW + DAY,
            booked_by=reception,
        )
    assert refusal.value.errors["practitioner"] == ["The practitioner must be a nurse or a physician."]
    assert not Session.objects.exists()


def test_a_patients_emails_and_pages_are_in_her_language_or_english():
    from patients.models import Patient

    assert Patient(preferred_language="tr").language == "tr"
    assert Patient(preferred_language="en").language == "en"
    assert Patient(preferred_language="de").language == "en"  # a language the clinic does not write in
