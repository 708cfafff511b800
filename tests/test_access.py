"""Every page needs a signed-in user with the right role."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.fixtures.staff import PASSWORD

SAMPLE_KWARGS = {"pk": 1, "token": "not-a-signed-token"}
# Pages without sign-in: the login page, and the patients' pages behind signed links in emails.
PUBLIC = {"login", "aftercare:report", "aftercare:report_done", "aftercare:unsubscribe"}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", list(entry.pattern.converters)


def project_urls():
    urls = []
    for name, params in walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name in PUBLIC:
            continue
        urls.append(reverse(name, kwargs={p: SAMPLE_KWARGS[p] for p in params}))
    return urls


def test_the_walk_finds_the_clinic_pages():
    urls = project_urls()
    assert "/" in urls and "/patients/" in urls and "/patients/new/" in urls


@pytest.mark.django_db
@pytest.mark.parametrize("url", project_urls())
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["aftercare:report", "aftercare:report_done", "aftercare:unsubscribe"])
def test_patient_link_pages_refuse_a_forged_token_without_sign_in(client, name):
    response = client.get(reverse(name, args=["forged-token"]))
    assert response.status_code == 404
    assert b"not valid" in response.content


@pytest.mark.django_db
def test_admin_site_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("url", ["/", "/patients/", "/patients/new/", "/accounts/password/"])
def test_an_account_without_a_clinic_role_is_refused(client, outsider, url):
    client.force_login(outsider)
    response = client.get(url)
    if url == "/accounts/password/":
        # Anyone signed in may change their own password.
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"not part of your role" in response.content


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
    assert "Register a patient" not in page and ">Patients<" in page

    client.force_login(manager)
    assert "Administration" in client.get("/").content.decode()
