import email

from django.core.mail import send_mail


def test_development_emails_are_readable_eml_files(settings, tmp_path):
    settings.EMAIL_BACKEND = "meso_clinic.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    send_mail("Aftercare", "Do not touch water to the area.", "clinic@example.com", ["p@example.com"])
    send_mail("Check-in", "How are you?", "clinic@example.com", ["p@example.com"])
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 2
    subjects = {email.message_from_bytes(f.read_bytes())["Subject"] for f in files}
    assert subjects == {"Aftercare", "Check-in"}
