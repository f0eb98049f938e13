"""The coordinator's pages beyond one investor at a time, in real Chromium (the harness of
test_web_e2e: Debian's chromium through Playwright, nothing leaves the machine)."""

from __future__ import annotations

from .test_web_e2e import browser, open_as, pytestmark, server  # noqa: F401  (fixtures and skip marks)


def test_offering_page_shows_who_could_fit_in_english_and_finnish(open_as, server):  # noqa: F811
    page = open_as("coordinator")
    page.goto(server.url + "/offerings")
    page.get_by_role("link", name="KaiCell Fibers Paltamo pulp and bioproduct mill project", exact=False).click()
    page.wait_for_selector("#fit table.investors")
    rows = page.locator("#fit table.investors tbody tr")
    assert rows.count() == 10
    assert "KaiCell Fibers Oy" in rows.first.inner_text()
    assert "chose places like this" in rows.first.inner_text()
    fi = open_as("kajaani", lang="fi")
    fi.goto(server.url + "/offerings/S38")
    panel = fi.locator("#fit").inner_text()
    assert "Kenelle tämä sopisi" in panel and "esimerkkiprofiili" in panel
    assert fi.goto(server.url + "/offerings/S99").status == 404


def test_a_project_seeking_capital_shows_what_it_offers_with_sources(open_as, server):  # noqa: F811
    page = open_as("coordinator")
    page.goto(server.url + "/offerings/S30")
    deal = page.locator("#deal").inner_text()
    assert "a strategic investor (industrial operator)" in deal and "1,300" in deal
    assert page.locator("#deal a[href*='metsalehti.fi']").count() == 3
    assert "not stated in the sources" in deal  # offered stake and since when: no source says
    fi = open_as("coordinator", lang="fi")
    fi.goto(server.url + "/offerings/S30")
    assert "1 300" in fi.locator("#deal").inner_text().replace("\u00a0", " ").replace("\u202f", " ")


def test_coordinator_allocation_page_places_the_active_leads_in_both_languages(open_as, server):  # noqa: F811
    page = open_as("coordinator")
    page.goto(server.url + "/allocation")
    if page.locator("table.allocation tbody tr").count() < 2:  # fewer than two leads in this server's database
        import httpx

        for name in ("Alpha DC", "Beta DC"):
            r = httpx.post(server.url + "/api/v1/leads", headers={"X-API-Key": server.keys["coordinator"]},
                           json={"code_name": f"Project {name}",
                                 "profile": {"name": name, "sector": "63.11", "power_mw": 30}})
            assert r.status_code in (200, 201), r.text
        page.goto(server.url + "/allocation")
    rows = page.locator("table.allocation tbody tr")
    assert rows.count() >= 2
    assert "leads placed" in page.locator("#alloc-total").inner_text()
    fi = open_as("coordinator", lang="fi")
    fi.goto(server.url + "/allocation")
    assert "liidiä sijoitettu" in fi.locator("#alloc-total").inner_text()
    assert open_as("kajaani").goto(server.url + "/allocation").status == 403


def test_match_page_with_pipeline_keeps_the_flag_in_its_link(open_as, server):  # noqa: F811
    page = open_as("coordinator")
    page.goto(server.url + "/match?preset=metal_machinery&pipeline=true")
    page.wait_for_selector("ol.cards li.card")
    assert "pipeline=true" in page.content()


def test_evenhandedness_page_and_its_pdf(open_as, server):  # noqa: F811
    import io
    from pathlib import Path

    from pypdf import PdfReader

    page = open_as("kajaani", lang="fi")
    page.goto(server.url + "/evenhandedness")
    rows = page.locator("table.evenhandedness tbody tr")
    assert rows.count() == 8
    assert "Kolmen parhaan joukossa" in page.locator("table.evenhandedness thead").inner_text()
    with page.expect_download() as dl:
        page.get_by_role("link", name="PDF fi").click()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(dl.value.path()).read_bytes())).pages)
    assert "Kainuun kuntien tasapuolinen kohtelu" in text


def test_offering_page_shows_sites_and_municipalities_like_it(open_as, server):  # noqa: F811
    page = open_as("coordinator")
    page.goto(server.url + "/offerings/S01")
    assert page.locator("#similar table.similar-kainuu tbody tr").count() == 5
    assert page.locator("#similar table.similar-finland tbody tr").count() == 6  # Kajaani itself + 5
    fi = open_as("coordinator", lang="fi")
    fi.goto(server.url + "/offerings/S01")
    assert "Kunnat, jotka muistuttavat kuntaa Kajaani" in fi.locator("#similar").inner_text()
