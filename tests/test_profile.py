import pytest

from matcher import ProfileError, parse_profile


@pytest.mark.parametrize("code", ["C", "63", "63.1", "63.11", "20.13", "35.11"])
def test_nace_codes_at_every_level_are_accepted(code):
    assert parse_profile({"name": "x", "sector": code}).sector == code


@pytest.mark.parametrize(
    "patch, field, words",
    [
        ({"sector": "63.7"}, "profile.sector", "unknown NACE"),
        ({"sector": "Z"}, "profile.sector", "unknown NACE"),
        ({"power_mw": -1}, "profile.power_mw", "greater than or equal to 0"),
        ({"green_power_share_min": 1.2}, "profile.green_power_share_min", "less than or equal to 1"),
        ({"weights": {"beauty": 1}}, "profile.weights.beauty", ""),
        ({"weights": {"power": -2}}, "profile.weights.power", "greater than or equal to 0"),
        ({"must": ["teleport"]}, "profile.must.0", ""),
        ({"skills": {"wizards": 3}}, "profile.skills.wizards", ""),
        ({"start_by": "2027-13"}, "profile.start_by", "YYYY-MM"),
        ({"colour": "red"}, "profile.colour", "unknown field"),
        ({"jobs": 10**9}, "profile.jobs", "less than or equal to"),
    ],
)
def test_bad_profile_is_refused_with_the_field_named(patch, field, words):
    with pytest.raises(ProfileError) as exc:
        parse_profile({"name": "x", "sector": "63.11", **patch})
    assert exc.value.field == field
    assert words in exc.value.reason


def test_missing_required_name_is_refused():
    with pytest.raises(ProfileError) as exc:
        parse_profile({"sector": "63.11"})
    assert exc.value.field == "profile.name"


def test_jobs_without_skills_count_as_general_workforce():
    assert parse_profile({"name": "x", "sector": "C", "jobs": 40}).headcount == {"general": 40}


def test_data_readme_column_reference_is_the_schema():
    from matcher.core.schema import columns_markdown

    from .conftest import ROOT

    assert columns_markdown() in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("patch, field, reason", [
    ({"power_mw": -1}, "power_mw", "pitää olla vähintään 0"),
    ({"green_power_share_min": 1.2}, "green_power_share_min", "saa olla enintään 1"),
    ({"land_ha": 1e6}, "land_ha", "saa olla enintään 100 000"),
    ({"weights": {"power": 2000}}, "weights.power", "saa olla enintään 1 000"),
])
def test_finnish_profile_bounds_are_written_the_finnish_way(patch, field, reason):
    """The bound of a refused profile value reads 0, 1 and 100 000 in Finnish, never 0.0 or 100000.0."""
    with pytest.raises(ProfileError) as exc:
        parse_profile({"name": "x", "sector": "63.11", **patch})
    assert exc.value.field == f"profile.{field}"
    assert exc.value.reason_in("fi").replace("\xa0", " ") == reason
