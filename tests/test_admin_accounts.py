"""The clinic manager keeps the staff accounts on the admin site: adds people and gives them roles. She cannot
raise anyone above that: not make an account a superuser or hand out single permissions, not change her own
roles (a manager who makes herself a physician could approve screenings), not touch a superuser's account."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from meso_clinic.core.roles import MANAGER, NURSE, PHYSICIAN
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD, give_authenticator, make_staff


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


def test_the_admin_site_is_not_the_managers_to_open_for_others(client, manager, reception):
    """Staff status (the admin site) goes with the Clinic manager role, which a superuser gives."""
    client.force_login(manager)
    assert 'name="is_staff"' not in client.get(f"/admin/auth/user/{reception.pk}/change/").content.decode()
    client.post(f"/admin/auth/user/{reception.pk}/change/", change_form(reception, is_staff="on"))
    reception.refresh_from_db()
    assert not reception.is_staff


def test_the_manager_cannot_give_herself_another_role(client, manager):
    physician = Group.objects.get(name=PHYSICIAN)
    client.force_login(manager)
    client.post(f"/admin/auth/user/{manager.pk}/change/",
                change_form(manager, groups=[str(g.pk) for g in manager.groups.all()] + [str(physician.pk)]))
    manager.refresh_from_db()
    assert list(manager.groups.values_list("name", flat=True)) == [MANAGER]
    assert not manager.has_perm("patients.decide_screening")


def test_the_manager_gives_a_colleague_a_role(client, manager, reception):
    nurse = Group.objects.get(name=NURSE)
    client.force_login(manager)
    response = client.post(f"/admin/auth/user/{reception.pk}/change/",
                           change_form(reception, groups=[str(nurse.pk)], last_name="Kaya"))
    assert response.status_code == 302, response.content.decode()[:2000]
    reception.refresh_from_db()
    assert list(reception.groups.values_list("name", flat=True)) == [NURSE] and reception.last_name == "Kaya"


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
    from meso_clinic.core.models import AccessLogEntry

    client.force_login(manager)
    # The Patients section may list the medicine names she keeps (issue 15), never the patients.
    index = client.get("/admin/").content.decode()
    assert "/admin/patients/patient/" not in index and "/admin/patients/medicinename/" in index
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


# --- Issue 12: clinical authority is not given by the person who would use it -----------------------------------
# Three routes by which a manager got a physician's powers were reproduced; each test below walks one of them
# as she would (the forms she posts, including fields her pages no longer offer) and failed before the fix.


def group(name: str) -> Group:
    return Group.objects.get(name=name)


def with_email(user: User, address: str) -> User:
    User.objects.filter(pk=user.pk).update(email=address)  # no notice: the address is the fixture's
    user.refresh_from_db()
    return user


def invite(**changes) -> dict:
    """The add form as posted: the manager's fields, and Django's password fields as a crafted POST has them."""
    data = {"username": "dr_new", "first_name": "Deniz", "last_name": "Kara", "email": "deniz@example.com",
            "usable_password": "true", "password1": "chosen-by-her-2026", "password2": "chosen-by-her-2026"}
    data.update(changes)
    return data


def authority_holders() -> set[str]:
    return {u.username for u in User.objects.all() if u.has_perm("patients.decide_screening")}


def test_route_1_a_manager_cannot_make_a_physician_account(client, manager, physician):
    """Route 1: a new account with the Physician role, a password she knows; then sign in as it and approve."""
    client.force_login(manager)
    response = client.post("/admin/auth/user/add/", invite(groups=[str(group(PHYSICIAN).pk)]))
    assert response.status_code == 200
    assert "Only a superuser can give the role Physician" in response.content.decode()
    # The old route: an account with a password, then the role on its change page.
    client.post("/admin/auth/user/add/", invite(groups=[]))
    made = User.objects.filter(username="dr_new").first()
    if made is not None:
        client.post(f"/admin/auth/user/{made.pk}/change/", change_form(made, groups=[str(group(PHYSICIAN).pk)]))
        made.refresh_from_db()
        assert not made.has_usable_password(), "the manager knows the password of an account she made"
    assert authority_holders() == {"dr_yilmaz"}


def test_route_2_a_manager_cannot_take_over_a_physicians_sign_in(client, manager, physician):
    """Route 2: set her password, reset her authenticator, sign in as her. The password is not the manager's to
    set (Django's password page answers 403); the link she may send goes to the physician's own address, which
    she cannot change; the reset is emailed to the physician."""
    physician = with_email(physician, "mehmet@example.com")
    client.force_login(manager)
    page = client.get(f"/admin/auth/user/{physician.pk}/change/").content.decode()
    assert f"/admin/auth/user/{physician.pk}/password/" not in page and 'name="password1"' not in page
    assert client.get(f"/admin/auth/user/{physician.pk}/password/").status_code == 403
    client.post(f"/admin/auth/user/{physician.pk}/password/",
                {"password1": "taken-over-2026", "password2": "taken-over-2026", "usable_password": "true"})
    client.post(f"/admin/auth/user/{physician.pk}/change/", change_form(physician, email="elif@example.com"))
    physician.refresh_from_db()
    assert physician.check_password(PASSWORD) and physician.email == "mehmet@example.com"


def test_route_3_a_manager_cannot_make_a_second_manager_to_raise_her(client, manager, reception):
    """Route 3: a second manager account, which gives the first the Physician role. The manager cannot give the
    Clinic manager role (new account or existing one); a second manager made by a superuser cannot give the
    first one the Physician role either."""
    client.force_login(manager)
    response = client.post("/admin/auth/user/add/", invite(username="elif2", groups=[str(group(MANAGER).pk)]))
    assert "Only a superuser can give the role Clinic manager" in response.content.decode()
    client.post(f"/admin/auth/user/{reception.pk}/change/", change_form(reception, groups=[str(group(MANAGER).pk)]))
    reception.refresh_from_db()
    assert list(reception.groups.values_list("name", flat=True)) == ["Reception"]
    assert not User.objects.filter(username="elif2", groups__name=MANAGER).exists()

    second = make_staff("elif2", MANAGER, is_staff=True, authenticator=True)  # as if a superuser made her
    client.force_login(second)
    response = client.post(f"/admin/auth/user/{manager.pk}/change/",
                           change_form(manager, groups=[str(group(MANAGER).pk), str(group(PHYSICIAN).pk)]))
    assert "Only a superuser can give the role Physician" in response.content.decode()
    assert authority_holders() == set()


def test_the_messages_about_several_roles_or_accounts_say_so(client, manager, reception, nurse):
    """ngettext: 'the role Physician' for one, 'the roles ...' for two; one link not sent, or several."""
    client.force_login(manager)
    response = client.post("/admin/auth/user/add/", invite(groups=[str(group(PHYSICIAN).pk), str(group(MANAGER).pk)]))
    page = response.content.decode()
    assert "Only a superuser can give the roles " in page and "Only a superuser can give the role " not in page
    assert "Physician" in page.split("can give the roles ")[1].split(".")[0]
    response = client.post("/admin/auth/user/", {"action": "send_set_password_links",
                                                  "_selected_action": [reception.pk, nurse.pk]}, follow=True)
    page = response.content.decode()
    assert "No links sent to ayse, selin: the accounts have no email address or are not active." in page
    response = client.post("/admin/auth/user/", {"action": "send_set_password_links",
                                                  "_selected_action": [reception.pk]}, follow=True)
    assert "No link sent to selin: the account has no email address or is not active." in response.content.decode()


def test_the_roles_a_manager_may_give_come_from_the_roles_table(manager):
    from django.contrib.auth.models import Permission

    from meso_clinic.core.roles import SUPERUSER_GRANTED_ROLES, grantable_groups

    assert {PHYSICIAN, MANAGER} == SUPERUSER_GRANTED_ROLES
    assert [g.name for g in grantable_groups(manager)] == [NURSE, "Reception"]
    # A role edited by hand to carry clinical authority is out of her reach until the next migrate resets it.
    group(NURSE).permissions.add(Permission.objects.get(codename="perform_session"))
    assert [g.name for g in grantable_groups(manager)] == ["Reception"]
    assert grantable_groups(superuser()).count() == Group.objects.count()


def test_the_managers_form_offers_only_the_roles_she_may_give_and_keeps_the_others(client, manager, physician):
    client.force_login(manager)
    page = client.get(f"/admin/auth/user/{physician.pk}/change/").content.decode()
    assert f'value="{group(NURSE).pk}"' in page and f'value="{group(PHYSICIAN).pk}"' not in page
    assert "This account also has: Physician (kept as it is)." in page
    # She renames him and gives him the Nurse role too: the Physician role stays (it was not on her form).
    response = client.post(f"/admin/auth/user/{physician.pk}/change/",
                           change_form(physician, groups=[str(group(NURSE).pk)], last_name="Yılmaz"))
    assert response.status_code == 302
    assert set(physician.groups.values_list("name", flat=True)) == {PHYSICIAN, NURSE}


def test_a_superuser_gives_the_physician_role(client, reception):
    client.force_login(superuser())
    response = client.post(f"/admin/auth/user/{reception.pk}/change/",
                           change_form(reception, groups=[str(group(PHYSICIAN).pk)]))
    assert response.status_code == 302
    assert reception.has_perm("patients.decide_screening")


# --- The set-password link -------------------------------------------------------------------------------------


def link_in(message) -> str:
    import re

    return re.search(r"http://\S+/accounts/set-password/\d+/\S+/", message.body).group(0)


def test_the_manager_adds_a_nurse_who_chooses_her_own_password(client, manager, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    client.force_login(manager)
    add_page = client.get("/admin/auth/user/add/").content.decode()
    assert 'name="password1"' not in add_page and 'name="email"' in add_page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/auth/user/add/", invite(username="deniz", groups=[str(group(NURSE).pk)]),
                               follow=True)
    assert "A set-password link was sent to deniz (deniz@example.com)." in response.content.decode()
    deniz = User.objects.get(username="deniz")
    assert not deniz.has_usable_password() and list(deniz.groups.values_list("name", flat=True)) == [NURSE]
    [email] = mailoutbox
    assert email.to == ["deniz@example.com"] and email.subject.startswith("Set your password")
    assert "Elif asked the clinic to send you this link" in email.body and "works once, for 3 days" in email.body
    assert "/accounts/set-password/" in email.alternatives[0][0]

    client.logout()
    url = link_in(email).removeprefix("http://127.0.0.1:8000")
    choose = client.get(url, follow=True)
    assert choose.status_code == 200 and "For your staff account" in choose.content.decode()
    assert url.split("/")[-2] not in choose.redirect_chain[-1][0]  # the token left the address bar
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(choose.redirect_chain[-1][0], {"new_password1": "her-own-pass-2026",
                                                           "new_password2": "her-own-pass-2026"}, follow=True)
    assert "Your password is set." in done.content.decode()
    deniz.refresh_from_db()
    assert deniz.check_password("her-own-pass-2026")
    notice = mailoutbox[-1]
    assert notice.to == ["deniz@example.com"] and "Your password was changed." in notice.body
    assert "someone with the set-password link sent to your address" in notice.body
    # Used once: the same link does not work again.
    assert "This link is not valid any more" in client.get(url, follow=True).content.decode()


def test_the_manager_sends_a_colleague_a_link_without_seeing_the_password(client, manager, physician, mailoutbox,
                                                                          django_capture_on_commit_callbacks):
    physician = with_email(physician, "mehmet@example.com")
    client.force_login(manager)
    page = client.get(f"/admin/auth/user/{physician.pk}/change/").content.decode()
    assert f"/admin/auth/user/{physician.pk}/set-password-link/" in page
    confirm = client.get(f"/admin/auth/user/{physician.pk}/set-password-link/").content.decode()
    assert "mehmet@example.com" in confirm and "keeps working until she uses it" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/auth/user/{physician.pk}/set-password-link/", follow=True)
    assert "A set-password link was sent to dr_yilmaz (mehmet@example.com)." in response.content.decode()
    [email] = mailoutbox
    assert email.to == ["mehmet@example.com"] and email.body.count("/accounts/set-password/") == 1
    assert link_in(email) not in response.content.decode()
    physician.refresh_from_db()
    assert physician.check_password(PASSWORD)  # nothing changes until he uses it

    # The list's action does the same, and skips an account without an address.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/auth/user/", {"action": "send_set_password_links",
                                                      "_selected_action": [physician.pk, manager.pk]}, follow=True)
    assert "No link sent to elif" in response.content.decode()
    assert [m.to for m in mailoutbox] == [["mehmet@example.com"]] * 2


def test_a_set_password_link_stops_working_when_the_password_changes(client, reception, mailoutbox):
    from meso_clinic.core.password_links import set_password_url

    url = set_password_url(reception).removeprefix("http://127.0.0.1:8000")
    reception.set_password("changed-meanwhile-2026")
    reception.save()
    assert "This link is not valid any more" in client.get(url, follow=True).content.decode()


def test_a_forged_set_password_link_is_refused_without_sign_in(client, reception):
    response = client.get(f"/accounts/set-password/{reception.pk}/forged-token/")
    assert response.status_code == 200 and "This link is not valid any more" in response.content.decode()
    assert 'name="new_password1"' not in response.content.decode()


@pytest.mark.browser
def test_the_manager_adds_a_nurse_in_the_browser_and_the_nurse_sets_her_password(page, manager, mailoutbox):
    """The manager's add page (no password), the person's page (the link instead of a password), and the page
    behind the link, in Chromium; screenshots in var/screenshots/ for a person to look at."""
    sign_in(page, "elif", PASSWORD)
    page.goto("/admin/auth/user/add/")
    assert page.get_by_label("Password").count() == 0
    page.get_by_label("Username").fill("deniz")
    page.get_by_label("First name").fill("Deniz")
    page.get_by_label("Last name").fill("Kara")
    page.get_by_label("Email address").fill("deniz@example.com")
    page.locator("#id_groups_from").select_option(label="Nurse")
    page.locator("#id_groups_add").click()
    page.screenshot(path=screenshot_path("admin-manager-add-user"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("A set-password link was sent to deniz (deniz@example.com).").wait_for()
    page.screenshot(path=screenshot_path("admin-manager-change-user"), full_page=True)
    assert page.get_by_role("link", name="Send a set-password link").is_visible()
    assert list(User.objects.get(username="deniz").groups.values_list("name", flat=True)) == [NURSE]

    link = next(m for m in mailoutbox if m.subject.startswith("Set your password"))
    page.context.clear_cookies()  # the nurse, on her own computer
    page.goto(link_in(link).replace("http://127.0.0.1:8000", ""))
    page.get_by_role("heading", name="Set your password").wait_for()
    page.screenshot(path=screenshot_path("set-password"), full_page=True)
    page.locator("#id_new_password1").fill("her-own-pass-2026")
    page.locator("#id_new_password2").fill("her-own-pass-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Set password").click()
    page.get_by_text("Your password is set.").wait_for()
    page.screenshot(path=screenshot_path("set-password-done"), full_page=True)
    sign_in(page, "deniz", "her-own-pass-2026")
    page.get_by_role("heading", name="Good day, Deniz").wait_for()
