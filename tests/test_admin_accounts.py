"""The clinic manager keeps the staff accounts on the admin site: adds people and gives them roles. She cannot
raise anyone above that: not make an account a superuser or hand out single permissions, not change her own
roles (a manager who makes herself a physician could approve screenings), not touch a superuser's account."""

import datetime as dt

from django.contrib.auth.models import Group, User
from django.utils import timezone

from meso_clinic.roles import MANAGER, PHYSICIAN
from tests.fixtures.staff import give_authenticator


def superuser() -> User:
    root = User.objects.create_superuser("root", "root@example.com", "a-long-pass-2026")
    give_authenticator(root)  # the admin site asks a superuser for a code too
    return root


def change_form(user: User, **changes) -> dict:
    """The admin's change form for `user`, as the browser posts it (all fields the admin offers)."""
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "is_staff": "on" if user.is_staff else "",
        "groups": [str(g.pk) for g in user.groups.all()],
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_manager_cannot_make_herself_a_superuser_or_hand_out_permissions(client, manager):
    client.force_login(manager)
    page = client.get(f"/admin/auth/user/{manager.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    escalate = change_form(manager, is_superuser="on", user_permissions=["1"])
    client.post(f"/admin/auth/user/{manager.pk}/change/", escalate)
    manager.refresh_from_db()
    assert not manager.is_superuser and not manager.user_permissions.exists()


def test_the_manager_cannot_give_herself_another_role(client, manager):
    physician = Group.objects.get(name=PHYSICIAN)
    client.force_login(manager)
    client.post(f"/admin/auth/user/{manager.pk}/change/",
                change_form(manager, groups=[str(g.pk) for g in manager.groups.all()] + [str(physician.pk)]))
    manager.refresh_from_db()
    assert list(manager.groups.values_list("name", flat=True)) == [MANAGER]
    assert not manager.has_perm("patients.decide_screening")


def test_the_manager_gives_a_colleague_a_role(client, manager, reception):
    physician = Group.objects.get(name=PHYSICIAN)
    client.force_login(manager)
    response = client.post(f"/admin/auth/user/{reception.pk}/change/",
                           change_form(reception, groups=[str(physician.pk)], last_name="Kaya"))
    assert response.status_code == 302, response.content.decode()[:2000]
    reception.refresh_from_db()
    assert list(reception.groups.values_list("name", flat=True)) == [PHYSICIAN] and reception.last_name == "Kaya"


def test_the_manager_cannot_change_a_superusers_account(client, manager):
    root = superuser()
    client.force_login(manager)
    page = client.get(f"/admin/auth/user/{root.pk}/change/").content.decode()  # she may see it, read-only
    assert 'name="username"' not in page and 'name="_save"' not in page
    client.post(f"/admin/auth/user/{root.pk}/change/", change_form(root, email="elif@example.com"))
    assert client.get(f"/admin/auth/user/{root.pk}/password/").status_code == 403
    taken_over = {"password1": "taken-over-2026", "password2": "taken-over-2026"}
    client.post(f"/admin/auth/user/{root.pk}/password/", taken_over)
    root.refresh_from_db()
    assert root.check_password("a-long-pass-2026") and root.email == "root@example.com"


def test_a_superuser_still_has_the_whole_form(client, manager):
    client.force_login(superuser())
    page = client.get(f"/admin/auth/user/{manager.pk}/change/").content.decode()
    assert 'name="is_superuser"' in page and 'name="user_permissions"' in page


def test_the_catalogue_on_the_admin_site_speaks_the_managers_language(client, manager):
    """The manager keeps the catalogue on the admin site: its records and fields are in Turkish for her too."""
    client.force_login(manager)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "tr"
    page = client.get("/admin/treatments/product/add/").content.decode()
    for words in ["Yama testi gerekli", "Etikette olduğu gibi, her satıra bir bileşen.", "Bileşenler", "Tedaviler"]:
        assert words in page, words
    index = client.get("/admin/").content.decode()
    for words in ["MesoClinic yönetimi", "Bakım planları", "E-posta metinleri", "Tedavi alanları", "Onam metinleri",
                  "Seriler"]:
        assert words in index, words
    assert "Reminder messages" not in index and "Treatment areas" not in index


def test_patients_are_not_on_the_managers_admin_site(client, manager, patient):
    """Its search would put names and phone numbers in URLs and its pages are not in the access log: staff
    use the patient pages. A superuser may correct a record there; the opening is logged."""
    from meso_clinic.models import AccessLogEntry

    client.force_login(manager)
    assert "/admin/patients/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/patients/patient/?q=Arslan").status_code == 403
    assert client.get(f"/admin/patients/patient/{patient.pk}/change/").status_code == 403
    root = superuser()
    client.force_login(root)
    assert client.get(f"/admin/patients/patient/{patient.pk}/change/").status_code == 200
    assert AccessLogEntry.objects.filter(user=root, patient=patient).exists()


def test_a_batch_used_in_a_session_cannot_be_rewritten(client, manager, patient, reception, nurse, physician):
    """Found in a security review: changing a used batch's lot number silently changed past treatment records
    and dropped its patients from a recall."""
    from tests.fixtures.aftercare import performed_session
    from treatments.models import Batch

    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician,
                                now=timezone.now() - dt.timedelta(days=1))
    used = session.session_products.get().batch
    spare = Batch.objects.create(product=used.product, lot_number="SPARE-1", expiry_date=dt.date(2028, 1, 1))
    client.force_login(manager)
    page = client.get(f"/admin/treatments/batch/{used.pk}/change/").content.decode()
    assert 'name="lot_number"' not in page
    client.post(f"/admin/treatments/batch/{used.pk}/change/",
                {"product": used.product_id, "lot_number": "REWRITTEN", "expiry_date": "2030-01-01",
                 "received_on": "2026-01-01"})
    used.refresh_from_db()
    assert used.lot_number != "REWRITTEN" and used.expiry_date != dt.date(2030, 1, 1)
    assert 'name="lot_number"' in client.get(f"/admin/treatments/batch/{spare.pk}/change/").content.decode()
