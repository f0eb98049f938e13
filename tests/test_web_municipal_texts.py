"""What a municipality reads on its site form and data to-do list: the fields' own labels, never the
template's column codes or sources.csv (those stay where columns are filled: the import page, the CLI)."""

from __future__ import annotations

import re

from matcher.core.schema import header_of

CODES = header_of("sites.csv")


def test_the_finnish_site_form_help_starts_with_no_column_code(signed_in):
    client, _ = signed_in("municipality", "205", lang="fi")
    form = client.get("/sites/S01/edit").text
    hints = re.findall(r'<small class="hint">(.*?)</small>', form, flags=re.S)
    assert len(hints) > 30 and "vapaa sähköverkon liittymäkapasiteetti kohteessa" in hints
    assert not [h for h in hints if "<code>" in h or any(h.strip().startswith(f"{c}:") for c in CODES)]
    assert "lähdetunnus" not in form and "sources.csv" not in form


def test_the_readiness_label_says_its_unit_once(signed_in):
    client, _ = signed_in("municipality", "205", lang="fi")
    form = client.get("/sites/S01/edit").text
    assert "Aika rakentamisen alkuun (kuukautta)" in form and "Kuukautta rakentamisen alkuun" not in form
    client.get("/lang/en?next=/")
    form = client.get("/sites/S01/edit").text
    assert "Time until construction can start (months)" in form and "Months until construction can start" not in form


def test_a_value_without_a_source_on_the_form_points_to_the_forms_source_field(signed_in):
    client, csrf = signed_in("municipality", "205", lang="fi")
    r = client.post("/sites/S17/edit", data={"csrf": csrf, "grid_free_mw": "45", "grid_free_mw_source": ""})
    assert r.status_code == 422
    error = re.search(r'id="e-grid_free_mw_source">([^<]*)<', r.text).group(1)  # type: ignore[union-attr]
    assert error == "arvolla ei ole lähdettä: lisää lähteen verkko-osoite kenttään ”lähde”"
    assert '<label for="f-grid_free_mw_source" class="sub">lähde (verkko-osoite)</label>' in r.text


def test_the_import_page_keeps_the_column_codes_a_spreadsheet_is_filled_by(signed_in):
    client, csrf = signed_in("municipality", "205", lang="fi")
    body = "site_id;grid_free_mw\nS17;45\n"
    r = client.post("/sites/import", data={"csrf": csrf}, files={"file": ("s.csv", body.encode(), "text/csv")})
    assert r.status_code == 422 and "grid_free_mw_source: arvolla ei ole lähdettä (täytä grid_free_mw_source" in r.text


def test_the_finnish_to_do_list_names_the_form_fields_to_fill_not_their_codes(signed_in):
    client, _ = signed_in("coordinator", lang="fi")
    page = client.get("/completeness").text
    tasks = re.findall(r"<td>(täydennä [^<]*)</td>", page)
    assert tasks and "täydennä ”Vapaa verkkokapasiteetti”" in page
    assert not [x for x in tasks if any(f"({c}" in x or f"{c})" in x for c in CODES)]
    # the API and the CLI (which fill columns) keep the codes
    todo = client.get("/api/v1/completeness", params={"municipality": "205"}).json()["items"]
    assert any("(grid_free_mw)" in x["fi"] for x in todo)


def test_a_to_do_list_whose_gaps_win_no_rank_says_so_and_counts_them(signed_in, monkeypatch):
    """A municipality whose sites miss values none of which would lift them for an archetype is not
    told 'nothing missing'. (Puolanka was such a case until its wind areas' points were found to be
    only the municipality's centre: their own location now wins ranks. Here every gap's worth is set
    to nothing, as for such a municipality.)"""
    import api.routes.whatif as api_whatif
    import api.web.pages_sites as pages_sites
    from matcher.municipal.completeness import completeness

    def none_worth(*a, **kw):  # type: ignore[no-untyped-def]
        out = completeness(*a, **kw)
        return {**out, "items": [{**x, "worth_ranks": 0, "helped": []} for x in out["items"]]}

    monkeypatch.setattr(pages_sites, "completeness", none_worth)
    monkeypatch.setattr(api_whatif, "completeness", none_worth)
    client, _ = signed_in("municipality", "620", lang="fi")
    gaps = client.get("/api/v1/completeness", params={"municipality": "620"}).json()["items"]
    assert gaps and not [x for x in gaps if x["worth_ranks"] > 0]
    page = client.get("/completeness").text
    assert "Ei puuttuvia tietoja." not in page
    assert ("Mikään puuttuva tieto ei nostaisi kohteitanne esimerkkiprofiilien järjestyksessä "
            f"(puuttuvia arvoja {len(gaps)}).") in page
