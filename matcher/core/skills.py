"""Skill families an investor can ask for, mapped to the statistics that measure them.

A family is counted in the commuting area's labour force through the workplaces of its
industry sections (Statistics Finland workplaces by TOL 2008 section) and weighted by
the education level it needs (share with a vocational or tertiary degree, relative to
the national share). This is a proxy: occupations are not in the bundled data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .nace import SECTIONS


@dataclass(frozen=True)
class SkillFamily:
    sections: tuple[str, ...]
    education: Literal["vocational", "tertiary", "any"]
    label_en: str
    label_fi: str


SKILL_FAMILIES: dict[str, SkillFamily] = {
    "process_operators": SkillFamily(("B", "C", "D", "E"), "vocational",
                                     "process and plant operators", "prosessi- ja laitosoperaattorit"),
    "engineers": SkillFamily(("C", "M"), "tertiary", "engineers", "insinöörit"),
    "ict": SkillFamily(("J",), "tertiary", "ICT specialists", "ICT-osaajat"),
    "construction": SkillFamily(("F",), "vocational", "construction workers", "rakentajat"),
    "logistics": SkillFamily(("H",), "vocational", "logistics workers", "logistiikan työntekijät"),
    "hospitality": SkillFamily(("I", "R"), "any", "hospitality staff", "matkailu- ja ravintola-ala"),
    "forestry_agriculture": SkillFamily(("A",), "any", "forestry and farm workers",
                                        "metsä- ja maatalouden työntekijät"),
    "business_services": SkillFamily(("K", "L", "M", "N"), "tertiary", "business professionals",
                                     "liike-elämän asiantuntijat"),
    "health_social": SkillFamily(("Q",), "any", "health and social care staff", "sote-ala"),
    "general": SkillFamily(SECTIONS, "any", "workers (all fields)",
                           "työntekijät (kaikki alat)"),
}
SkillName = Literal[tuple(SKILL_FAMILIES)]  # type: ignore[valid-type]  # from the one family table
# Straight-line radius of the commuting area around a municipality's centre (~45 min drive).
COMMUTE_RADIUS_KM = 50.0
# Share of a family's local workforce one new employer can plausibly recruit over its
# ramp-up (hires from the unemployed, job changers and graduates). A modelling
# assumption, not a statistic: it sets where "enough people" starts.
RECRUITABLE_SHARE = 0.10
