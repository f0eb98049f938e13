"""The investor profile: the input contract shared by the CLI, the API and outside tools."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from . import nace
from .criteria import CRITERION_NAMES
from .messages import CATALOGUE, say
from .schema import no_control_chars
from .skills import SkillName

CriterionName = Literal[CRITERION_NAMES]  # type: ignore[valid-type]  # from the one criteria table
NonNeg = Annotated[float, Field(ge=0)]
# Strict: a number is a number (true is not 1, "10" is not 10), a flag is true or false.
Number = Annotated[float, Strict()]
Whole = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]

# Reasons raised by this module's own checks: worded once, in the message catalogue (both languages).
NACE_UNKNOWN = CATALOGUE["err.nace_unknown"]["en"]
MONTH_FORMAT = CATALOGUE["err.month_format"]["en"]


class InvestorProfile(BaseModel):
    """What an investor needs. Unknown needs are left out, never guessed."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: Annotated[str, AfterValidator(no_control_chars)] = Field(
        min_length=1, max_length=200, description="The investor or project, as the brief should call it",
        examples=["Nordic battery-materials plant"])
    sector: str = Field(min_length=1, max_length=5,
                        description="NACE Rev. 2 code of the activity (section letter, division, group or class)",
                        examples=["20.13"])
    investor_type: Literal["strategic", "financial"] | None = Field(
        default=None, description="strategic (an industrial operator) or financial (a capital investor)",
        examples=["strategic"])
    investment_meur: Number | None = Field(default=None, ge=0, le=100_000, description="Planned investment, MEUR",
                                           examples=[250])
    jobs: Whole | None = Field(default=None, ge=0, le=100_000, description="Jobs the project creates (not headcount)",
                               examples=[120])
    power_mw: Number | None = Field(default=None, ge=0, le=5_000,
                                    description="Grid connection needed, MW (a hard need when given)", examples=[40])
    energy_gwh_per_year: Number | None = Field(default=None, ge=0, le=50_000,
                                               description="Yearly electricity use, GWh", examples=[300])
    green_power_share_min: Number | None = Field(
        default=None, ge=0, le=1, description="Least share of renewable power by contract, 0–1", examples=[0.9])
    land_ha: Number | None = Field(default=None, ge=0, le=100_000, description="Land needed, hectares",
                                   examples=[20])
    floor_area_m2: Number | None = Field(default=None, ge=0, le=10_000_000,
                                         description="Floor area needed (premises), m²", examples=[8000])
    water_m3_per_day: Number | None = Field(default=None, ge=0, le=10_000_000,
                                            description="Process water needed, m³ per day", examples=[2000])
    needs_rail: Flag | None = Field(default=None, description="A rail siding is needed at the site",
                                    examples=[True])
    waste_heat_mw: Number | None = Field(default=None, ge=0, le=5_000,
                                         description="Waste heat the project can sell, MW", examples=[15])
    skills: dict[SkillName, Annotated[Whole, Field(ge=0, le=100_000)]] | None = Field(
        default=None, max_length=10, description="Workers needed per skill family",
        examples=[{"process_operators": 80, "engineers": 15}]
    )
    start_by: str | None = Field(default=None, description="When construction should start, YYYY-MM",
                                 examples=["2028-06"])
    weights: dict[CriterionName, Annotated[Number, Field(ge=0, le=1_000)]] | None = Field(
        default=None, max_length=14, description="The investor's own weight for some criteria (replaces the model's)",
        examples=[{"power": 0.3, "green_power": 0.2}]
    )
    must: list[CriterionName] | None = Field(default=None, max_length=14,
                                             description="Criteria that must be met (hard needs)",
                                             examples=[["power", "green_power"]])

    @field_validator("sector")
    @classmethod
    def _known_nace(cls, v: str) -> str:
        if not nace.is_valid(v):
            raise PydanticCustomError("nace_unknown", NACE_UNKNOWN, {"code": repr(v)})
        return v

    @field_validator("start_by")
    @classmethod
    def _year_month(cls, v: str | None) -> str | None:
        if v is None:
            return v
        m = re.fullmatch(r"(\d{4})-(\d{2})", v)
        if not m or not (1 <= int(m.group(2)) <= 12) or not (2000 <= int(m.group(1)) <= 2100):
            raise PydanticCustomError("month_format", MONTH_FORMAT)
        return v

    @property
    def headcount(self) -> dict[str, int]:
        """Headcount per skill family; plain ``jobs`` counts as the general family."""
        if self.skills:
            return {k: v for k, v in self.skills.items() if v > 0}
        if self.jobs:
            return {"general": self.jobs}
        return {}


class ProfileError(ValueError):
    """Bad input: ``field`` names where, the message says why."""

    def __init__(self, field: str, reason: str, error: Mapping[str, Any] | None = None):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.error = error  # the pydantic error it came from, so the reason can be said in Finnish too

    def reason_in(self, lang: str) -> str:
        if self.error is not None:
            return field_and_reason(self.error, lang)[1]
        return say(self.reason, lang)  # a Reason of the schema (a what-if's value) is said in ``lang``


def field_and_reason(err: Mapping[str, Any], lang: str = "en", percent: bool = False) -> tuple[str, str]:
    """One pydantic error as (dotted field path, plain reason): the one wording used by
    the CLI and the API alike; in Finnish from the message catalogue (``err.<pydantic type>``)
    where it has the error's type, else pydantic's English. ``percent``: the reader typed this
    share in percent, so its bounds are said in percent too (100 %, not 1), in either language."""
    from .messages import CATALOGUE, t

    loc = ".".join(str(p) for p in err["loc"] if p != "[key]")
    reason = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        reason = t("err.extra_forbidden", "en")
    key = f"err.{err['type']}"
    if percent and f"{key}.percent" in CATALOGUE:
        key += ".percent"
    if (lang != "en" or key.endswith(".percent")) and key in CATALOGUE:
        ctx = {k: (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
               for k, v in (err.get("ctx") or {}).items()}
        if isinstance(ctx.get("expected"), str):  # pydantic lists choices in English: 'a' or 'b'
            ctx["expected"] = ctx["expected"].replace(" or ", t("word.or", lang))  # type: ignore[arg-type]
        try:
            reason = t(key, lang, **ctx)  # type: ignore[arg-type]
        except (KeyError, IndexError, ValueError):
            pass  # a context the template does not expect: keep the English reason
    return loc, reason


def error_from_validation(exc: ValidationError, prefix: str = "profile") -> ProfileError:
    err = exc.errors()[0]
    loc, reason = field_and_reason(err)
    return ProfileError(f"{prefix}.{loc}" if loc else prefix, reason, err)


def parse_profile(data: object) -> InvestorProfile:
    try:
        return InvestorProfile.model_validate(data)
    except ValidationError as exc:
        raise error_from_validation(exc) from None


def load_profile(path: str | Path) -> InvestorProfile:
    return parse_profile(read_json(path))


def load_profiles(path: str | Path) -> list[tuple[str, InvestorProfile]]:
    """Every *.json of a folder (or one profile file) as (file stem, profile). A bad profile's
    error names its file: in a folder of many, 'profile.power_mw' alone does not say which."""
    p = Path(path)
    return [(f.stem, _load_naming_file(f)) for f in (sorted(p.glob("*.json")) if p.is_dir() else [p])]


def _load_naming_file(path: Path) -> InvestorProfile:
    data = read_json(path)  # its errors name the path already
    try:
        return parse_profile(data)
    except ProfileError as exc:
        raise ProfileError(f"{path}: {exc.field}", exc.reason, exc.error) from None


def read_json(path: str | Path) -> Any:
    """A JSON file's value; every way it can fail is a ProfileError naming the path."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(str(path), "file not found") from None
    except IsADirectoryError:
        raise ProfileError(str(path), "is a folder, not a JSON file") from None
    except OSError as exc:
        raise ProfileError(str(path), f"cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ProfileError(str(path), "not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ProfileError(str(path), f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ProfileError(str(path), "JSON nested too deeply") from None


@lru_cache(maxsize=1)
def _archetype_stems() -> dict[str, str]:
    from .paths import ARCHETYPES_DIR

    return {prof.name: stem for stem, prof in load_profiles(ARCHETYPES_DIR)}


def profile_title(name: str, lang: str) -> str:
    """A profile's name for the reader: a sector archetype in the reader's language (the files name
    them in English), any other profile (a lead, an investor) as it was given."""
    key = f"archetype.{_archetype_stems().get(name)}"
    return str(CATALOGUE[key][lang]) if key in CATALOGUE and lang in CATALOGUE[key] else name  # type: ignore[literal-required]
