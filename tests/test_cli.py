import csv
import json

from matcher.cli import main

from .conftest import EXAMPLES, ROOT


def test_rank_json_has_the_fixed_contract(capsys):
    assert main(["rank", str(EXAMPLES[0]), "--format", "json", "--top", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"results", "model_version", "data_snapshot"}
    assert len(out["results"]) == 3
    assert set(out["results"][0]) >= {"rank", "candidate_id", "name", "municipality", "municipality_code",
                                      "score", "feasible", "blockers", "contributions", "reasons", "missing"}


def test_rank_table_is_readable(capsys):
    assert main(["rank", str(EXAMPLES[0]), "--scope", "finland", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "scope=finland" in out and "  1 " in out


def test_rank_table_in_finnish_has_finnish_headers_and_decimal_commas(capsys):
    assert main(["rank", str(ROOT / "examples" / "data_centre.json"), "--top", "3", "--lang", "fi"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["#", "id", "pisteet", "vaatimukset", "kunta", "nimi"]
    score = lines[2].split()[2]
    assert "," in score and "." not in score


def test_explain_in_finnish_names_the_criteria_in_finnish_and_still_adds_up(capsys):
    assert main(["explain", str(ROOT / "examples" / "data_centre.json"), "S01", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert "sija 1/" in out and "vaatimukset:" in out and "osaava työvoima" in out
    total = next(line for line in out.splitlines() if line.strip().startswith("yhteensä"))
    score = out.splitlines()[0].split("pisteet ")[1].split(", vaatimukset")[0]
    assert "," in score and total.split()[-1] == "+" + score  # 0,7211: the parts add up to the score


def test_whatif_and_advice_in_finnish(capsys):
    scenario = ROOT / "examples" / "scenarios" / "kajaani_s01_60mw.json"
    assert main(["whatif", "--scenario", str(scenario), "--lang", "fi"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("mitä jos:") and out[1].split()[:4] == ["profiili", "kohde", "sija", "pisteet"]
    assert "kyllä" in out[2] and "\xa0%" in out[2] and "," in out[2]  # 21,4 %: Babel's no-break space
    assert main(["advise", "S20", str(ROOT / "examples" / "data_centre.json"), "--target-rank", "1",
                 "--lang", "fi"]) == 0
    advice = capsys.readouterr().out
    assert "on nyt sijalla" in advice and "aseta " in advice and "-> sija 1" in advice


def test_sensitivity_and_sites_in_finnish(capsys):
    assert main(["sensitivity", str(ROOT / "examples" / "data_centre.json"), "--draws", "20", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert "painotusten arvontaa" in out and "pysyy sijalla 1:" in out and "\xa0%" in out
    assert main(["sites", "--lang", "fi"]) == 0
    assert "yrityspuisto" in capsys.readouterr().out


def test_bad_profile_exits_2_with_one_line_naming_the_field(tmp_path, capsys):
    p = tmp_path / "p.json"
    p.write_text(json.dumps({"name": "x", "sector": "63.11", "power_mw": -5}))
    assert main(["rank", str(p)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "power_mw" in err and "Traceback" not in err


def test_unreadable_profile_and_bad_options_exit_2(tmp_path, capsys):
    p = tmp_path / "p.json"
    p.write_text("{not json")
    assert main(["rank", str(p)]) == 2
    assert main(["rank", str(EXAMPLES[0]), "--top", "0"]) == 2
    assert main(["rank", str(EXAMPLES[0]), "--scope", "mars"]) == 2
    assert main(["explain", str(EXAMPLES[0]), "NOPE"]) == 2
    assert "NOPE" in capsys.readouterr().err


def test_explain_prints_contributions_that_sum(capsys):
    assert main(["explain", str(EXAMPLES[0]), "S01", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert abs(sum(c["contribution"] for c in out["contributions"]) - out["score"]) < 1e-12
    assert main(["explain", str(EXAMPLES[0]), "205"]) == 0  # a municipality (finland scope)


def test_sites_lists_all_bundled_sites(capsys):
    assert main(["sites", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    import csv
    assert len(out["sites"]) == len(list(csv.DictReader(open(ROOT / "data" / "sites.csv", encoding="utf-8"))))


def test_bundled_data_passes_validation(capsys):
    assert main(["validate-data"]) == 0


def test_validation_names_file_row_column_and_reason(data_copy, capsys):
    path = data_copy / "sites.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    rows[0]["grid_free_mw"] = "-3"
    rows[0]["grid_free_mw_source"] = "https://example.org/grid"
    k = next(i for i, r in enumerate(rows) if i > 4 and r["area_ha"])  # a row with a sourced area
    rows[k]["area_ha_source"] = ""
    rows[2]["site_id"] = rows[3]["site_id"]
    rows[4]["municipality_code"] = "999"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert main(["validate-data", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "sites.csv:2:grid_free_mw: -3 MW is below the allowed minimum 0" in out
    assert f"sites.csv:{k + 2}:area_ha_source: value has no source" in out
    assert "sites.csv:5:site_id: duplicate id 'S04'" in out
    assert "sites.csv:6:municipality_code: unknown municipality code '999'" in out


def test_as_of_sets_the_date_of_the_ranking_and_a_bad_date_is_refused(capsys, monkeypatch):
    import json as _json

    from .conftest import ROOT

    monkeypatch.delenv("KAINUU_AS_OF", raising=False)
    assert main(["--as-of", "2027-03-01", "rank", str(ROOT / "examples" / "data_centre.json"),
                 "--format", "json"]) == 0
    assert _json.loads(capsys.readouterr().out)["as_of"] == "2027-03-01"
    assert main(["--as-of", "2027-02-30", "rank", str(ROOT / "examples" / "data_centre.json")]) == 2
    err = capsys.readouterr().err
    assert "--as-of" in err and "\n" not in err.strip()


def test_a_negative_rank_count_is_told_the_allowed_range_like_zero(capsys):
    for argv in (["rank", str(EXAMPLES[0]), "--top", "-1"], ["sensitivity", str(EXAMPLES[0]), "--top", "-1"],
                 ["advise", "S01", str(EXAMPLES[0]), "--target-rank", "-1"], ["rank", str(EXAMPLES[0]), "--top", "0"]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert "must be a whole number from 1 to 500" in err and argv[-2] in err and "\n" not in err, err


def test_validate_data_of_a_missing_folder_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["validate-data", str(tmp_path / "nonexistent")]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.strip() == f"error: validate-data: no such folder: {tmp_path / 'nonexistent'}"
    (tmp_path / "file.csv").write_text("x")
    assert main(["validate-data", str(tmp_path / "file.csv")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_evaluate_refuses_an_unknown_decision_type_naming_it_and_the_allowed_ones(capsys):
    assert main(["evaluate", "--types", "bogus", "--no-tree"]) == 2
    err = capsys.readouterr().err.strip()
    assert "--types" in err and "'bogus'" in err and "final_investment_decision, land_purchase" in err
    assert "\n" not in err


def test_evaluate_refuses_a_type_that_leaves_no_case(data_copy, capsys):
    path = data_copy / "decisions.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(r for r in rows if r["decision_type"] != "permit_application")
    assert main(["--data", str(data_copy), "evaluate", "--types", "land_purchase,permit_application"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --types: no decision in decisions.csv is 'permit_application'") and "\n" not in err


def test_an_output_file_in_a_missing_folder_is_refused_and_no_folder_is_made(tmp_path, capsys):
    missing = tmp_path / "no" / "such"
    for flag, argv in (("--out", ["pitch", str(EXAMPLES[0]), "--out", str(missing / "brief.pdf")]),
                       ("--pdf", ["evenhandedness", "--pdf", str(missing / "report.pdf")])):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert err == f"error: {flag}: no such folder: {missing}"
        assert not (tmp_path / "no").exists()


def test_a_sqlite_database_in_a_missing_folder_is_refused_but_the_default_makes_its_folder(tmp_path, capsys,
                                                                                           monkeypatch):
    import api.storage
    from api.cli import engine

    missing = tmp_path / "missing" / "dir"
    assert main(["--database", f"sqlite:///{missing / 'x.db'}", "rank", str(EXAMPLES[0])]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: --database: no such folder for the SQLite file: {missing}"
    assert not (tmp_path / "missing").exists()
    default = f"sqlite:///{missing / 'kainuu.sqlite'}"
    monkeypatch.setattr(api.storage, "DEFAULT_URL", default)
    engine(default).dispose()  # the service's own default file: its folder is made, as before
    assert missing.is_dir()


def test_allocate_refuses_a_profile_folder_without_profiles(tmp_path, capsys):
    assert main(["allocate", "--profiles", str(tmp_path)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.strip() == f"error: --profiles: no profiles (*.json) in {tmp_path}"


def test_a_bad_profile_in_a_folder_is_named_by_its_file(tmp_path, capsys):
    (tmp_path / "good.json").write_text(json.dumps({"name": "x", "sector": "63.11"}))
    (tmp_path / "bad.json").write_text(json.dumps({"name": "x", "sector": "63.11", "power_mw": -5}))
    for command in (["allocate"], ["completeness"], ["investors", "S01"]):
        assert main([*command, "--profiles", str(tmp_path)]) == 2
        err = capsys.readouterr().err.strip()
        assert str(tmp_path / "bad.json") in err and "power_mw" in err and "\n" not in err, err


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly_with_141():
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([sys.executable, "-m", "matcher.cli", "rank", str(EXAMPLES[0]), "--top", "30"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()  # like `| head -1` done reading before the first line is written
    err = p.stderr.read().decode()
    p.stderr.close()
    assert p.wait(timeout=120) == 141 and err == ""  # 128 + SIGPIPE, as a shell reports for `cat`


def test_areas_in_finnish_blockers_and_facts_have_decimal_commas(capsys):
    assert main(["explain", str(ROOT / "examples" / "battery_chemicals.json"), "S24", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    land = next(b for b in out["blockers"] if b["criterion"] == "land")
    assert "≤ 4.65 ha" in land["en"] and "≤ 4,65 ha" in land["fi"] and "4.65" not in land["fi"]
    assert main(["explain", str(ROOT / "examples" / "battery_chemicals.json"), "S24", "--lang", "fi"]) == 0
    assert "≤ 4,65 ha, tarve 30 ha" in capsys.readouterr().out  # the weakest point's fact


def test_investors_and_similar_in_finnish_write_scores_and_distances_with_decimal_commas(capsys):
    assert main(["investors", "S30", "--lang", "fi", "--top", "3", "--format", "json"]) == 0
    score = json.loads(capsys.readouterr().out)["results"][0]["score"]
    assert main(["investors", "S30", "--lang", "fi", "--top", "3"]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    assert f"{score:.3f}".replace(".", ",") in row and f"{score:.3f}" not in row
    assert main(["similar", "S01", "--lang", "fi", "--top", "2"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  ")]
    distances = [line.split()[0] for line in rows]
    assert len(distances) == 4 and all("," in d and "." not in d for d in distances), distances


def test_sensitivity_in_finnish_names_its_weight_spread_in_finnish(capsys):
    assert main(["sensitivity", str(ROOT / "examples" / "data_centre.json"), "--draws", "20", "--lang", "fi"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    # Kainuu is ranked by the expert prior (no learned Kainuu model): its weights are drawn lognormally
    assert "lognormaalijakauma, sigma 0,5" in head and "malli expert-prior-1" in head, head
    assert main(["sensitivity", str(ROOT / "examples" / "data_centre.json"), "--draws", "20"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert "lognormal sigma 0.5" in head and "model expert-prior-1" in head, head


def test_completeness_in_finnish_has_a_finnish_header(capsys):
    assert main(["completeness", "--lang", "fi", "--limit", "3"]) == 0
    head = capsys.readouterr().out.splitlines()[0]
    assert head.startswith("tietojen täydennyslista 13 profiilille (suurin mahdollinen sijanousu ensin; aineisto ")


def test_completeness_leaves_out_gaps_that_win_no_rank_and_says_how_many(capsys):
    assert main(["completeness", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    zero = sum(x["worth_ranks"] == 0 for x in items)
    assert zero  # the bundled data has such gaps (a wind area for a data centre): they stay in the JSON
    assert main(["completeness", "--limit", "500"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + len(items) - zero + 1 and not any("up to 0 rank" in x for x in lines)
    assert lines[-1] == f"left out: {zero} missing value(s) that could win no rank"


def test_rank_table_explains_the_star_of_a_reserved_offering(capsys):
    for lang, legend in (("en", "* reserved for another project"), ("fi", "* varattu toiselle hankkeelle")):
        assert main(["rank", str(ROOT / "examples" / "data_centre.json"), "--top", "33", "--lang", lang]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert any(x.split()[3].endswith("*") for x in lines[2:] if x[:3].strip().isdigit())
        assert lines[-1].startswith(legend)
    assert main(["rank", str(ROOT / "examples" / "data_centre.json"), "--top", "1"]) == 0
    assert "* reserved" not in capsys.readouterr().out  # no starred row, no legend


def test_the_catalog_listing_shows_availability_and_cut_names_end_in_an_ellipsis(capsys):
    assert main(["sites", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    s01 = next(line for line in out.splitlines() if line.startswith("S01 "))
    assert "saatavilla" in s01 and s01.endswith("…")
    assert "vertailukohde" in next(line for line in out.splitlines() if line.startswith("S06 "))


def test_finnish_to_do_and_what_if_name_the_archetypes_in_finnish(capsys):
    assert main(["completeness", "--municipality", "765", "--lang", "fi"]) == 0
    out = capsys.readouterr().out
    assert "esimerkkiprofiili" in out and "(archetype)" not in out
    assert main(["whatif", "--scenario", str(ROOT / "examples" / "scenarios" / "kajaani_s01_60mw.json"), "--lang", "fi"]) == 0
    assert "Suuri datakeskus (esimerkkiprofiili)" in capsys.readouterr().out
