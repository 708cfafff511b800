"""Security headers on every page, no inline script or style in any page template, a clean `check --deploy`.

Every named URL of the project is walked (as in test_access.py: names, sample kwargs) as an anonymous
visitor and as a signed-in physician. Whatever the answer (a page, a redirect to sign in, a refusal,
a 404), it carries a Content-Security-Policy without 'unsafe-inline', a Permissions-Policy, the
Referrer-Policy and `Cache-Control: no-store` (static files excepted: they hold no patient data).
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from aftercare.links import report_token, unsubscribe_token
from tests.fixtures.aftercare import performed_session
from tests.fixtures.staff import PASSWORD

SAMPLE_KWARGS = {"pk": 1, "token": "not-a-signed-token", "number": 1}
ADMIN_PATHS = ["/admin/", "/admin/login/", "/admin/patients/patient/", "/admin/auth/user/"]
PERMISSIONS = {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"}
EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", list(entry.pattern.converters)


def every_url() -> list[str]:
    urls = [
        reverse(name, kwargs={p: SAMPLE_KWARGS[p] for p in params})
        for name, params in walk(get_resolver().url_patterns)
        if not name.startswith("admin:")
    ]
    return sorted(set(urls)) + ADMIN_PATHS


def csp_directives(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def assert_security_headers(response, *, no_store: bool = True) -> None:
    url = response.request["PATH_INFO"]
    assert "unsafe-inline" not in response.headers.get("Content-Security-Policy", "-"), url
    assert csp_directives(response) == EXPECTED_CSP, url
    permissions = {p.strip() for p in response.headers.get("Permissions-Policy", "").split(",")}
    assert permissions == PERMISSIONS, url
    assert response.headers.get("Referrer-Policy") == "same-origin", url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    if no_store:
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_the_walk_covers_the_clinic_and_the_patients_link_pages():
    urls = every_url()
    assert {"/", "/patients/", "/accounts/login/", "/r/not-a-signed-token/", "/unsubscribe/not-a-signed-token/"} <= set(
        urls
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", every_url())
def test_every_answer_to_an_anonymous_visitor_carries_the_headers(client, url):
    assert_security_headers(client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize("url", every_url())
def test_every_answer_to_a_signed_in_physician_carries_the_headers(client, physician, url):
    client.force_login(physician)
    response = client.get(url)
    assert_security_headers(response)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert b"<html" in response.content


def test_the_pages_of_a_signed_in_user_are_never_stored(client, physician, patient):
    client.force_login(physician)
    for url in ("/", "/patients/", f"/patients/{patient.pk}/", "/patients/reviews/", "/aftercare/reports/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)



def test_the_patients_link_pages_are_never_stored(client, patient, reception, nurse, physician):
    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    report = reverse("aftercare:report", args=[report_token(session_id=session.pk, reminder_id=None)])
    unsubscribe = reverse("aftercare:unsubscribe", args=[unsubscribe_token(patient_id=patient.pk)])
    for url, status in [(report, 200), (unsubscribe, 200), ("/r/forged-token/", 404), ("/unsubscribe/forged/", 404)]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_security_headers(response)
    assert "Report a side effect" in client.get(report).content.decode()


@pytest.mark.django_db
def test_static_files_may_be_cached(client):
    response = client.get("/static/css/clinic.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


# --- In Chromium: no page breaks the policy -----------------------------------------------------

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def watch_for_violations(page) -> list[str]:
    """CSP violations as Chromium reports them: console messages and securitypolicyviolation events."""
    found: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)  # injected by the browser, not subject to the page's CSP
    page.on("console", lambda message: found.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def violations_on(page, found: list[str]) -> list[str]:
    events = page.evaluate("window.__cspViolations || []")
    return [text for text in found if "Content Security Policy" in text] + events


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_run_in_chromium_without_a_csp_violation(
    chromium, live_server, page, reception, nurse, physician, patient, manager
):
    from playwright.sync_api import expect

    from tests.fixtures.browser import screenshot_path, sign_in

    found = watch_for_violations(page)
    sign_in(page, "selin", PASSWORD)
    expect(page.get_by_role("heading", name="Good day, Selin")).to_be_visible()
    assert violations_on(page, found) == [], "dashboard"
    # Bootstrap's bundle runs: the account menu opens.
    page.get_by_role("button", name="Selin").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(f"/patients/{patient.pk}/intake/")
    expect(page.get_by_role("heading", name="Intake questionnaire: Zeynep Arslan")).to_be_visible()
    # intake.js runs: follow-up questions are hidden until their question is answered "Yes".
    assert page.locator("[data-follow-up-of]").count() > 0
    expect(page.locator("[data-follow-up-of]").first).to_be_hidden()
    page.screenshot(path=screenshot_path("csp-intake-form"), full_page=True)
    assert violations_on(page, found) == [], "intake form"

    page.goto(f"/patients/{patient.pk}/intake/print/")
    assert violations_on(page, found) == [], "printable intake"

    session = performed_session(patient, reception=reception, nurse=nurse, physician=physician, now=timezone.now())
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        phone = context.new_page()
        on_phone = watch_for_violations(phone)
        phone.goto(reverse("aftercare:report", args=[report_token(session_id=session.pk, reminder_id=None)]))
        expect(phone.get_by_role("heading", name="Report a side effect")).to_be_visible()
        assert violations_on(phone, on_phone) == [], "report page"
        phone.screenshot(path=screenshot_path("csp-report-page"), full_page=True)
    finally:
        context.close()

    page.context.clear_cookies()
    sign_in(page, "elif", PASSWORD)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    assert violations_on(page, found) == [], "admin"

    # The watch works, and the policy is enforced: an inline script added now is refused and reported.
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true;";
        document.body.appendChild(script);
    }""")
    expect(page.locator("body")).to_be_visible()
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__inlineRan === undefined")
    assert any("script-src" in text for text in violations_on(page, found))


# --- Templates: nothing inline that the policy would block --------------------------------------

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"  # emails are not pages: no CSP applies
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
DATA_SCRIPT = re.compile(r"""\btype\s*=\s*["']?application/(ld\+)?json""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.IGNORECASE)


def inline_code(text: str) -> list[str]:
    """What in a template's text a CSP without 'unsafe-inline' would block."""
    problems = []
    for match in SCRIPT.finditer(text):
        attributes, body = match.groups()
        if body.strip() and not DATA_SCRIPT.search(attributes):
            problems.append(f"inline <script>: {body.strip()[:40]!r}")
    for tag in TAG.findall(text):
        if EVENT_HANDLER.search(tag):
            problems.append(f"event handler attribute: {tag[:60]!r}")
        if STYLE_ATTRIBUTE.search(tag):
            problems.append(f"style attribute: {tag[:60]!r}")
        if JAVASCRIPT_URL.search(tag):
            problems.append(f"javascript: URL: {tag[:60]!r}")
    if STYLE_ELEMENT.search(text):
        problems.append("inline <style> element")
    return problems


def page_templates() -> list[Path]:
    base = Path(settings.BASE_DIR).resolve()
    folders = [base / "templates"]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            folders.append(path / "templates")
    found = set()
    for folder in folders:
        for template in folder.rglob("*"):
            if template.is_file() and template.suffix in {".html", ".htm"} and not template.is_relative_to(EMAILS):
                found.add(template)
    return sorted(found)


def test_the_template_check_finds_inline_code():
    assert inline_code('<script src="/static/js/a.js"></script><script type="application/json">{"a": 1}</script>') == []
    assert inline_code('<a class="x" href="/">ok</a><p data-onclick="x">once = twice</p>') == []
    assert len(inline_code("<script>alert(1)</script>")) == 1
    assert len(inline_code('<button onclick="go()">Go</button>')) == 1
    assert len(inline_code('<div class="a" style="color: red">x</div>')) == 1
    assert len(inline_code("<style>p { color: red }</style>")) == 1
    assert len(inline_code('<a href="javascript:void(0)">x</a>')) == 1


def test_the_scan_reads_the_project_templates():
    names = {str(t.relative_to(settings.BASE_DIR)) for t in page_templates()}
    assert {"templates/base.html", "templates/500.html", "templates/aftercare/report.html"} <= names
    assert not any(name.startswith("templates/emails/") for name in names)


def test_no_page_template_has_inline_script_or_style():
    problems = {
        str(template.relative_to(settings.BASE_DIR)): found
        for template in page_templates()
        if (found := inline_code(template.read_text(encoding="utf-8")))
    }
    assert problems == {}


# --- check --deploy with production settings ----------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    env = {
        # Only what a production process would have: not the test run's own variables.
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DJANGO_SETTINGS_MODULE": "meso_clinic.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "clinic.example",
        "CSRF_TRUSTED_ORIGINS": "https://clinic.example",
        # check --deploy does not connect to the database.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false", "ALLOWED_HOSTS": "clinic.example"}, "DEBUG is off: set SECRET_KEY"),
        ({"ALLOWED_HOSTS": "clinic.example", "SECRET_KEY": "x" * 60}, "DEBUG is on while serving other hosts"),
    ],
    ids=["no-secret-key", "debug-left-on"],
)
def test_a_production_start_without_its_key_or_with_debug_on_is_refused(env, message):
    """Fail closed: the published development key would let anyone forge patients' links; DEBUG's error
    pages show patient data."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""),
            "DJANGO_SETTINGS_MODULE": "meso_clinic.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=base | env, capture_output=True,
        text=True, timeout=120,
    )
    assert result.returncode != 0 and message in result.stderr
