"""A staff member is emailed, at her own address, when her password, two-factor devices, roles or address change
(issue 12): what changed, who changed it and when, and to tell the clinic if it was not her. Sent when the change
commits, one email per person per transaction."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction

from meso_clinic.core.roles import NURSE, PHYSICIAN, RECEPTION
from tests.fixtures.staff import PASSWORD, give_authenticator

NOT_YOU = "If this was not you, or you did not ask for it, tell the clinic at once"


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the test's own transaction never commits).

    The fixtures' accounts were made in this test's transaction too: what they left waiting for a commit is run
    first, as if they had been made the day before (else every later change would join their transaction, in
    which a new account gets no notice).
    """
    connection = transaction.get_connection()
    for _savepoints, callback, _robust in connection.run_on_commit:
        callback()
    connection.run_on_commit.clear()
    return lambda: django_capture_on_commit_callbacks(execute=True)


def with_email(user: User, address: str) -> User:
    User.objects.filter(pk=user.pk).update(email=address)
    user.refresh_from_db()
    return user


def root() -> User:
    user = User.objects.create_superuser("root", "root@example.com", "a-long-pass-2026")
    give_authenticator(user)
    return user


def test_her_own_password_change_is_confirmed_to_her(client, reception, mailoutbox, commits):
    reception = with_email(reception, "selin@example.com")
    client.force_login(reception)
    with commits():
        client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "a-new-longer-pass-42",
                                            "new_password2": "a-new-longer-pass-42"})
    [email] = mailoutbox
    assert email.to == ["selin@example.com"] and email.subject == "A change to your staff account · MesoClinic"
    assert "- Your password was changed." in email.body and "Changed by: you." in email.body
    assert NOT_YOU in email.body and "+90 212 555 0100" in email.body
    html = email.alternatives[0][0]
    assert "<li" in html and "Your password was changed." in html and "a-new-longer-pass-42" not in email.body + html


def test_a_reset_of_her_authenticator_by_the_manager_is_emailed_to_her(client, manager, physician, mailoutbox,
                                                                       commits):
    from meso_clinic.core import recovery_codes

    physician = with_email(physician, "mehmet@example.com")
    with commits():
        recovery_codes.make_new(user=physician)
    client.force_login(manager)
    with commits():
        client.post(f"/accounts/two-factor/staff/{physician.pk}/reset/")
    _codes_made, email = mailoutbox
    assert email.to == ["mehmet@example.com"]
    assert "- Two-factor sign-in: authenticator app removed." in email.body
    assert "- Two-factor sign-in: recovery codes removed." in email.body
    assert "Changed by: Elif (elif)." in email.body and NOT_YOU in email.body


def test_a_new_authenticator_and_new_recovery_codes_are_emailed(physician, mailoutbox, commits):
    from meso_clinic.core import recovery_codes

    physician = with_email(physician, "mehmet@example.com")
    with commits():
        device = physician.totpdevice_set.create(name="Authenticator app", confirmed=False)  # set-up begun
    assert mailoutbox == []  # not yet: an unconfirmed device signs nobody in
    with commits():
        device.confirmed = True
        device.save()
        recovery_codes.make_new(user=physician)
    with commits():
        recovery_codes.make_new(user=physician)
    first, second = mailoutbox
    assert "authenticator app set up" in first.body and "recovery codes set up" in first.body
    assert "recovery codes replaced (what you had before no longer works)" in second.body
    assert "a command on the clinic's server" in first.body  # no request, no task: a shell


def test_a_role_change_is_one_email_with_before_and_after(client, reception, mailoutbox, commits):
    """The admin's save removes and adds groups (two m2m signals) and changes the address: one email, which goes
    to the old address too (a changed address could otherwise hide every later notice)."""
    from tests.test_admin_accounts import change_form

    reception = with_email(reception, "selin@example.com")
    client.force_login(root())
    with commits():
        response = client.post(f"/admin/auth/user/{reception.pk}/change/",
                               change_form(reception, groups=[str(Group.objects.get(name=PHYSICIAN).pk)],
                                           email="selin.kaya@example.com"))
    assert response.status_code == 302
    [email] = mailoutbox
    assert sorted(email.to) == ["selin.kaya@example.com", "selin@example.com"]
    assert "- Your roles: before, Reception; now, Physician." in email.body
    assert "- Your email address was changed from selin@example.com to selin.kaya@example.com." in email.body
    assert "Changed by: root (root)." in email.body


def test_a_change_that_is_rolled_back_sends_nothing(reception, mailoutbox, commits):
    reception = with_email(reception, "selin@example.com")

    def add_the_nurse_role_then_fail():
        with transaction.atomic():
            reception.groups.add(Group.objects.get(name=NURSE))
            raise RuntimeError("the save failed")

    with commits():
        with pytest.raises(RuntimeError, match="the save failed"):
            add_the_nurse_role_then_fail()
        # A later change in the same request is still told, with the roles as they really were before it.
        reception.groups.add(Group.objects.get(name=PHYSICIAN))
    [email] = mailoutbox
    assert "before, Reception; now, Physician, Reception" in email.body and "Nurse" not in email.body


def test_a_hash_upgrade_at_sign_in_is_no_password_change(reception, mailoutbox, commits):
    reception = with_email(reception, "selin@example.com")
    with commits():
        reception.password = reception.password  # what check_password's rehash writes: no new password chosen
        reception.save(update_fields=["password"])
        reception.first_name = "Selin"
        reception.save()
    assert mailoutbox == []


def test_a_member_without_an_address_is_logged_not_an_error(reception, mailoutbox, commits, caplog):
    with commits():
        reception.groups.set([Group.objects.get(name=NURSE)])
    assert mailoutbox == [] and "no email address" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_notice_goes_at_once(mailoutbox):
    from meso_clinic.core.roles import sync_role_groups
    from tests.fixtures.staff import make_staff

    sync_role_groups()
    with transaction.atomic():
        nurse = make_staff("ayse", NURSE, email="ayse@example.com")
    assert mailoutbox == []  # a new account with its roles: her first email is the set-password link
    nurse.groups.add(Group.objects.get(name=RECEPTION))
    [email] = mailoutbox
    assert "before, Nurse; now, Nurse, Reception" in email.body


def test_a_notice_through_a_real_smtp_server(client, manager, physician, smtp_server, commits):
    physician = with_email(physician, "mehmet@example.com")
    client.force_login(manager)
    with commits():
        client.post(f"/accounts/two-factor/staff/{physician.pk}/reset/")
    [received] = smtp_server.handler.wait_for(1)
    assert received.rcpt_tos == ["mehmet@example.com"]
    assert received.message["Subject"] == "A change to your staff account · MesoClinic"
    assert received.message["Auto-Submitted"] == "auto-generated"
    text = received.message.get_body(("plain",)).get_content()
    html = received.message.get_body(("html",)).get_content()
    assert "authenticator app removed" in text and "Changed by: Elif (elif)." in text and NOT_YOU in html
