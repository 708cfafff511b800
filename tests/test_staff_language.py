"""Each staff member picks the language of the staff pages; it is theirs, in any browser."""

from meso_clinic.core.models import StaffPreference


def test_a_receptionist_switches_to_turkish_and_only_she_sees_it(client, reception, nurse):
    client.force_login(reception)
    page = client.get("/accounts/language/")
    assert page.status_code == 200 and b'<html lang="en"' in page.content

    response = client.post("/accounts/language/", {"language": "tr"}, follow=True)
    assert StaffPreference.objects.get(user=reception).language == "tr"
    assert b'<html lang="tr"' in response.content
    assert response["Content-Language"] == "tr"
    assert "Dil tercihiniz kaydedildi: Türkçe." in response.content.decode()  # said in the language chosen

    # Another browser, an English one: still Turkish for her.
    client.logout()
    client.force_login(reception)
    assert b'<html lang="tr"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content

    # Her colleague is not affected.
    client.force_login(nurse)
    assert b'<html lang="en"' in client.get("/").content


def test_without_a_choice_the_browser_language_decides(client, nurse):
    client.force_login(nurse)
    assert b'<html lang="tr"' in client.get("/", HTTP_ACCEPT_LANGUAGE="tr-TR,tr;q=0.9").content
    assert b'<html lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB").content


def test_an_unknown_language_is_refused_at_the_field_and_nothing_is_saved(client, reception):
    client.force_login(reception)
    response = client.post("/accounts/language/", {"language": "xx"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not StaffPreference.objects.filter(user=reception).exists()
