"""Screenshots of the main pages, for docs/screenshots/ (issue 8: layout on a tablet and on a phone).

It starts the app on demo data of its own: a throwaway SQLite database in a temporary folder, `migrate`,
`seed_demo`, then one session performed and two side-effect reports added with the app's services (so
that the aftercare pages have something to show), and `manage.py runserver` on a free port. Headless
Chromium (Debian's, through Playwright) signs in per role and takes the pages at 1024x768 (the front
desk's tablet) and the patient's report page, the dashboard and a patient page at 390x844 (a phone).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--only NAME ...]

Nothing outside the temporary folder and the output folder is touched (emails go to the temporary
folder); the server is stopped at the end, also on an error.
"""

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "meso-demo-2026"  # noqa: S105 - the published demo password (README); demo databases only
TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
MAX_BYTES = 300 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def demo_database(env: dict[str, str]) -> dict[str, str]:
    """Migrate and seed the throwaway database in this process; returns the paths of the pages to take."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meso_clinic.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.urls import reverse
    from django.utils import timezone

    from aftercare import services as aftercare_services
    from aftercare.links import report_token
    from aftercare.models import Reminder
    from patients.models import EligibilityScreening, Patient
    from treatments.models import Batch, PatchTest, Session
    from treatments.services import session_perform

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    patients = {p.given_name: p for p in Patient.objects.all()}
    # Zeynep (Turkish) has her session now: performed with a batch, so her emails and aftercare sheet exist.
    booked = Session.objects.get(patient=patients["Zeynep"], status=Session.Status.BOOKED)
    batch = Batch.objects.filter(product__in=booked.products.all(), lot_number="VC-2611-A").get()
    performed = session_perform(
        session=booked,
        performed_by=booked.supervising_physician,
        batches={batch.product_id: batch},
        health_unchanged=True,
        performed_at=timezone.now(),
    )
    sheet = Reminder.objects.get(session=performed, kind="aftercare_sheet")
    for effects, signs, severity, words in [
        (["redness", "swelling"], [], "mild", "A little red at the top of the cheek."),
        (["itching_burning"], ["fever"], "moderate", "38.1 this evening."),
    ]:
        aftercare_services.report_create(
            session=performed, reminder_id=sheet.pk, effects=effects, warning_signs=signs, severity=severity,
            description=words, notify=lambda pk: None,  # no email from a demo
        )
    report = performed.side_effect_reports.order_by("-escalated").first()
    # What beat and the worker would have done by now: the due emails sent (to .eml files in the temporary folder).
    aftercare_services.reminders_dispatch(
        enqueue=lambda pk, token, lease: aftercare_services.reminder_send(reminder_id=pk, token=token)
    )
    emma = Session.objects.get(patient=patients["Emma"], status=Session.Status.BOOKED)
    oliver = EligibilityScreening.objects.get(patient=patients["Oliver"])
    murat_test = PatchTest.objects.filter(patient=patients["Murat"]).first()
    paths = {
        "zeynep": reverse("patients:detail", args=[patients["Zeynep"].pk]),
        "intake": reverse("patients:intake", args=[patients["Sophie"].pk]),
        "intake_print": reverse("patients:intake_print", args=[patients["Sophie"].pk]),
        "consent": reverse("treatments:consent", args=[patients["Emma"].pk]),
        "book": reverse("treatments:session_book", args=[patients["Emma"].pk]),
        "patch_apply": reverse("treatments:patch_test_apply", args=[patients["Can"].pk]),
        "patch_test": reverse("treatments:patch_test", args=[murat_test.pk]),
        "screening": reverse("patients:screening", args=[oliver.pk]),
        "session_booked": reverse("treatments:session", args=[emma.pk]),
        "session_performed": reverse("treatments:session", args=[performed.pk]),
        "sheet": reverse("aftercare:sheet", args=[performed.pk]),
        "export": reverse("records:patient_export", args=[patients["Zeynep"].pk]),
        "report": reverse("aftercare:report_detail", args=[report.pk]),
        "patient_report": reverse(
            "aftercare:report", args=[report_token(session_id=performed.pk, reminder_id=sheet.pk)]
        ),
    }
    connections.close_all()
    return paths


@contextlib.contextmanager
def running_server(env: dict[str, str], port: int):
    log = open(Path(env["EMAIL_FILE_PATH"]).parent / "runserver.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)  # noqa: S310 - loopback
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"the server did not start: see {log.name}") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


class Shooter:
    def __init__(self, browser, base_url: str, out: Path, only: set[str], env: dict[str, str]) -> None:
        self.browser, self.base_url, self.out, self.only, self.env = browser, base_url, out, only, env
        self.taken: list[tuple[str, int]] = []

    def context(self, viewport: dict, *, phone: bool = False, locale: str = "en-GB"):
        context = self.browser.new_context(
            viewport=viewport, base_url=self.base_url, locale=locale, timezone_id="Europe/Istanbul",
            is_mobile=phone, has_touch=phone,
        )
        context.set_default_timeout(15_000)
        return context

    def sign_in(self, page, username: str, *, button: str = "Sign in") -> None:
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()
        if "/accounts/two-factor/verify/" in page.url:  # the physician and the manager have an authenticator
            page.locator("#id_code").fill(self.demo_code(username))
            page.locator("button.btn-primary[type=submit]").click()
            page.wait_for_load_state()
            if "/accounts/two-factor/" in page.url:
                raise SystemExit(f"{username}'s two-factor code was refused")

    def demo_code(self, username: str) -> str:
        """What the demo account's authenticator shows now (`manage.py demo_code`, published demo keys)."""
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "demo_code", username],
            cwd=ROOT, env={**os.environ, **self.env}, capture_output=True, text=True, check=True, timeout=60,
        )
        return done.stdout.strip()

    def shot(self, page, name: str, path: str | None = None, *, full_page: bool = True) -> None:
        if self.only and name not in self.only:
            return
        if path is not None:
            page.goto(path)
        page.wait_for_load_state("networkidle")
        target = self.out / f"{name}.png"
        page.screenshot(path=str(target), full_page=full_page, animations="disabled")
        size = target.stat().st_size
        self.taken.append((name, size))
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {size // 1024} KB")


def take_all(shooter: Shooter, paths: dict[str, str]) -> None:
    tablet = shooter.context(TABLET)
    page = tablet.new_page()
    shooter.shot(page, "tablet-01-sign-in", "/accounts/login/")

    shooter.sign_in(page, "reception")
    shooter.shot(page, "tablet-02-reception-dashboard", "/")
    shooter.shot(page, "tablet-03-patients", "/patients/")
    shooter.shot(page, "tablet-04-register-patient", "/patients/new/")
    shooter.shot(page, "tablet-05-patient", paths["zeynep"])
    shooter.shot(page, "tablet-06-intake-form", paths["intake"])
    shooter.shot(page, "tablet-07-intake-print", paths["intake_print"])
    shooter.shot(page, "tablet-08-calendar-week", "/treatments/calendar/?view=week")
    shooter.shot(page, "tablet-08b-calendar-week-rooms", "/treatments/calendar/?view=week&by=room")
    shooter.shot(page, "tablet-09-consent", paths["consent"])
    shooter.shot(page, "tablet-10-book-session", paths["book"])
    tablet.clear_cookies()

    shooter.sign_in(page, "nurse")
    shooter.shot(page, "tablet-11-patch-tests-to-read", "/treatments/patch-tests/")
    shooter.shot(page, "tablet-12-apply-patch-test", paths["patch_apply"])
    shooter.shot(page, "tablet-13-patch-test-too-early", paths["patch_test"])
    tablet.clear_cookies()

    shooter.sign_in(page, "physician")
    shooter.shot(page, "tablet-14-physician-dashboard", "/")
    shooter.shot(page, "tablet-15-review-queue", "/patients/reviews/")
    shooter.shot(page, "tablet-16-screening-review", paths["screening"])
    shooter.shot(page, "tablet-17-session-to-perform", paths["session_booked"])
    shooter.shot(page, "tablet-18-session-performed", paths["session_performed"])
    shooter.shot(page, "tablet-19-aftercare-sheet", paths["sheet"])
    shooter.shot(page, "tablet-20-side-effect-reports", "/aftercare/reports/")
    shooter.shot(page, "tablet-21-side-effect-report", paths["report"])
    shooter.shot(page, "tablet-22-emails", "/aftercare/delivery/")
    tablet.close()

    staff_phone = shooter.context(PHONE, phone=True)
    page = staff_phone.new_page()
    shooter.sign_in(page, "physician")
    shooter.shot(page, "phone-01-physician-dashboard", "/")
    shooter.shot(page, "phone-02-patient", paths["zeynep"])
    staff_phone.close()

    # A physician who works in Turkish prints Zeynep's record for her access request.
    turkish_tablet = shooter.context(TABLET, locale="tr-TR")
    page = turkish_tablet.new_page()
    page.set_extra_http_headers({"Accept-Language": "tr"})
    shooter.sign_in(page, "physician", button="Giriş yap")
    shooter.shot(page, "tablet-23-record-export-turkish", paths["export"], full_page=False)  # a long page: its top
    turkish_tablet.close()

    # The patient (Turkish) opens the link in her email on her phone, ticks itching and sends it.
    patient_phone = shooter.context(PHONE, phone=True, locale="tr-TR")
    page = patient_phone.new_page()
    shooter.shot(page, "phone-03-report-side-effect", paths["patient_report"])
    if not shooter.only or "phone-04-report-thanks" in shooter.only:
        page.get_by_label("Kaşıntı veya yanma").check()
        page.get_by_label("Hafif: fark ediliyor, pek rahatsız etmiyor").check()
        page.get_by_role("button", name="Bildirimimi gönder").tap()
        page.get_by_test_id("report-received").wait_for()
        shooter.shot(page, "phone-04-report-thanks")
    patient_phone.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", default=[], help="names of the screenshots to take (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="meso-screenshots-") as tmp:
        env = {
            "DEBUG": "true",  # seed_demo runs only with DEBUG on
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "EMAIL_FILE_PATH": f"{tmp}/mail",
            "REDIS_URL": "",
            "EMAIL_URL": "",
        }
        paths = demo_database(env)
        with running_server(env, free_port()) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--lang=en-GB"]
            )
            shooter = Shooter(browser, base_url, args.out, set(args.only), env)
            try:
                take_all(shooter, paths)
            finally:
                browser.close()
    too_big = [(name, size) for name, size in shooter.taken if size > MAX_BYTES]
    for name, size in too_big:
        print(f"too big: {name}.png is {size // 1024} KB (keep each under {MAX_BYTES // 1024} KB)", file=sys.stderr)
    print(f"{len(shooter.taken)} screenshots in {args.out}")
    return 1 if too_big else 0


if __name__ == "__main__":
    raise SystemExit(main())
