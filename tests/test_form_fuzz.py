"""Random data posted to every page of the project, as a role that may use it: never a 500.

Each page is first opened (GET) to find its forms and their fields, so the random data has the
field names the page expects (plus stray ones), with values that are sometimes valid choices and
sometimes anything: empty, huge, NUL bytes, impossible dates, markup, numbers out of range.

25 posts a page by default; `FUZZ_EXAMPLES=150 pytest tests/test_form_fuzz.py` hunts longer (failures are
not stored between runs: the one a run finds is printed with its payload).
"""

import datetime as dt
import os
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meso_clinic.core.access import PUBLIC, page_access
from tests.fixtures.world import project_url_names

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "1899-12-31",
    "2026-11-23T25:61",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%s%s",
    "İıŞşĞğ",
    "x" * 5000,
    "on",
    "true",
    "[]",
    "{}",
]


class FormFields(HTMLParser):
    """The names (and offered values) of the fields of the page's POST forms that post to `target`."""

    def __init__(self, page_url: str, target: str):
        super().__init__()
        self.page_url, self.target = page_url, target
        self.fields: dict[str, set[str]] = {}
        self.kinds: dict[str, str] = {}
        self.files: set[str] = set()
        self._in_post_form = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_url
            self._in_post_form = (attrs.get("method") or "get").lower() == "post" and action == self.target
        if not self._in_post_form or tag not in {"input", "select", "textarea", "option"}:
            return
        if tag == "option" and self._select:
            self.fields[self._select].add(attrs.get("value") or "")
            return
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            return
        if tag == "input" and attrs.get("type") == "file":
            self.files.add(name)
            return
        values = self.fields.setdefault(name, set())
        kind = attrs.get("type", "text") if tag == "input" else tag
        if kind == "select" and "multiple" in attrs:
            kind = "multiple"
        elif kind == "text" and ("phone" in name or "tel" in name):
            kind = "tel"
        elif kind == "text" and "email" in name:
            kind = "email"
        self.kinds.setdefault(name, kind)
        if attrs.get("value"):
            values.add(attrs["value"])
        if tag == "select":
            self._select = name

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        if tag == "select":
            self._select = None


def fields_of(client: Client, url: str, pages: list[str]) -> FormFields:
    """The fields of the forms that post to `url`, on that page or on the record pages that hold them."""
    fields = FormFields(url, url)
    for page_url in [url, *pages]:
        page = client.get(page_url)
        assert page.status_code < 500, f"GET {page_url} answered {page.status_code}"
        if page.status_code == 200 and page.get("Content-Type", "").startswith("text/html"):
            fields.page_url = page_url
            fields.feed(page.content.decode(errors="replace"))
    return fields


def plausible(kind: str, offered: set[str]):
    """Values a user could well type into a field of this kind."""
    choices = sorted(value for value in offered if value)  # not the "choose one" placeholder
    if choices and kind in {"multiple", "checkbox"}:
        return st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique=True)
    if choices and kind in {"select", "radio"}:
        return st.sampled_from(choices)
    if kind == "date":
        return st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2035, 12, 31)).map(str)
    if kind == "datetime-local":
        moments = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31))  # noqa: DTZ001 (a naive form value)
        return moments.map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))
    if kind == "number":
        return st.integers(min_value=-5, max_value=400).map(str)
    if kind == "email":
        return st.emails().filter(lambda e: len(e) < 200)
    if kind == "tel":
        return st.from_regex(r"\+?[0-9 ]{7,18}", fullmatch=True)
    words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzçğıöşüİ ABCXYZ-'", min_size=1, max_size=30)
    return st.one_of(words.map(str.strip).filter(bool), st.text(max_size=80))


def value_strategy(kind: str, offered: set[str]):
    anything = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers().map(str))
    # Mostly plausible, so that whole forms often pass validation and reach the services.
    return st.one_of(plausible(kind, offered), plausible(kind, offered), plausible(kind, offered), anything)


def payload_strategy(form: FormFields):
    plain = {name: plausible(form.kinds.get(name, "text"), values) for name, values in form.fields.items()}
    mixed = {name: value_strategy(form.kinds.get(name, "text"), values) for name, values in form.fields.items()}
    files = {name: st.sampled_from(["png", "junk", "empty"]) for name in form.files}
    # Half the time a whole form a user could have filled in (it reaches the services); half the
    # time anything, with fields left out and a stray field.
    whole = st.fixed_dictionaries(plain, optional=files)
    missing = st.sets(st.sampled_from(sorted(mixed)), max_size=2) if mixed else st.just(set())
    stray = st.fixed_dictionaries({}, optional={"unexpected_field": st.sampled_from(NASTY)} | files)
    messy = st.tuples(st.fixed_dictionaries(mixed), missing, stray).map(
        lambda parts: {k: v for k, v in parts[0].items() if k not in parts[1]} | parts[2]
    )
    return st.one_of(whole, messy)


def upload(kind: str) -> SimpleUploadedFile:
    if kind == "png":  # a PNG signature with a body that is not an image
        return SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    if kind == "junk":
        return SimpleUploadedFile("photo.jpg", b"MZ\x90\x00not a photo", content_type="image/jpeg")
    return SimpleUploadedFile("empty.jpg", b"", content_type="image/jpeg")


# Pages without sign-in (the login page, the patients' link pages) are fuzzed as an anonymous visitor.
PUBLIC_PAGES = {name for name, rule in page_access().items() if rule == PUBLIC}


def url_for(name: str, params: list[str], world) -> str:
    kwargs = {}
    for param in params:
        kwargs[param] = world.token_for(name) if param == "token" else world.pk_for(name)
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params"), project_url_names(), ids=lambda v: v if isinstance(v, str) else "")
def test_random_posts_never_answer_500(name, params, world, reception, nurse, physician, manager):
    url = url_for(name, params, world)
    client = Client(raise_request_exception=False)
    if name not in PUBLIC_PAGES:
        # The first role that may use the page (GET answers, or a POST is not refused).
        for user in (reception, nurse, physician, manager):
            client.force_login(user)
            if client.get(url).status_code != 403 and client.post(url, {}).status_code != 403:
                break
        else:
            pytest.fail(f"{name}: no clinic role may use this page")
    form = fields_of(client, url, world.record_pages())

    @settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(payload=payload_strategy(form))
    def post_random(payload):
        data = {key: upload(value) if key in form.files else value for key, value in payload.items()}
        response = client.post(url, data)
        assert response.status_code < 500, f"POST {name} {payload!r} answered {response.status_code}"

    post_random()
