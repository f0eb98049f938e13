"""The referral batch in Finnish: the investor type and yes/no said the Finnish way, errors naming
the field by the match form's label, a Finnish template (headers, example row, named XLSX sheets
with numbers as numbers) that the importer reads back."""

from __future__ import annotations

import io
import re
import time

import pytest
from openpyxl import load_workbook

from api.web.common import table_rows
from api.web.pages_referrals import row_profile
from matcher.core.messages import with_municipality


def _results(client, csrf: str, body: str, filename: str = "b.csv") -> str:
    r = client.post("/referrals", data={"csrf": csrf}, files={"file": (filename, body.encode("utf-8-sig"), "text/csv")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[-1500:]
    for _ in range(200):
        page = client.get(r.headers["location"]).text
        if 'id="ref-results"' in page:
            return page
        time.sleep(0.05)
    raise AssertionError("the batch did not finish")


@pytest.mark.parametrize("word", ["strateginen", "Strateginen", "STRATEGIC", "strategic"])
def test_a_batch_reads_the_investor_type_in_finnish_or_as_its_code(word):
    values, errors = row_profile({"name": "Koivu Oy", "sector": "63.11", "investor_type": word}, "fi")
    assert errors == {} and values["investor_type"] == "strategic"
    values, errors = row_profile({"name": "Koivu Oy", "sector": "63.11", "investor_type": "Rahoitussijoittaja"}, "fi")
    assert errors == {} and values["investor_type"] == "financial"


def test_a_batch_refuses_an_unknown_investor_type_in_finnish_words_with_tai():
    _, errors = row_profile({"name": "Koivu Oy", "sector": "63.11", "investor_type": "ehkä"}, "fi")
    assert errors == {"investor_type": "arvo 'ehkä' ei käy: pitää olla strateginen tai rahoitussijoittaja"}
    _, errors = row_profile({"name": "Birch", "sector": "63.11", "investor_type": "maybe"}, "en")
    assert errors == {"investor_type": "must be strategic or financial, not 'maybe'"}


def test_a_batch_says_a_yes_no_cell_is_neither_in_natural_finnish():
    _, errors = row_profile({"name": "Koivu Oy", "sector": "63.11", "needs_rail": "ehkä"}, "fi")
    assert errors == {"needs_rail": "arvo 'ehkä' ei käy: pitää olla kyllä tai ei"}


def test_the_finnish_batch_page_names_each_refused_field_by_the_match_forms_label(signed_in):
    client, csrf = signed_in("referral_partner", lang="fi")
    page = _results(client, csrf, "code_name;name;sector;investor_type;investment_meur;needs_rail\n"
                                  "P1;Koivu Oy;63.11;strateginen;-5;ehkä\n"
                                  "P2;Kuusi Oy;63.11;strateginen;10;ei\n")
    assert page.count('href="/leads/') == 1  # 'strateginen' is accepted
    # the file's headers are codes: the Finnish label first, the column code after it to find the column
    assert "Investointi (M€) (investment_meur): pitää olla vähintään 0" in page
    assert "Tarvitsee raiteen (needs_rail): arvo &#39;ehkä&#39; ei käy: pitää olla kyllä tai ei" in page
    assert "ei kyllä eikä ei" not in page and "investment_meur: " not in page


def test_the_finnish_template_has_finnish_headers_and_an_example_row_the_importer_accepts(signed_in):
    client, csrf = signed_in("referral_partner", lang="fi")
    page = client.get("/referrals").text
    assert "green_power_share_min" not in page and "Vihreän sähkön vähimmäisosuus (%)" in page
    template = client.get("/referrals/template.csv").content
    rows = table_rows("t.csv", template)
    header = template.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:4] == ["Koodinimi", "Nimi", "Toimiala (TOL/NACE-koodi)", "Sijoittajan tyyppi"]
    assert not any("_" in h for h in header) and "strateginen" in rows[0].values()
    assert "Project Aurora" not in template.decode("utf-8-sig")
    values, errors = row_profile(rows[0], "fi")
    assert errors == {} and values["investor_type"] == "strategic" and values["skills"] == {"ict": 25}
    assert _results(client, csrf, template.decode("utf-8-sig")).count('href="/leads/') == 1


@pytest.mark.parametrize("lang, leads, results", [("fi", "Liidit", "Tulokset"), ("en", "Leads", "Results")])
def test_the_xlsx_template_and_results_have_named_sheets_and_numbers_as_numbers(signed_in, lang, leads, results):
    client, csrf = signed_in("referral_partner", lang=lang)
    wb = load_workbook(io.BytesIO(client.get("/referrals/template.xlsx").content))
    ws = wb.active
    assert ws.title == leads
    head = [c.value for c in ws[1]]
    row = dict(zip(head, (c.value for c in ws[2])))
    money = "Investointi (M€)" if lang == "fi" else "investment_meur"
    assert isinstance(row[money], (int, float)) and row[money] == 500
    rows = table_rows("t.xlsx", client.get("/referrals/template.xlsx").content)
    assert row_profile(rows[0], lang)[1] == {}
    r = client.post("/referrals", data={"csrf": csrf},
                    files={"file": ("t.xlsx", client.get("/referrals/template.xlsx").content, "application/octet-stream")},
                    follow_redirects=False)
    job = r.headers["location"]
    for _ in range(200):
        if 'id="ref-results"' in client.get(job).text:
            break
        time.sleep(0.05)
    assert load_workbook(io.BytesIO(client.get(job + "/results.xlsx").content)).active.title == results


def test_a_batch_with_finnish_headers_names_fields_without_codes_and_a_foreign_file_is_refused_in_finnish(signed_in):
    client, csrf = signed_in("referral_partner", lang="fi")
    page = _results(client, csrf, "Koodinimi;Nimi;Toimiala (TOL/NACE-koodi);Huipputehon tarve (MW)\n"
                                  "P1;Koivu Oy;63.11;-1\n")
    assert "Huipputehon tarve (MW): pitää olla vähintään 0" in page and "power_mw" not in page
    r = client.post("/referrals", data={"csrf": csrf}, files={"file": ("x.csv", "a;b\n1;2\n".encode(), "text/csv")})
    assert r.status_code == 422 and "”Nimi” ja ”Toimiala (TOL/NACE-koodi)”" in r.text


def test_the_must_column_takes_the_criteria_by_their_names_or_codes_and_refuses_others_in_finnish():
    from api.web.pages_referrals import NotAChoice, musts

    assert musts("power land") == ["power", "land"]
    assert musts("vapaa sähköverkon kapasiteetti; Maa-ala ja kerrosala") == ["power", "land"]
    assert musts("free grid capacity, water capacity") == ["power", "water"]
    with pytest.raises(NotAChoice) as err:
        musts("sähkö", "fi")
    assert "vapaa sähköverkon kapasiteetti" in err.value.words and "power" not in err.value.words


def test_the_finnish_results_download_says_what_the_page_says(signed_in):
    """The XLSX said 'ok' in English and gave the lead's number where the page says 'Tallennettu
    liidiksi' and the lead's code name; a site named for its municipality was followed by it again
    ('Woodpolis area …, Kuhmo (Kuhmo)'), walk 11."""
    client, csrf = signed_in("referral_partner", lang="fi")
    page = _results(client, csrf, "Koodinimi;Nimi;Toimiala (TOL/NACE-koodi);Työpaikat\n"
                                  "Projekti Tukki;Saha Oy;16.10;20\n"
                                  "Projekti Virhe;Akkutehdas;20.13;paljon\n")
    job = re.search(r'href="(/referrals/jobs/[^/"]+)/results\.xlsx"', page).group(1)  # type: ignore[union-attr]
    ws = load_workbook(io.BytesIO(client.get(job + "/results.xlsx").content)).active
    head, saved, refused = ([c.value for c in row] for row in ws.iter_rows())
    assert head == ["Rivi", "Nimi", "Tulos", "Parhaat kohteet", "Liidi"]
    assert saved[2] == "Tallennettu liidiksi" and "Tallennettu liidiksi" in page
    assert saved[4] == "Projekti Tukki" and ">Projekti Tukki</a>" in page
    assert refused[2].startswith("Työpaikat") and refused[4] is None and "ok" not in (saved[2], refused[2])
    assert "Woodpolis" in saved[3] and "Woodpolis" in page  # the sawmill's first site is named for Kuhmo
    assert not re.search(r", (\w+) \(\1\)", saved[3] + page), saved[3]
    # each best site says its score and whether it meets the stated needs, in Finnish (walk 11)
    assert re.match(r"1\. Woodpolis-alue .*\(pisteet 0,\d\d, (täyttää|vahvistamatta)\)", saved[3]), saved[3]


@pytest.mark.parametrize("name, municipality, said", [
    ("Woodpolis area (former Kantola industrial estate), Kuhmo", "Kuhmo", "Woodpolis area (former Kantola industrial estate), Kuhmo"),
    ("Kuhmo Oy sawmill", "Kuhmo", "Kuhmo Oy sawmill (Kuhmo)"),
    ("Pölkky sawmill, Kuhmo.", "kuhmo", "Pölkky sawmill, Kuhmo."),
    ("Vuokatti slopes, Sotkamo", "Kamo", "Vuokatti slopes, Sotkamo (Kamo)"),
])
def test_a_site_named_for_its_municipality_is_not_followed_by_it_again(name, municipality, said):
    assert with_municipality(name, municipality) == said
