"""The manager's reports on the tablet (1024x768, issue 16): the charts, the tables, the batch that stands out."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from aftercare.models import SideEffectReport
from tests.fixtures.a11y import axe_violations, describe
from tests.fixtures.browser import screenshot_path, sign_in
from tests.fixtures.staff import PASSWORD
from tests.fixtures.treatments import make_batch, product
from tests.test_reports import Data
from treatments.models import SessionProduct

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_reads_the_reports_on_a_tablet(page, manager, reception, physician):
    d = Data(reception=reception, physician=physician)
    course = d.course(d.skin)
    d.sessions(course, d.skin, ["2026-09-01", "2026-09-15", "2026-10-01"])
    d.sessions(course, d.skin, ["2026-10-15"], status="no_show")
    vitamins = product("Revitalising vitamin complex")
    for lot, (count, reported) in {"VC-MANY": (50, 8), "VC-CALM": (200, 2)}.items():
        batch = make_batch(vitamins, lot, dt.date(2027, 12, 31))
        sessions = d.sessions(None, d.hair, ["2026-10-02"] * count)
        SessionProduct.objects.bulk_create(SessionProduct(session=s, product=vitamins, batch=batch) for s in sessions)
        SideEffectReport.objects.bulk_create(
            SideEffectReport(session=s, severity="mild", effects=["redness"]) for s in sessions[:reported]
        )
    sign_in(page, manager.username, PASSWORD)
    page.goto("/reports/")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    effects = page.get_by_test_id("report-side_effects")
    expect(effects.get_by_role("row").filter(has_text="VC-MANY")).to_contain_text("stands out")
    expect(effects.get_by_role("row").filter(has_text="VC-CALM")).not_to_contain_text("stands out")
    page.screenshot(path=screenshot_path("reports-1"), full_page=False)
    effects.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("reports-2"), full_page=False)
    page.screenshot(path=screenshot_path("reports-full"), full_page=True)
    # The filter: September only; a date the wrong way round refused at the field.
    page.get_by_label("From").fill("2026-10-31")
    page.get_by_label("Until").fill("2026-10-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert").filter(has_text="The end date is before the start date.")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1024, f"the page scrolls sideways on the tablet: {width}px"
    assert not axe_violations(page), describe(axe_violations(page))
