"""One message catalogue for every user-facing sentence, in English and Finnish."""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any, Literal, get_args

Lang = Literal["en", "fi"]
LANGS: tuple[Lang, ...] = get_args(Lang)

CATALOGUE: dict[str, dict[str, str]] = {
    # criterion labels
    "label.skills": {"en": "skilled workforce", "fi": "osaava työvoima"},
    "label.power": {"en": "free grid capacity", "fi": "vapaa sähköverkon kapasiteetti"},
    "label.grid": {"en": "grid voltage level", "fi": "verkon jännitetaso"},
    "label.green_power": {"en": "green power", "fi": "vihreä sähkö"},
    "label.land": {"en": "land and floor area", "fi": "maa-ala ja kerrosala"},
    "label.water": {"en": "water capacity", "fi": "vesikapasiteetti"},
    "label.heat": {"en": "waste-heat offtake", "fi": "hukkalämmön hyödyntäminen"},
    "label.logistics": {"en": "logistics", "fi": "logistiikka"},
    "label.rail": {"en": "rail siding", "fi": "pistoraide"},
    "label.readiness": {"en": "readiness to start", "fi": "valmius aloittaa"},
    "label.cost": {"en": "cost level", "fi": "kustannustaso"},
    "label.sector_fit": {"en": "local industry cluster", "fi": "paikallinen toimialakeskittymä"},
    "label.site_use": {"en": "intended use of the site", "fi": "alueen käyttötarkoitus"},
    "label.cluster": {"en": "nearness of the same industry", "fi": "saman alan toiminnan läheisyys"},
    "label.availability": {"en": "availability", "fi": "saatavuus"},
    "label.feasibility": {"en": "hard needs", "fi": "vaatimukset"},
    "state.meets": {"en": "meets", "fi": "täyttää"},
    "state.unverified": {"en": "unverified", "fi": "vahvistamatta"},
    "state.fails": {"en": "fails", "fi": "ei täytä"},
    # offering kinds
    "kind.plot": {"en": "plot", "fi": "tontti"},
    "kind.business_park": {"en": "business park", "fi": "yrityspuisto"},
    "kind.industrial_area": {"en": "industrial area", "fi": "teollisuusalue"},
    "kind.brownfield": {"en": "former industrial site", "fi": "entinen teollisuusalue"},
    "kind.premises": {"en": "premises", "fi": "toimitila"},
    "kind.data_centre_site": {"en": "data-centre site", "fi": "datakeskusalue"},
    "kind.tourism_area": {"en": "tourism area", "fi": "matkailualue"},
    "kind.company_for_sale": {"en": "company for sale", "fi": "myytävä yritys"},
    "kind.project_seeking_capital": {"en": "project seeking capital", "fi": "rahoitusta hakeva hanke"},
    "kind.wind_area": {"en": "wind-power area", "fi": "tuulivoima-alue"},
    "kind.mining_area": {"en": "mining area", "fi": "kaivosalue"},
    "kind.plant": {"en": "operating plant", "fi": "toimiva laitos"},
    "kind.infrastructure": {"en": "infrastructure", "fi": "infrastruktuuri"},
    "kind.municipality": {"en": "municipality", "fi": "kunta"},
    "label.strategic_priority": {"en": "strategy key sector", "fi": "strategian kärkiala"},
    "label.municipal_emphasis": {"en": "municipal sector emphasis", "fi": "kunnan toimialapainotus"},
    "label.port": {"en": "seaport", "fi": "satama"},
    "label.transmission": {"en": "400 kV transmission grid", "fi": "400 kV kantaverkko"},
    "label.industry_nearby": {"en": "nearness of large plants of the same or a related industry",
                              "fi": "saman alan tai lähialan suurten tuotantolaitosten läheisyys"},
    "label.precedent": {"en": "earlier project of the sector nearby", "fi": "alan aiempi hanke lähellä"},
    "label.brownfield": {"en": "closed mill site nearby", "fi": "suljettu tehdasalue lähellä"},
    "label.education": {"en": "university or UAS nearby", "fi": "yliopisto tai ammattikorkeakoulu lähellä"},
    "label.town_size": {"en": "size of the town", "fi": "kunnan koko"},
    "label.renewables": {"en": "hydro and wind power nearby", "fi": "vesi- ja tuulivoimaa lähellä"},
    # facts behind the national criteria (distances between municipal centres, straight line)
    "where.same": {"en": "in the same municipality", "fi": "samassa kunnassa"},
    "where.km": {"en": "{km:.0f} km", "fi": "{km:.0f} km"},
    "fact.port": {"en": "port of {name} ({size}), {km}", "fi": "{name} ({size}), {km}"},  # fi: after "satama:"
    "port.large": {"en": "large port", "fi": "suuri satama"},
    "port.medium": {"en": "medium port", "fi": "keskikokoinen satama"},
    "port.small": {"en": "small port", "fi": "pieni satama"},
    "port.inland": {"en": "inland port", "fi": "sisävesisatama"},
    "fact.transmission": {"en": "Fingrid's {name} 400 kV substation, {km}",
                          "fi": "Fingridin 400 kV sähköasema {name}, {km}"},
    "fact.transmission.none": {"en": "no 400 kV substation in service is listed", "fi": "ei listattua käytössä olevaa 400 kV sähköasemaa"},
    "fact.industry_nearby": {"en": "{name} ({company}), {km}", "fi": "{name} ({company}), {km}"},
    "fact.related": {"en": " (a related industry: {division})", "fi": " (lähiala: {division})"},
    "caveat.no_needs": {
        "en": "No hard requirement is stated, so every municipality passes by default: 'meets' here verifies "
              "nothing. State power, land, water or rail needs to see which of them no municipal figure can confirm.",
        "fi": "Välttämättömiä vaatimuksia ei ole ilmoitettu, joten jokainen kunta läpäisee ne oletuksena: "
              "”täyttää” ei tässä vahvista mitään. Ilmoita sähkön, maan, veden tai raiteen tarve nähdäksesi, "
              "mitä kuntatason tiedot eivät voi vahvistaa."},
    "caveat.untested_industry": {
        "en": "Untested for this industry: {n} of the {total} recorded location decisions in Finland are of "
              "{division}, so this national ranking rests on general features (town size, cost level, the local "
              "share of the industry's section in jobs) and "
              "does not show where this industry chooses to invest.",
        "fi": "Ei testattu tälle toimialalle: Suomen {total} kirjatusta sijoittumispäätöksestä {n} on toimialalta "
              "{division}, joten tämä valtakunnallinen järjestys nojaa yleisiin tekijöihin (kunnan koko, "
              "kustannustaso, toimialan pääluokan osuus paikallisista työpaikoista) eikä kerro, mihin tämä toimiala investoi."},
    "caveat.track_record": {
        "en": "Track record for this industry: in the {n} recorded location decisions of {division}, this model, "
              "without having seen the decision, put the place actually chosen at a median rank of {median:.0f} of "
              "{total} municipalities, and in its top {top} in {hits} of them.",
        "fi": "Osumatarkkuus tällä toimialalla ({division}): sen {n} kirjatussa sijoittumispäätöksessä tämä "
              "malli, joka ei ollut nähnyt päätöstä, sijoitti todella valitun kunnan {total} kunnan joukossa "
              "mediaanisijalle {median:.0f} ja {top} parhaan joukkoon {hits} päätöksessä {n}:stä."},
    "fact.industry_nearby.uncovered": {
        "en": "not assessed: the bundled list of large plants holds none of {division} or its value chain",
        "fi": "ei arvioitu: mukana olevassa suurten laitosten luettelossa ei ole toimialan {division} eikä sen "
              "arvoketjun laitoksia"},
    "fact.industry_nearby.none": {"en": "no listed large plant of this or a related industry within 100 km",
                                  "fi": "ei listattua saman alan tai lähialan suurta laitosta 100 km säteellä"},
    "fact.precedent": {"en": "{investor}: {project} ({stage}, {year}), {km}",
                       "fi": "{investor}: {project} ({stage}, {year}), {km}"},
    # how far a recorded decision got (an earlier project may have stopped at a permit or an announcement)
    "dtype.final_investment_decision": {"en": "investment decision", "fi": "investointipäätös"},
    "dtype.land_purchase": {"en": "land purchase", "fi": "maanosto"},
    "dtype.permit_application": {"en": "permit application", "fi": "lupahakemus"},
    "dtype.announcement": {"en": "announced plan", "fi": "julkistettu suunnitelma"},
    "fact.precedent.none": {"en": "no recorded decision of this or a related sector within 100 km",
                            "fi": "ei kirjattua saman alan tai lähialan päätöstä 100 km säteellä"},
    "fact.brownfield": {"en": "{name}, closed {year}, {km}", "fi": "{name}, suljettu {year}, {km}"},
    "fact.brownfield.none": {"en": "no listed closed mill within 100 km",
                             "fi": "ei listattua suljettua tehdasta 100 km säteellä"},
    "fact.education": {"en": "{name}, {km}", "fi": "{name}, {km}"},
    "fact.education.none": {"en": "no university or UAS within 100 km",
                            "fi": "ei yliopistoa tai ammattikorkeakoulua 100 km säteellä"},
    "fact.town_size": {"en": "{population:,.0f} inhabitants (2018)", "fi": "{population:,.0f} asukasta (2018)"},
    "fact.renewables": {"en": "{mw:,.0f} MW of listed hydro and wind power within 100 km",
                        "fi": "{mw:,.0f} MW listattua vesi- ja tuulivoimaa 100 km säteellä"},
    "fact.renewables.none": {"en": "no listed hydro or wind power within 100 km",
                             "fi": "ei listattua vesi- tai tuulivoimaa 100 km säteellä"},
    "not_assessed": {"en": "{label}: not assessed at municipal level (needs site data)",
                     "fi": "{label}: ei arvioitu kuntatasolla (vaatii kohdetiedot)"},
    # facts behind a contribution
    # the pool within 50 km, and the share of it one new employer can recruit (skills.RECRUITABLE_SHARE),
    # which is what the value measures: 42 workers for 10 jobs is a weak point when 4 are recruitable
    "fact.skills": {"en": "about {pool:,.0f} relevant workers within 50 km, about {recruit:,.0f} of them recruitable "
                          "(need {need:,})",
                    "fi": "noin {pool:,.0f} alan työntekijää 50 km säteellä, heistä rekrytoitavissa noin "
                          "{recruit:,.0f} (tarve {need:,})"},
    "fact.skills_families": {"en": "within 50 km, about {families}", "fi": "50 km säteellä noin {families}"},
    "fact.skills_family": {"en": "{pool:,.0f} {family} ({recruit:,.0f} recruitable, need {need:,})",
                           "fi": "{pool:,.0f} {family} (rekrytoitavissa {recruit:,.0f}, tarve {need:,})"},
    # after a number: Finnish takes the partitive singular ("448 ICT-osaajaa")
    "family.process_operators": {"en": "process operators", "fi": "prosessinhoitajaa"},
    "family.engineers": {"en": "engineers", "fi": "insinööriä"},
    "family.ict": {"en": "ICT workers", "fi": "ICT-osaajaa"},
    "family.construction": {"en": "construction workers", "fi": "rakentajaa"},
    "family.logistics": {"en": "logistics workers", "fi": "logistiikan työntekijää"},
    "family.hospitality": {"en": "hospitality workers", "fi": "matkailu- ja ravintola-alan työntekijää"},
    "family.forestry_agriculture": {"en": "forestry and farm workers", "fi": "metsä- ja maatalouden työntekijää"},
    "family.business_services": {"en": "business-service workers", "fi": "liike-elämän palvelujen työntekijää"},
    "family.health_social": {"en": "health and social workers", "fi": "sosiaali- ja terveysalan työntekijää"},
    "family.general": {"en": "workers for general tasks", "fi": "yleistehtävien työntekijää"},
    "fact.power": {"en": "{have:g} MW free for {need:g} MW needed",
                   "fi": "{have:g} MW vapaana, tarve {need:g} MW"},
    "fact.grid": {"en": "{kv:g} kV grid {where}", "fi": "{kv:g} kV:n verkko {where}"},
    "fact.green_power.share": {"en": "{share:.0%} green power by contract",
                               "fi": "{share:.0%} vihreää sähköä sopimuksella"},
    "fact.green_power.local": {"en": "{mw:g} MW of operating hydro/wind in the municipality",
                               "fi": "{mw:g} MW toimivaa vesi-/tuulivoimaa kunnassa"},
    "fact.land": {"en": "{have} for {need} needed", "fi": "{have}, tarve {need}"},
    "area.ha": {"en": "{ha:g} ha", "fi": "{ha:g} ha"},
    "area.ha_max": {"en": "≤ {ha:g} ha", "fi": "≤ {ha:g} ha"},
    "area.m2": {"en": "{m2:,.0f} m²", "fi": "{m2:,.0f} m²"},
    "fact.water": {"en": "{have:,.0f} m³/day for {need:,.0f} m³/day needed",
                   "fi": "{have:,.0f} m³/vrk, tarve {need:,.0f} m³/vrk"},
    "fact.heat.site": {"en": "waste heat can be sold at the site", "fi": "hukkalämmölle on ostaja alueella"},
    "fact.heat.municipal": {"en": "district heating network in the municipality",
                            "fi": "kunnassa on kaukolämpöverkko"},
    "fact.logistics": {"en": "{port:.0f} km to port, {air:.0f} km to Kajaani airport{rail}",
                       "fi": "{port:.0f} km satamaan, {air:.0f} km Kajaanin lentoasemalle{rail}"},
    "fact.logistics.finland": {"en": "{hel:.0f} km from Helsinki", "fi": "{hel:.0f} km Helsingistä"},
    "fact.logistics.helsinki": {"en": "in Helsinki", "fi": "Helsingissä"},
    "fact.rail.siding": {"en": ", rail siding on site", "fi": ", pistoraide alueella"},
    "fact.rail.place": {"en": ", rail: {name}, {km:.0f} km", "fi": ", raide: {name}, {km:.0f} km"},
    "fact.rail.place.same_point": {"en": ", rail: {name}, at the same village or area point",
                                   "fi": ", raide: {name}, samassa kylä- tai aluepisteessä"},
    "fact.rail.none": {"en": ", no rail siding", "fi": ", ei pistoraidetta"},
    "fact.readiness": {"en": "can start in {months:g} months (needed by {start_by})",
                       "fi": "voi alkaa {months:g} kk:ssa (tarve {start_by})"},
    "fact.cost": {"en": "median income EUR {income:,.0f}/year (labour-cost proxy){price}",
                  "fi": "mediaanitulo {income:,.0f} €/v (työvoimakustannusten mittari){price}"},
    "fact.cost.price": {"en": ", land EUR {price:g}/m²", "fi": ", tontti {price:g} €/m²"},
    "fact.sector_fit": {"en": "location quotient {lq:.2f} for section {section} jobs",
                        "fi": "sijaintiosamäärä {lq:.2f} pääluokassa {section}"},
    "fact.site_use.exact": {"en": "intended for this activity: {codes}", "fi": "tarkoitettu tälle toiminnalle: {codes}"},
    "fact.site_use.division": {"en": "intended for the same industry ({division}): {codes}",
                               "fi": "tarkoitettu samalle toimialalle ({division}): {codes}"},
    "fact.site_use.section": {"en": "intended for other activities of the same section ({section}): {codes}",
                              "fi": "tarkoitettu muulle saman pääluokan toiminnalle ({section}): {codes}"},
    "fact.site_use.other": {"en": "intended for other activities: {codes}", "fi": "tarkoitettu muulle toiminnalle: {codes}"},
    "fact.site_use.more": {"en": " and {n} more", "fi": " ja {n} muuta"},
    "fact.cluster": {"en": "nearest {name}, {km:.0f} km", "fi": "lähin {name}, {km:.0f} km"},
    "fact.cluster.same_point": {"en": "nearest {name}, at the same village or area point (the distance between them is not known)",
                                "fi": "lähin {name}, merkitty samaan kylä- tai aluepisteeseen (etäisyyttä ei tiedetä)"},
    "fact.cluster.none": {"en": "no plant of {division} within {radius:.0f} km in the catalog",
                          "fi": "luettelossa ei ole toimialan {division} laitosta {radius:.0f} km säteellä"},
    # after the label "strategy key sector:" the fact names the sector only (it said the label twice)
    "fact.strategic_priority.key": {"en": "{name}", "fi": "{name}"},
    "fact.strategic_priority.kainuu": {"en": "in Kainuu, not a strategy key sector",
                                       "fi": "Kainuussa, ei strategian kärkiala"},
    "fact.strategic_priority.outside": {"en": "outside Kainuu", "fi": "Kainuun ulkopuolella"},
    "fact.municipal_emphasis": {"en": "the municipality emphasises this sector",
                                "fi": "kunta painottaa tätä toimialaa"},
    "fact.municipal_emphasis.no": {"en": "not among the municipality's emphasised sectors",
                                   "fi": "ei kunnan painottamia toimialoja"},
    "where.site": {"en": "at the site", "fi": "alueella"},
    "where.municipality": {"en": "in the municipality", "fi": "kunnassa"},
    "unknown": {"en": "{label}: not known (unverified)", "fi": "{label}: ei tiedossa (vahvistamatta)"},
    "reason": {"en": "Strong {label}: {fact}", "fi": "Vahvuus, {label}: {fact}"},
    "reason.fair": {"en": "Fair {label}: {fact}", "fi": "Kohtalainen vahvuus, {label}: {fact}"},
    "weakness": {"en": "Weakest point, {label}: {fact}", "fi": "Heikoin kohta, {label}: {fact}"},
    "unweighted": {"en": "Not counted by this ranking, {label}: {fact}",
                   "fi": "Ei vaikuta tähän järjestykseen, {label}: {fact}"},
    # feasibility
    "block.site_use": {"en": "{name} ({kind}) is not an offering for {sector}{needs}",
                       "fi": "{name} on {kind}, ei sovellu toimialalle {sector}{needs}"},
    "site_use.needs": {"en": " (this activity needs: {kinds})", "fi": " (toiminta tarvitsee: {kinds})"},
    "unverified.reserved": {"en": "{name} is reserved for another project: ask whether it can still be offered",
                            "fi": "{name} on varattu toiselle hankkeelle: kysy, voiko sitä yhä tarjota"},
    "block.power": {"en": "needs {need:g} MW; {have:g} MW free at {name}",
                    "fi": "tarvitsee {need:g} MW; vapaana {have:g} MW ({name})"},
    "block.land": {"en": "needs {need}; {name} has {have}", "fi": "tarvitsee {need}; {name}: {have}"},
    "block.water": {"en": "needs {need:,.0f} m³/day; {have:,.0f} m³/day available at {name}",
                    "fi": "tarvitsee {need:,.0f} m³/vrk; {name}: {have:,.0f} m³/vrk"},
    "block.rail": {"en": "needs rail; {name} has no rail siding", "fi": "tarvitsee raiteen; {name}: ei raidetta"},
    "block.green_power": {"en": "needs {need:.0%} green power; {have:.0%} available at {name}",
                          "fi": "tarvitsee {need:.0%} vihreää sähköä; {name}: {have:.0%}"},
    "block.readiness": {"en": "needs a start by {start_by}; {name} needs {months:g} months",
                        "fi": "aloitus viimeistään {start_by}; {name}: {months:g} kk"},
    "block.must": {"en": "{label} is a must; score {value:.2f} is below {threshold:.2f}",
                   "fi": "{label} on ehdoton; arvo {value:.2f} alle {threshold:.2f}"},
    "unverified.power": {"en": "free grid capacity at {name} unknown (needs {need:g} MW)",
                         "fi": "vapaa verkkokapasiteetti ({name}): ei tiedossa (tarve {need:g} MW)"},
    "unverified.land": {"en": "area of {name} unknown (needs {need})",
                        "fi": "alueen {name} pinta-ala: ei tiedossa (tarve {need})"},
    "unverified.water": {"en": "water capacity at {name} unknown (needs {need:,.0f} m³/day)",
                         "fi": "vesikapasiteetti ({name}): ei tiedossa (tarve {need:,.0f} m³/vrk)"},
    "unverified.rail": {"en": "rail siding at {name} unknown", "fi": "pistoraide ({name}): ei tiedossa"},
    "unverified.green_power": {"en": "contracted green power share at {name} unknown (needs {need:.0%})",
                               "fi": "vihreän sähkön osuus ({name}): ei tiedossa (tarve {need:.0%})"},
    "unverified.readiness": {"en": "readiness of {name} unknown (start by {start_by})",
                             "fi": "alueen {name} valmius: ei tiedossa (aloitus {start_by})"},
    "pitch.title": {"en": "Investment brief: {name}", "fi": "Sijoitusmuistio: {name}"},
    "pitch.lead": {"en": "Prepared by the Kainuu investment service for {name} ({sector}). Ranked {count} "
                         "Kainuu offerings; {meets} meet every stated hard requirement on verified data, "
                         "{unverified} more may, but rest on unknown data.",
                   "fi": "Kainuun investointipalvelun muistio: {name} ({sector}). Arvioitu {count} Kainuun "
                         "kohdetta; {meets} täyttää kaikki ilmoitetut välttämättömät vaatimukset vahvistetuilla "
                         "tiedoilla, {unverified} voi täyttää, mutta tiedot puuttuvat."},
    "pitch.unknown": {"en": "not known (unverified)", "fi": "ei tiedossa (vahvistamatta)"},
    "pitch.shortlist": {"en": "Shortlist", "fi": "Kärkikohteet"},
    "pitch.col.rank": {"en": "Rank", "fi": "Sija"},
    "pitch.col.site": {"en": "Site", "fi": "Kohde"},
    "pitch.col.municipality": {"en": "Municipality", "fi": "Kunta"},
    "pitch.col.score": {"en": "Score", "fi": "Pisteet"},
    "pitch.col.feasible": {"en": "Hard needs", "fi": "Välttämättömät vaatimukset"},
    "pitch.yes": {"en": "yes", "fi": "kyllä"},
    "pitch.no": {"en": "no", "fi": "ei"},
    "pitch.why": {"en": "Why it fits, and its weakest point", "fi": "Miksi se sopii ja mikä on sen heikkous"},
    "pitch.facts": {"en": "Facts that matter for this investment", "fi": "Tälle investoinnille olennaiset tiedot"},
    "pitch.unverified": {"en": "Still unverified", "fi": "Vielä varmistamatta"},
    "pitch.none": {"en": "nothing open", "fi": "ei avoimia kohtia"},
    "pitch.sources": {"en": "Sources", "fi": "Lähteet"},
    "pitch.updated": {"en": "data last updated {date}", "fi": "tiedot päivitetty {date}"},
    "pitch.contact": {"en": "Contact: {role}", "fi": "Yhteyshenkilö: {role}"},
    "pitch.chart": {"en": "How the score of each site is made up", "fi": "Mistä kunkin kohteen pisteet koostuvat"},
    "pitch.visit_plan": {"en": "Visit plan", "fi": "Vierailuohjelma"},
    "pitch.visit_intro": {"en": "The Regional Council of Kainuu invites; each municipality hosts its own sites. "
                                "Order by distance from Kajaani airport.",
                          "fi": "Kainuun liitto kutsuu; kunnat isännöivät omat kohteensa. "
                                "Järjestys etäisyyden mukaan Kajaanin lentoasemalta."},
    "pitch.visit_row": {"en": "{n}. {site}, {km:.0f} km from the previous stop; host: {host}",
                        "fi": "{n}. {site}, {km:.0f} km edellisestä; isäntä: {host}"},
    "pitch.visit_row.same": {"en": "{n}. {site}, at the same place as the previous stop; host: {host}",
                             "fi": "{n}. {site}, samassa paikassa kuin edellinen kohde; isäntä: {host}"},
    "pitch.visit_row.near": {"en": "{n}. {site}, near the previous stop (both are placed at their "
                                   "area's or village's point, so the distance between them is not known); host: {host}",
                             "fi": "{n}. {site}, lähellä edellistä kohdetta (molempien sijainti on "
                                   "merkitty alueen tai kylän pisteeseen, joten välimatkaa ei tiedetä); isäntä: {host}"},
    "pitch.visit_row.first": {"en": "{n}. {site}, {km:.0f} km from Kajaani airport; host: {host}",
                              "fi": "{n}. {site}, {km:.0f} km Kajaanin lentoasemalta; isäntä: {host}"},
    "pitch.visit_approx": {"en": " (municipal centre: site coordinates not yet recorded)",
                           "fi": " (kunnan keskusta: kohteen koordinaatit puuttuvat)"},
    "pitch.footer": {"en": "Data snapshot {snapshot}; ranking model {model}; as of {as_of}. Every figure carries its "
                           "source; unknown values are shown as unknown, never as zero.",
                     "fi": "Tietoaineisto {snapshot}; järjestysmalli {model}; tilanne {as_of}. Jokaisella luvulla on "
                           "lähde; tuntemattomat arvot näytetään tuntemattomina, ei nollina."},
    "todo.fill": {"en": "fill in {what}: worth up to {ranks} rank(s), for {profiles}",
                  "fi": "täydennä {what}: enintään {ranks} sijaa ylöspäin, profiileille {profiles}"},
    "cli.todo_head": {"en": "data to-do across {profiles} profiles (largest possible rank gain first; data {snapshot})",
                      "fi": "tietojen täydennyslista {profiles} profiilille (suurin mahdollinen sijanousu ensin; "
                            "aineisto {snapshot})"},
    "cli.todo_left_out": {"en": "left out: {n} missing value(s) that could win no rank",
                          "fi": "jätetty pois puuttuvat tiedot, joiden täyttäminen ei nostaisi sijoja: {n}"},
    "cli.unknown": {"en": "? unknown: {criteria}", "fi": "? ei tiedossa: {criteria}"},
    "cli.head": {"en": "{rank:>3} {id:<6} {score:>6} {state:<14} {municipality:<13} name",
                 "fi": "{rank:>3} {id:<6} {score:>6} {state:<14} {municipality:<13} nimi"},
    "cli.reserved_legend": {"en": "* reserved for another project (ranked after the available offerings)",
                            "fi": "* varattu toiselle hankkeelle (järjestetty saatavilla olevien kohteiden jälkeen)"},
    "cli.score": {"en": "score", "fi": "pisteet"},
    "cli.municipality": {"en": "municipality", "fi": "kunta"},
    "cli.score_value": {"en": "{score:.3f}", "fi": "{score:.3f}"},
    "cli.explain_head": {"en": "{id} {name} ({municipality}) rank {rank}/{total} score {score:.4f} feasibility={state}",
                         "fi": "{id} {name} ({municipality}) sija {rank}/{total}, pisteet {score:.4f}, "
                               "vaatimukset: {state}"},
    "cli.whatif_head": {"en": "what-if: {scenario}  (model {model}, data {data})",
                        "fi": "mitä jos: {scenario}  (malli {model}, data {data})"},
    "cli.col.profile": {"en": "profile", "fi": "profiili"},
    "cli.col.site": {"en": "site", "fi": "kohde"},
    "cli.col.rank": {"en": "rank", "fi": "sija"},
    "cli.col.score": {"en": "score", "fi": "pisteet"},
    "cli.col.feasible": {"en": "feasible", "fi": "toteutettavissa"},
    "cli.col.share": {"en": "choice share", "fi": "valintaosuus"},
    "cli.share": {"en": "{share:.1%}", "fi": "{share:.1%}"},
    "cli.yes": {"en": "yes", "fi": "kyllä"},
    "cli.no": {"en": "no", "fi": "ei"},
    "cli.advise_head": {"en": "{id} is now #{rank} for {profile}; target: top {k}",
                        "fi": "{id} on nyt sijalla {rank} profiilille {profile}; tavoite: {k} parhaan joukkoon"},
    "cli.advise_change": {"en": "{column} to {needed:g} {unit} (now {now})",
                          "fi": "{column} arvoon {needed:g} {unit} (nyt {now})"},
    "cli.advise_option": {"en": "set {changes} -> rank {rank}", "fi": "aseta {changes} -> sija {rank}"},
    "cli.and": {"en": " and ", "fi": " ja "},
    "cli.sens_head": {"en": "{profile}: {draws} weight draws ({how}), model {model}",
                      "fi": "{profile}: {draws} painotusten arvontaa ({how}), malli {model}"},
    "cli.sens_card": {"en": "card spread", "fi": "mallikortin hajonta"},
    "cli.sens_prior": {"en": "lognormal sigma {sigma:g}", "fi": "lognormaalijakauma, sigma {sigma:g}"},
    "cli.sens_parts": {"en": "each criterion's part of the tree model's score times a lognormal factor, sigma {sigma:g}",
                       "fi": "kunkin kriteerin osuus puumallin pisteistä kerrottuna lognormaalilla kertoimella, "
                             "sigma {sigma:g}"},
    "cli.sens_row": {"en": "keeps #{rank} in {same:.0%}, first in {first:.0%}, top {top} in {top_share:.0%} "
                           "(rank {lo:g}-{hi:g})",
                     "fi": "pysyy sijalla {rank}: {same:.0%}, ensimmäisenä: {first:.0%}, {top} parhaan joukossa: "
                           "{top_share:.0%} (sijat {lo:g}–{hi:g})"},
    "unit.MW": {"en": "MW", "fi": "MW"},
    "unit.ha": {"en": "ha", "fi": "ha"},
    "unit.m3/day": {"en": "m3/day", "fi": "m³/vrk"},
    "unit.months": {"en": "months", "fi": "kuukautta"},
    "unit.EUR/m2": {"en": "EUR/m2", "fi": "€/m²"},
    "unit.plots": {"en": "plots", "fi": "tonttia"},
    "unit.m2": {"en": "m2", "fi": "m²"},
    "unit.MEUR": {"en": "MEUR", "fi": "milj. €"},
    "unit.km": {"en": "km", "fi": "km"},
    "unit.kV": {"en": "kV", "fi": "kV"},
    "unit.deg": {"en": "degrees", "fi": "astetta"},
    "unit.0..1": {"en": "0..1", "fi": "0–1"},
    "unit.persons": {"en": "persons", "fi": "henkilöä"},
    "unit.jobs": {"en": "jobs", "fi": "työpaikkaa"},
    "unit.EUR/year": {"en": "EUR/year", "fi": "€/v"},
    "unit.km2": {"en": "km2", "fi": "km²"},
    "cli.unknown_value": {"en": "unknown", "fi": "ei tiedossa"},
    "cli.number": {"en": "{x:g}", "fi": "{x:g}"},
    "cli.wx": {"en": "w={w:.3f} x={x:.3f}", "fi": "w={w:.3f} x={x:.3f}"},
    "cli.part": {"en": "{part:.4f}", "fi": "{part:.4f}"},
    "cli.sum": {"en": "sum", "fi": "yhteensä"},
    "cli.unknown_part": {"en": "(unknown: neutral 0.5 minus penalty)",
                         "fi": "(ei tiedossa: neutraali 0,5 miinus vähennys)"},
    "cli.gbt_note": {"en": "(additive boosted trees: each part is exact and they add up to the score; w is the part "
                           "at a perfect value 1.0, and a part is not w x x)",
                     "fi": "(additiiviset tehostetut puut: jokainen osa on tarkka ja osat summautuvat pisteisiin; w on "
                           "osa täydellisellä arvolla 1,0, eikä osa ole w × x)"},
    "cli.not_assessed": {"en": "? not assessed at municipal level: {criteria}",
                         "fi": "? ei arvioitavissa kuntatasolla: {criteria}"},
    "unverified.must": {"en": "{label} at {name} unknown", "fi": "{label} ({name}): ei tiedossa"},
    # offering -> investors (matcher/portfolio/investors.py)
    "investors.title": {"en": "Who could this fit", "fi": "Kenelle tämä sopisi"},
    "investors.head": {"en": "{id} {name} ({municipality}): {n} investors ranked; data {snapshot}",
                       "fi": "{id} {name} ({municipality}): {n} investoria järjestetty; aineisto {snapshot}"},
    "investors.source.archetype": {"en": "archetype", "fi": "esimerkkiprofiili"},
    "investors.source.lead": {"en": "lead", "fi": "liidi"},
    "investors.source.decision": {"en": "chose places like this", "fi": "valitsi vastaavan paikan"},
    "investors.tied": {"en": "A rank marked = is shared: those investors' profiles (a recorded decision gives its "
                             "sector and size only) score this offering the same, so their order among themselves "
                             "(by source and name) says nothing about fit.",
                       "fi": "Merkinnällä = varustettu sija on jaettu: näiden sijoittajien profiilit (kirjatusta "
                             "päätöksestä tiedetään vain toimiala ja koko) saavat tälle kohteelle samat pisteet, joten "
                             "niiden keskinäinen järjestys (lähteen ja nimen mukaan) ei kerro sopivuudesta."},
    "investors.site_rank": {"en": "this offering is #{rank} of {total} sites for them",
                            "fi": "tämä kohde on heille sijalla {rank}/{total}"},
    "investors.chose": {"en": "chose: {project} ({where}, {year})", "fi": "valitsi: {project} ({where}, {year})"},
    "investors.intro": {"en": "Investor profiles ranked for this offering: the sector archetypes, the leads you may "
                               "see, and real investors from the decisions table. The parts add up to the score.",
                        "fi": "Investoriprofiilit järjestettynä tälle kohteelle: toimialojen esimerkkiprofiilit, "
                              "näkemäsi liidit ja todelliset investorit päätöstaulukosta. Osat summautuvat "
                              "pisteisiin."},
    "investors.col.investor": {"en": "Investor", "fi": "Investori"},
    "investors.col.source": {"en": "Source", "fi": "Lähde"},
    "investors.col.score": {"en": "Score", "fi": "Pisteet"},
    "investors.col.why": {"en": "Why", "fi": "Perustelut"},
    "offerings.title": {"en": "Offerings", "fi": "Tarjottavat kohteet"},
    # sites like this one (matcher/portfolio/similar.py)
    # the sector archetypes' names (examples/*.json name them in English)
    "investors.no_needs": {"en": "its sector fits the site and the site is on offer; no other need stated",
                           "fi": "toimiala sopii kohteeseen ja kohde on tarjolla; muita vaatimuksia ei ilmoitettu"},
    "archetype.battery_chemicals": {"en": "Battery cathode-material plant (archetype)", "fi": "Akkujen katodimateriaalitehdas (esimerkkiprofiili)"},
    "archetype.data_centre": {"en": "Hyperscale data centre (archetype)", "fi": "Suuri datakeskus (esimerkkiprofiili)"},
    "archetype.fish_farming": {"en": "Recirculating freshwater fish farm (archetype)", "fi": "Kiertovesikalankasvattamo (esimerkkiprofiili)"},
    "archetype.food_processing": {"en": "Food processing plant (archetype)", "fi": "Elintarviketehdas (esimerkkiprofiili)"},
    "archetype.hydrogen": {"en": "Green hydrogen electrolyser (archetype)", "fi": "Vihreän vedyn elektrolyysilaitos (esimerkkiprofiili)"},
    "archetype.ict_software": {"en": "Software and game studio (archetype)", "fi": "Ohjelmisto- ja pelistudio (esimerkkiprofiili)"},
    "archetype.metal_machinery": {"en": "Mining machinery workshop (archetype)", "fi": "Kaivoskoneiden konepaja (esimerkkiprofiili)"},
    "archetype.mining": {"en": "Metal mine re-opening (archetype)", "fi": "Metallikaivoksen uudelleenavaus (esimerkkiprofiili)"},
    "archetype.pulp_bioproducts": {"en": "Softwood pulp and bioproducts mill (archetype)", "fi": "Havusellu- ja biotuotetehdas (esimerkkiprofiili)"},
    "archetype.resort_acquisition": {"en": "Ski resort acquisition (financial buyer)", "fi": "Hiihtokeskuksen osto (rahoitussijoittaja)"},
    "archetype.sawmill_engineered_wood": {"en": "Sawmill and CLT line (archetype)", "fi": "Saha ja CLT-linja (esimerkkiprofiili)"},
    "archetype.tourism_resort": {"en": "Year-round nature resort (archetype)", "fi": "Ympärivuotinen luontomatkailukeskus (esimerkkiprofiili)"},
    "archetype.wind_power": {"en": "Onshore wind farm developer (archetype)", "fi": "Maatuulipuiston kehittäjä (esimerkkiprofiili)"},
    "similar.title": {"en": "Sites like this one", "fi": "Tämänkaltaiset kohteet"},
    "similar.kainuu": {"en": "In Kainuu", "fi": "Kainuussa"},
    "similar.finland": {"en": "Municipalities like {name} in Finland", "fi": "Kunnat, jotka muistuttavat kuntaa {name}"},
    "similar.method": {"en": "Nearest in standardised features (Euclidean distance); sizes and location quotients "
                              "are compared on a log scale (ten times as large counts the same everywhere); an "
                              "unknown value counts as the average, neither closer nor further.",
                       "fi": "Lähimmät standardoiduilla piirteillä (euklidinen etäisyys); kokoja ja sijaintiosamääriä "
                             "verrataan logaritmisella asteikolla (kymmenkertainen koko painaa yhtä paljon kaikkialla); "
                             "tuntematon arvo lasketaan keskiarvoksi, ei lähemmäs eikä kauemmas."},
    "similar.distance": {"en": "Distance", "fi": "Etäisyys"},
    "similar.distance_value": {"en": "{distance:.2f}", "fi": "{distance:.2f}"},
    "similar.this": {"en": "this site", "fi": "tämä kohde"},
    "similar.f.log_area_ha": {"en": "area (ha)", "fi": "pinta-ala (ha)"},
    "similar.f.grid_kv": {"en": "grid voltage (kV)", "fi": "verkon jännite (kV)"},
    "similar.f.log_grid_free_mw": {"en": "free grid capacity (MW)", "fi": "vapaa verkkokapasiteetti (MW)"},
    "similar.f.port_km": {"en": "to port (km)", "fi": "satamaan (km)"},
    "similar.f.airport_km": {"en": "to airport (km)", "fi": "lentoasemalle (km)"},
    "similar.f.rail": {"en": "rail (siding 1, station 0.5)", "fi": "rata (pistoraide 1, asema 0,5)"},
    "similar.f.zoning_ready": {"en": "zoned for industry", "fi": "asemakaavoitettu teollisuudelle"},
    "similar.f.log_process_workers": {"en": "process workers within 50 km",
                                      "fi": "prosessinhoitajat 50 km säteellä"},
    "similar.f.log_all_workers": {"en": "all workers within 50 km", "fi": "kaikki työlliset 50 km säteellä"},
    "similar.f.tertiary_rel": {"en": "higher education vs Finland", "fi": "korkeakoulutus suhteessa koko maahan"},
    "similar.f.log_population": {"en": "population", "fi": "asukasluku"},
    "similar.f.median_income_eur": {"en": "median income (EUR)", "fi": "mediaanitulo (EUR)"},
    "similar.f.dist_helsinki_km": {"en": "to Helsinki (km)", "fi": "Helsinkiin (km)"},
    "similar.f.transmission_km": {"en": "to a 400 kV substation (km)", "fi": "400 kV sähköasemalle (km)"},
    "similar.f.industry_lq": {"en": "industry concentration (location quotient, B–E)", "fi": "teollisuuden keskittymä (sijaintiosamäärä, B–E)"},
    "similar.f.ict_lq": {"en": "ICT concentration (location quotient, J)", "fi": "ICT-keskittymä (sijaintiosamäärä, J)"},
    "similar.f.tourism_lq": {"en": "tourism concentration (location quotient, I)", "fi": "matkailun keskittymä (sijaintiosamäärä, I)"},
    "similar.f.vocational_rel": {"en": "vocational education vs Finland", "fi": "ammatillinen koulutus suhteessa koko maahan"},
    # even-handedness report (matcher/municipal/evenhandedness.py)
    "even.title": {"en": "Even-handedness across the Kainuu municipalities",
                   "fi": "Kainuun kuntien tasapuolinen kohtelu"},
    "even.method": {"en": "Every profile (the sector archetypes and the leads) is ranked over all Kainuu offerings by "
                           "the same rules. A municipality reaches the top {top} when one of its offerings is among "
                           "the first {top}. 'Held back by' lists the missing values of its offerings that could win "
                           "the most ranks if filled (the data to-do list).",
                    "fi": "Jokainen profiili (toimialojen esimerkkiprofiilit ja liidit) järjestetään kaikkien "
                          "Kainuun kohteiden kesken samoilla säännöillä. Kunta on {top} parhaan joukossa, kun jokin "
                          "sen kohteista on {top} ensimmäisen joukossa. ”Jarruttaa” luettelee kohteiden puuttuvat "
                          "tiedot, joiden täyttäminen voisi nostaa eniten sijoja (tietojen täydennyslista)."},
    "even.row": {"en": "{name}: in the top 3 for {top3} of {n} profiles, with {offerings} offerings; held back by: "
                        "{held}",
                 "fi": "{name}: kolmen parhaan joukossa {top3}/{n} profiilissa, {offerings} kohdetta; jarruttaa: "
                       "{held}"},
    "even.nothing": {"en": "no missing value that could win a rank", "fi": "ei puuttuvaa tietoa, joka nostaisi sijoja"},
    "even.snapshot": {"en": "Data {snapshot}; {n} profiles.", "fi": "Tietoaineisto {snapshot}; {n} profiilia."},
    "even.col.top3": {"en": "Top 3", "fi": "Kolmen parhaan joukossa"},
    "even.col.top1": {"en": "First", "fi": "Ensimmäisenä"},
    "even.col.offerings": {"en": "Offerings", "fi": "Kohteita"},
    "even.col.median": {"en": "Median best rank", "fi": "Paras sija (mediaani)"},
    "even.col.held": {"en": "Held back by", "fi": "Jarruttaa"},
    "nav.evenhandedness": {"en": "Even-handedness", "fi": "Tasapuolisuus"},
    # labour taken by the pipeline (matcher/core/workforce.py)
    "pipeline.taken": {"en": "of {pool:,.0f} {family} within {radius:.0f} km, {taken:,.0f} are taken by pipeline projects",
                       "fi": "{radius:.0f} km säteen {pool:,.0f} henkilöstä ({family}) {taken:,.0f} on jo "
                             "varattu liidiputken hankkeille"},
    "pipeline.none": {"en": "no won or shortlisted lead takes workers yet",
                      "fi": "yksikään voitettu tai lyhytlistattu liidi ei vielä varaa työvoimaa"},
    # joint allocation (matcher/portfolio/allocation.py)
    "alloc.title": {"en": "Joint allocation of active leads", "fi": "Aktiivisten liidien yhteinen sijoittelu"},
    "alloc.intro": {"en": "One site per lead, no site promised beyond its free grid capacity, land or labour pool, "
                           "and the highest total fit. An unknown capacity is never shared: such a site takes at "
                           "most one lead that needs it, shown as unverified.",
                    "fi": "Yksi kohde liidiä kohden, mitään kohdetta ei luvata yli sen vapaan verkkokapasiteetin, "
                          "maa-alan tai työvoiman, ja yhteensopivuus on suurin mahdollinen. Tuntematonta "
                          "kapasiteettia ei jaeta: sellainen kohde saa enintään yhden sitä tarvitsevan liidin, "
                          "ja se näytetään varmistamattomana."},
    "alloc.gives_up": {"en": "gives up {score:.3f} points against its own best ({best}): its #{rank} site",
                       "fi": "luopuu {score:.3f} pisteestä omaan parhaaseensa ({best}) nähden: sen {rank}. kohde"},
    "alloc.own_best": {"en": "gets its own best site", "fi": "saa oman parhaan kohteensa"},
    "alloc.unplaced": {"en": "no site left that it fits without exceeding a capacity",
                       "fi": "ei jäljellä kohdetta, johon se mahtuisi ylittämättä kapasiteettia"},
    "whatif.add_unknown": {"en": "Today's value is not known, so there is nothing to add to: give the value itself.",
                           "fi": "Nykyistä arvoa ei tiedetä, joten siihen ei voi lisätä: anna arvo itse."},
    "whatif.add_range": {"en": "give an amount to add between −{most:,.0f} and +{most:,.0f}, e.g. +20",
                         "fi": "anna lisättävä määrä väliltä −{most:,.0f}…+{most:,.0f}, esim. +20"},
    "alloc.short_of_labour": {"en": "its own need of {need:,.0f} {family} is more than the recruitable pool at every "
                                    "offering it fits (at most {cap:,.0f}, at {site}: {share:.0%} of the {pool:,.0f} "
                                    "within {km:.0f} km, the share one new employer can plausibly recruit)",
                              "fi": "sen oma tarve, {need:,.0f} {family}, on suurempi kuin rekrytoitavissa oleva joukko "
                                    "jokaisessa sille sopivassa kohteessa (enintään {cap:,.0f}, kohteessa {site}: "
                                    "{share:.0%} niistä {pool:,.0f}, jotka asuvat {km:.0f} km säteellä – osuus, jonka "
                                    "yksi uusi työnantaja voi kohtuudella rekrytoida)"},
    "alloc.short_of_labour_left": {"en": "its own need of {need:,.0f} {family} is more than what won and shortlisted "
                                         "projects leave of the recruitable pool at every offering it fits (at most "
                                         "{cap:,.0f}, at {site}: {share:.0%} of the {pool:,.0f} within {km:.0f} km is "
                                         "taken as recruitable, less {taken:,.0f} for those projects)",
                                   "fi": "sen oma tarve, {need:,.0f} {family}, on suurempi kuin mitä voitetut ja "
                                         "lyhytlistatut hankkeet jättävät rekrytoitavissa olevasta joukosta jokaisessa "
                                         "sille sopivassa kohteessa (enintään {cap:,.0f}, kohteessa {site}: "
                                         "rekrytoitavissa {share:.0%} niistä {pool:,.0f}, jotka asuvat {km:.0f} km "
                                         "säteellä, miinus näiden hankkeiden {taken:,.0f})"},
    "alloc.no_feasible": {"en": "no offering meets or may meet its hard needs (none to allocate)",
                          "fi": "mikään kohde ei täytä tai voi täyttää sen vaatimuksia (ei sijoitettavaa)"},
    "alloc.col.lead": {"en": "Lead", "fi": "Liidi"},
    "alloc.lead": {"en": "lead {id}: {name}", "fi": "liidi {id}: {name}"},
    "alloc.col.assigned": {"en": "Proposed site", "fi": "Ehdotettu kohde"},
    "alloc.col.best": {"en": "Its own best", "fi": "Oma paras"},
    "alloc.col.gives_up": {"en": "Gives up", "fi": "Luopuu"},
    "alloc.total": {"en": "{placed} of {n} leads placed; total score {total:.3f} against {best:.3f} if each had its "
                           "own best", "fi": "{placed}/{n} liidiä sijoitettu; pisteet yhteensä {total:.3f}, kun "
                           "kukin omassa parhaassaan {best:.3f}"},
    "alloc.none": {"en": "No active leads.", "fi": "Ei aktiivisia liidejä."},
    "nav.allocation": {"en": "Allocation", "fi": "Sijoittelu"},
    # companies for sale and projects seeking capital (matcher/portfolio/deals.py)
    "investor_type.strategic": {"en": "a strategic investor (industrial operator)",
                                "fi": "strateginen sijoittaja (teollinen toimija)"},
    "investor_type.financial": {"en": "a financial investor", "fi": "rahoitussijoittaja"},
    "deal.type_unknown": {"en": "{name} seeks {sought}; this investor's type is not stated",
                          "fi": "{name} hakee: {sought}; tämän investorin tyyppiä ei ole ilmoitettu"},
    "deal.type_differs": {"en": "{name} seeks {sought}, not {have}", "fi": "{name} hakee: {sought}, ei: {have}"},
    "deal.capital": {"en": "brings EUR {have:,.0f} M of the EUR {sought:,.0f} M sought",
                     "fi": "tuo {have:,.0f} M€ haetusta {sought:,.0f} M€:sta"},
    "deal.title": {"en": "What is offered", "fi": "Mitä tarjotaan"},
    "deal.none": {"en": "not stated in the sources", "fi": "ei mainita lähteissä"},
    "deal.source": {"en": "source", "fi": "lähde"},
    "deal.offered_stake": {"en": "offered", "fi": "tarjolla"},
    "deal.investor_type_sought": {"en": "investor sought", "fi": "haettu sijoittaja"},
    "deal.capital_sought_meur": {"en": "capital sought (MEUR)", "fi": "haettu pääoma (M€)"},
    "deal.size_band": {"en": "company size (EU SME definition)", "fi": "yrityksen koko (EU:n pk-määritelmä)"},
    "deal.offered_since": {"en": "offered since", "fi": "tarjolla alkaen"},
    "stake.majority": {"en": "a majority of the shares", "fi": "osake-enemmistö"},
    "stake.minority": {"en": "a minority stake", "fi": "vähemmistöosuus"},
    "stake.assets": {"en": "the business assets", "fi": "liiketoiminta ja omaisuus"},
    "size.micro": {"en": "micro", "fi": "mikroyritys"},
    "size.small": {"en": "small", "fi": "pieni"},
    "size.medium": {"en": "medium", "fi": "keskisuuri"},
    "size.large": {"en": "large", "fi": "suuri"},
    "nav.offerings": {"en": "Offerings", "fi": "Kohteet investoreille"},
    # the values of the catalog's enumerated columns, as a reader says them (term())
    "avail.available": {"en": "available", "fi": "saatavilla"},
    "avail.reserved": {"en": "reserved", "fi": "varattu"},
    "avail.taken": {"en": "taken", "fi": "ei saatavilla (varattu muulle tai rakennettu)"},
    "avail.reference": {"en": "reference (not offered)", "fi": "vertailukohde (ei tarjolla)"},
    "precision.site": {"en": "the site's own point", "fi": "kohteen oma sijainti"},
    "precision.area": {"en": "the named area's point", "fi": "nimetyn alueen sijainti"},
    "precision.village": {"en": "village or town centre (approximate)",
                          "fi": "kylän tai keskustan sijainti (likimääräinen)"},
    "precision.municipality": {"en": "the municipality's centre (the place lies elsewhere: distances unknown)",
                               "fi": "kunnan keskus (kohde on muualla kunnassa: etäisyyksiä ei tiedetä)"},
    "zoning.zoned": {"en": "zoned", "fi": "asemakaavoitettu"},
    "zoning.in_progress": {"en": "zoning in progress", "fi": "kaavoitus käynnissä"},
    "zoning.not_zoned": {"en": "not zoned", "fi": "ei asemakaavaa"},
    "permit.none_needed": {"en": "no permit needed", "fi": "lupaa ei tarvita"},
    "permit.not_started": {"en": "not started", "fi": "ei aloitettu"},
    "permit.in_progress": {"en": "in progress", "fi": "käsittelyssä"},
    "permit.environmental_permit": {"en": "environmental permit", "fi": "ympäristölupa"},
    "permit.building_permit": {"en": "building permit", "fi": "rakennuslupa"},
    "permit.all_permits": {"en": "all permits", "fi": "kaikki luvat"},
    # bad input, by pydantic error type (the API answers in Finnish with ?lang=fi or Accept-Language: fi)
    "err.extra_forbidden": {"en": "unknown field (not part of the contract)",
                            "fi": "tuntematon kenttä (ei kuulu sopimukseen)"},
    "err.missing": {"en": "Field required", "fi": "pakollinen kenttä puuttuu"},
    "err.nace_unknown": {"en": "unknown NACE Rev. 2 code {code} (use a section letter, '63', '63.1' or '63.11')",
                         "fi": "tuntematon toimialakoodi {code} (TOL 2008 / NACE Rev. 2: pääluokan kirjain, '63', "
                               "'63.1' tai '63.11')"},
    "err.month_format": {"en": "must be a month 'YYYY-MM' between 2000-01 and 2100-12",
                         "fi": "pitää olla kuukausi muodossa 'VVVV-KK' väliltä 2000-01–2100-12"},
    # a bound as its reader writes it (0; 1; 100 000 in Finnish, not 0.0, 1.0, 100000.0)
    "err.greater_than_equal": {"en": "must be at least {ge:g}", "fi": "pitää olla vähintään {ge:g}"},
    "err.greater_than": {"en": "must be greater than {gt:g}", "fi": "pitää olla suurempi kuin {gt:g}"},
    "err.less_than_equal": {"en": "must be at most {le:g}", "fi": "saa olla enintään {le:g}"},
    "err.less_than": {"en": "must be less than {lt:g}", "fi": "pitää olla pienempi kuin {lt:g}"},
    # the same bounds of a share that the reader types in percent (the web's green-power field)
    "err.greater_than_equal.percent": {"en": "must be at least {ge:.0%}", "fi": "pitää olla vähintään {ge:.0%}"},
    "err.less_than_equal.percent": {"en": "must be at most {le:.0%}", "fi": "saa olla enintään {le:.0%}"},
    "err.string_too_short": {"en": "at least {min_length} characters", "fi": "vähintään {min_length} merkkiä"},
    "err.string_too_long": {"en": "at most {max_length} characters", "fi": "enintään {max_length} merkkiä"},
    "err.too_short": {"en": "at least {min_length} items", "fi": "vähintään {min_length} kohtaa"},
    "err.too_long": {"en": "at most {max_length} items", "fi": "enintään {max_length} kohtaa"},
    "err.string_pattern_mismatch": {"en": "does not match the pattern {pattern}",
                                    "fi": "ei vastaa muotoa {pattern}"},
    "err.literal_error": {"en": "must be one of: {expected}", "fi": "pitää olla jokin näistä: {expected}"},
    "word.or": {"en": " or ", "fi": " tai "},  # the last of a list of choices (see ``either``)
    "err.enum": {"en": "must be one of: {expected}", "fi": "pitää olla jokin näistä: {expected}"},
    "err.float_type": {"en": "must be a number", "fi": "pitää olla luku"},
    "err.float_parsing": {"en": "must be a number", "fi": "pitää olla luku"},
    "err.int_type": {"en": "must be a whole number", "fi": "pitää olla kokonaisluku"},
    "err.int_parsing": {"en": "must be a whole number", "fi": "pitää olla kokonaisluku"},
    "err.int_from_float": {"en": "must be a whole number", "fi": "pitää olla kokonaisluku"},
    "err.bool_type": {"en": "must be true or false", "fi": "pitää olla true tai false"},
    "err.bool_parsing": {"en": "must be true or false", "fi": "pitää olla true tai false"},
    "err.string_type": {"en": "must be text", "fi": "pitää olla tekstiä"},
    "err.list_type": {"en": "must be a list", "fi": "pitää olla luettelo"},
    "err.dict_type": {"en": "must be an object", "fi": "pitää olla objekti"},
    "err.model_type": {"en": "must be an object", "fi": "pitää olla objekti"},
    "err.model_attributes_type": {"en": "must be an object", "fi": "pitää olla objekti"},
    "err.finite_number": {"en": "must be a finite number", "fi": "pitää olla kelvollinen luku"},
    "err.date_from_datetime_parsing": {"en": "must be a date (YYYY-MM-DD)", "fi": "pitää olla päivämäärä (VVVV-KK-PP)"},
    "err.json_invalid": {"en": "not valid JSON", "fi": "ei ole kelvollista JSONia"},
    "err.no_endpoint": {"en": "no such endpoint", "fi": "tällaista rajapintaa ei ole"},
    "err.method": {"en": "not allowed here (allowed: {allowed})", "fi": "ei sallittu tässä (sallitut: {allowed})"},
    "err.body_unreadable": {"en": "could not be read (not UTF-8 JSON, nested too deeply, or a broken multipart form)",
                            "fi": "ei voitu lukea (ei UTF-8-JSONia, liian syvä rakenne tai rikkinäinen lomake)"},
    "err.database": {"en": "unavailable; try again shortly", "fi": "ei käytettävissä; yritä hetken päästä uudelleen"},
    "err.internal": {"en": "internal error (logged)", "fi": "sisäinen virhe (kirjattu lokiin)"},
    # the data schema's reasons (matcher/core/schema.py): site upkeep, imports, what-ifs, validate-data
    "data.missing": {"en": "required value is missing", "fi": "pakollinen arvo puuttuu"},
    "data.control": {"en": "contains a control character (NUL or the like)",
                     "fi": "sisältää ohjausmerkin (NUL tai vastaava)"},
    "data.not_number": {"en": "not a number: {value} (ASCII digits, e.g. 12.5)",
                        "fi": "ei ole luku: {value} (numeroin, desimaalierottimena piste, esim. 12.5)"},
    # the web forms read decimal commas and spaces in thousands (api/web/pages_sites.py finnish_numbers)
    "data.not_number.form": {"en": "not a number: {value} (digits, e.g. {example})",
                             "fi": "ei ole luku: {value} (numeroin, esim. {example})"},
    "data.example_share": {"en": "0.9 or 90%", "fi": "0,9 tai 90 %"},
    "data.not_finite": {"en": "not a finite number: {value}", "fi": "ei ole kelvollinen luku: {value}"},
    "data.not_finite_json": {"en": "not a finite number", "fi": "ei ole kelvollinen luku"},
    "data.not_whole": {"en": "not a whole number: {value}", "fi": "ei ole kokonaisluku: {value}"},
    "data.below_min": {"en": "{amount} is below the allowed minimum {lo}",
                       "fi": "{amount} on alle sallitun vähimmäisarvon {lo}"},
    "data.above_max": {"en": "{amount} is above the allowed maximum {hi}",
                       "fi": "{amount} on yli sallitun enimmäisarvon {hi}"},
    "data.number": {"en": "{value:g}", "fi": "{value:g}"},
    "data.must_be_text": {"en": "must be text, not {what}", "fi": "pitää olla tekstiä, ei {what}"},
    "data.must_be_number": {"en": "must be a number, not {what}", "fi": "pitää olla luku, ei {what}"},
    "data.not_bool": {"en": "must be true or false, not {what}", "fi": "pitää olla true tai false, ei {what}"},
    "data.kind": {"en": "unsupported column kind {kind}", "fi": "tuntematon saraketyyppi {kind}"},
    "json.bool": {"en": "a boolean", "fi": "totuusarvo"},
    "json.number": {"en": "a number", "fi": "luku"},
    "json.text": {"en": "text", "fi": "tekstiä"},
    "json.object": {"en": "an object", "fi": "objekti"},
    "json.list": {"en": "a list", "fi": "luettelo"},
    "data.not_choice": {"en": "{value} is not one of {choices}", "fi": "{value} ei ole mikään näistä: {choices}"},
    "data.unknown_code": {"en": "unknown municipality code {value}", "fi": "tuntematon kuntanumero {value}"},
    "data.unknown_codes": {"en": "unknown municipality code(s): {codes}", "fi": "tuntemattomat kuntanumerot: {codes}"},
    "data.unknown_nace": {"en": "unknown NACE Rev. 2 code(s): {codes}",
                          "fi": "tuntemattomat toimialakoodit (TOL 2008 / NACE Rev. 2): {codes}"},
    "data.not_url": {"en": "not a URL: {value}", "fi": "ei ole URL-osoite: {value}"},
    "data.not_date": {"en": "must be a date YYYY-MM-DD, not {value}",
                      "fi": "pitää olla päivämäärä muodossa VVVV-KK-PP, ei {value}"},
    "data.not_month": {"en": "must be a month YYYY-MM, not {value}",
                       "fi": "pitää olla kuukausi muodossa VVVV-KK, ei {value}"},
    "data.too_long": {"en": "text longer than {n} characters", "fi": "teksti on yli {n:,} merkkiä pitkä"},
    "data.no_source": {"en": "value has no source (fill {column}_source with a URL or a source_id)",
                       "fi": "arvolla ei ole lähdettä (täytä {column}_source: URL-osoite tai sources.csv:n source_id)"},
    "data.bad_source": {"en": "source {value} is neither a URL nor a source_id of sources.csv",
                        "fi": "lähde {value} ei ole URL-osoite eikä sources.csv:n source_id"},
    # the site form shows a value's source as a field below it (api/web/templates/site_form.html)
    "data.no_source.field": {"en": "the value has no source: add the web address of its source in the field “source”",
                             "fi": "arvolla ei ole lähdettä: lisää lähteen verkko-osoite kenttään ”lähde”"},
    "data.bad_source.field": {"en": "{value} is not a web address (https://…)",
                              "fi": "{value} ei ole verkko-osoite (https://…)"},
    "data.not_id": {"en": "{value} is not an id (letters, digits, '_', '.', '-'; starting with a letter or digit; "
                          "at most 40)",
                    "fi": "{value} ei kelpaa tunnukseksi (kirjaimia, numeroita, '_', '.', '-'; alkaa kirjaimella tai "
                          "numerolla; enintään 40 merkkiä)"},
    "data.area_over_max": {"en": "{area} ha is more than area_ha_max {bound} ha (the stated upper bound)",
                           "fi": "{area} ha on enemmän kuin area_ha_max {bound} ha (ilmoitettu yläraja)"},
    "data.unknown_column": {"en": "unknown column", "fi": "tuntematon sarake"},
    "data.not_a_column": {"en": "not a column", "fi": "ei ole sarake"},
    "data.duplicate_id": {"en": "duplicate id {value}", "fi": "tunnus {value} on jo käytössä"},
    # the embed fragment for a municipality's own pages
    "embed.title": {"en": "{name}: sites and offerings for investors", "fi": "{name}: kohteet sijoittajille"},
    "embed.none": {"en": "No offerings listed yet.", "fi": "Kohteita ei ole vielä lueteltu."},
    "embed.no_status": {"en": "status not stated", "fi": "tilannetta ei kerrottu"},
    "embed.updated": {"en": "updated {date}", "fi": "päivitetty {date}"},
    "embed.sources": {"en": "sources", "fi": "lähteet"},
    "embed.reserved": {"en": "reserved for another project", "fi": "varattu toiselle hankkeelle"},
}


_SPEC = re.compile(r"^(?P<group>,)?(?:\.(?P<digits>\d+))?(?P<type>[fg%]?)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class _Finnish(string.Formatter):
    """Numbers as a Finnish reader reads them, by Babel: 39 930 (not 39,930), 0,8, 90 %, and a
    refused 99999999999 as 99 999 999 999 (``g`` keeps an exponent only beyond 21 digits, where
    grouped digits would not be readable either); ISO dates as 28.11.2026. English keeps Python's
    own formatting."""

    def format_field(self, value: Any, spec: str) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            m = _SPEC.match(spec)
            if m and spec:
                from babel.numbers import format_decimal, format_percent

                digits = int(m["digits"]) if m["digits"] is not None else None
                decimals = "." + "0" * digits if digits else ""
                if m["type"] == "%":
                    return format_percent(value, "#,##0" + decimals + "\u00a0%", locale="fi_FI")
                if m["type"] == "f" or (m["group"] and not m["type"]):
                    return format_decimal(value, ("#,##0" if m["group"] else "0") + decimals, locale="fi_FI")
                if m["type"] == "g" and value and not 1e-6 <= abs(value) < 1e21:  # 1e+25, not 26 digits or 0
                    return format(value, "g").replace(".", ",")
                return format_decimal(value, "#,##0.######", locale="fi_FI")  # g
        if isinstance(value, str) and not spec and (d := _ISO_DATE.match(value)):
            return f"{int(d[3])}.{int(d[2])}.{d[1]}"
        return super().format_field(value, spec)


_FI = _Finnish()


def _format(template: str, lang: str, kw: dict[str, object]) -> str:
    return _FI.vformat(template, (), kw) if lang == "fi" else template.format(**kw)


def t(key: str, lang: Lang = "en", **kw: object) -> str:
    """The message ``key`` in ``lang``, formatted with ``kw`` (numbers and dates in the
    language's own way). The same facts recur in every ranking (labels, a site's numbers),
    so formatted texts are kept in a bounded cache. With ``n == 1`` the key's ``.one`` form is
    used where the catalogue has one ("1 kenttä pitää korjata")."""
    if kw.get("n") == 1 and f"{key}.one" in CATALOGUE:
        key = f"{key}.one"
    try:
        return _formatted(key, lang, tuple(kw.items()))
    except TypeError:  # an unhashable argument: format without the cache
        return _format(CATALOGUE[key][lang], lang, kw)


# Which catalogue prefix names the values of each enumerated site column.
TERM_PREFIX = {"kind": "kind", "availability": "avail", "location_precision": "precision",
               "zoning_status": "zoning", "permit_status": "permit", "offered_stake": "stake",
               "investor_type_sought": "investor_type", "size_band": "size"}


def term(column: str, value: object, lang: Lang = "en") -> str:
    """A stored code ('industrial_area') as the reader says it ('teollisuusalue'); a value without
    a name in the catalogue is shown as stored, underscores as spaces."""
    key = f"{TERM_PREFIX.get(column, column)}.{value}"
    if key in CATALOGUE:
        return CATALOGUE[key][lang]
    return "" if value is None else str(value).replace("_", " ")


def either(words: list[str] | tuple[str, ...], lang: Lang = "en") -> str:
    """Choices as a sentence says them: 'a, b or c' / 'a, b tai c'."""
    words = list(words)
    return ", ".join(words[:-1]) + t("word.or", lang) + words[-1] if len(words) > 1 else "".join(words)


def with_municipality(name: str, municipality: str) -> str:
    """A site and its municipality, 'Name (Kuhmo)'; a name that already ends with its municipality
    ('Woodpolis area …, Kuhmo') is not followed by it again."""
    if not municipality or re.search(rf"(^|\W){re.escape(municipality)}\W*$", name, re.IGNORECASE):
        return name
    return f"{name} ({municipality})"


class Reason(str):
    """A reason worded once in the catalogue: its text is the English (what logs, the CLI and
    ``str()`` read), and it keeps its ``key`` and ``values`` so a reader's language can say it
    again (``say``). A value may itself be a Reason (a type name, a number) or a text per language
    ({"en": ..., "fi": ...}), said in the same language."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Reason:
        self = super().__new__(cls, _said(key, "en", values))
        self.key, self.values = key, values
        return self

    def say(self, lang: str) -> str:
        return _said(self.key, lang, self.values)

    def __reduce__(self) -> tuple[Any, ...]:
        return _reason, (self.key, self.values)


def _reason(key: str, values: dict[str, object]) -> Reason:
    return Reason(key, **values)


def _said(key: str, lang: str, values: dict[str, object]) -> str:
    return t(key, lang, **{k: _in(v, lang) for k, v in values.items()})  # type: ignore[arg-type]


def _in(value: object, lang: str) -> object:
    if isinstance(value, Reason):
        return value.say(lang)
    if isinstance(value, dict):  # a text given per language ({"en": "deg", "fi": "astetta"})
        return value.get(lang, value["en"])
    return value


def say(reason: object, lang: str) -> str:
    """A reason in ``lang``: a Reason said again, any other text as it is."""
    return reason.say(lang) if isinstance(reason, Reason) else str(reason)


@lru_cache(maxsize=16_384)
def _formatted(key: str, lang: str, kw: tuple[tuple[str, object], ...]) -> str:
    return _format(CATALOGUE[key][lang], lang, dict(kw))
