"""A pitch brief as Markdown, HTML (chart inlined) or PDF. PDF through fpdf2: pure Python,
no system libraries (WeasyPrint would need Pango on every machine), with the DejaVu font
that matplotlib ships so Finnish and symbols print as they are."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.catalog import SAME_POINT_KM
from ..core.messages import t, with_municipality
from .pitch import Brief

FORMATS = ("md", "html", "pdf")


def chart_png(b: Brief) -> bytes:
    """Stacked contributions per site: the parts add up to the score that ranked it."""
    import matplotlib  # imported here: a second of start-up the API and CLI need not pay

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    crits = [k for k in b.sites[0].contributions] if b.sites else []
    fig, ax = plt.subplots(figsize=(7.5, 0.6 + 0.55 * max(1, len(b.sites))), dpi=110)
    labels = [f"{s.rank}. {s.name[:38]}" for s in b.sites][::-1]
    left_pos = [0.0] * len(b.sites)
    left_neg = [0.0] * len(b.sites)
    cmap = plt.get_cmap("tab20")
    for k, crit in enumerate(crits):
        vals = [s.contributions.get(crit, 0.0) for s in b.sites][::-1]
        lefts = [lp if v >= 0 else ln for v, lp, ln in zip(vals, left_pos, left_neg)]
        ax.barh(labels, vals, left=lefts, color=cmap(k % 20), label=t(f"label.{crit}", b.lang))  # type: ignore[arg-type]
        left_pos = [lp + max(v, 0) for v, lp in zip(vals, left_pos)]
        left_neg = [ln + min(v, 0) for v, ln in zip(vals, left_neg)]
    ax.set_xlabel(t("pitch.col.score", b.lang))  # type: ignore[arg-type]
    ax.set_title(t("pitch.chart", b.lang), fontsize=10)  # type: ignore[arg-type]
    ax.legend(fontsize=6, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.5 / (1 + len(b.sites))),
              frameon=False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _state(b: Brief, state: str) -> str:
    return b.text(f"state.{state}")


def _score(b: Brief, score: float) -> str:
    return b.text("cli.score_value", score=score)  # the CLI table's format: 0,721 in Finnish


def to_markdown(b: Brief, chart: str | None = None) -> str:
    L = [f"# {b.text('pitch.title', name=b.profile.name)}", "",
         b.text("pitch.lead", name=b.profile.name, sector=b.profile.sector, count=b.candidates_total,
                meets=b.meets_total, unverified=b.unverified_total), "", f"## {b.text('pitch.shortlist')}", "",
         f"| {b.text('pitch.col.rank')} | {b.text('pitch.col.site')} | {b.text('pitch.col.municipality')} | "
         f"{b.text('pitch.col.score')} | {b.text('pitch.col.feasible')} |", "|---|---|---|---|---|"]
    L += [f"| {s.rank} | {s.name} | {s.municipality} | {_score(b, s.score)} | {_state(b, s.feasibility)} |"
          for s in b.sites]
    if chart:
        L += ["", f"![{b.text('pitch.chart')}]({chart})"]
    for s in b.sites:
        L += ["", f"## {s.rank}. {with_municipality(s.name, s.municipality)}", "", f"**{b.text('pitch.why')}**", ""]
        L += [f"- {w}" for w in s.why] + ([f"- {s.weakness}"] if s.weakness else [])
        L += ["", f"**{b.text('pitch.facts')}**", ""] + [f"- {lab}: {txt}" for lab, txt, _ in s.facts]
        L += ["", f"**{b.text('pitch.unverified')}**", ""] + ([f"- {u}" for u in s.unverified] or
                                                              [f"- {b.text('pitch.none')}"])
        if s.contact:
            L += ["", b.text("pitch.contact", role=s.contact) + (f" ({s.contact_source})" if s.contact_source else "")]
        L += ["", f"**{b.text('pitch.sources')}** ({b.text('pitch.updated', date=s.last_updated)})", ""]
        L += [f"- {u}" for u in s.sources]
    L += ["", f"## {b.text('pitch.visit_plan')}", "", b.text("pitch.visit_intro"), ""]
    for n, v in enumerate(b.visits, 1):
        L.append(visit_line(b, n, v))
        L.append("")
    L += ["---", b.text("pitch.footer", snapshot=b.snapshot, model=b.model_version, as_of=b.as_of), ""]
    return "\n".join(L)


def to_html(b: Brief) -> str:
    e = html.escape
    png = base64.b64encode(chart_png(b)).decode()
    # readable on a phone too: the viewport, a side margin, images and tables no wider than the screen,
    # long source addresses broken
    parts = [f"<!doctype html><html lang='{b.lang}'><head><meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             f"<title>{e(b.text('pitch.title', name=b.profile.name))}</title>",
             "<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.4;"
             "overflow-wrap:break-word}img{max-width:100%;height:auto}"
             "table{border-collapse:collapse;display:block;overflow-x:auto;max-width:100%}"
             "td,th{border:1px solid #bbb;padding:.2rem .5rem}"
             ".unknown{color:#a15c00}footer{color:#555;font-size:.9em}</style></head><body>",
             f"<h1>{e(b.text('pitch.title', name=b.profile.name))}</h1>",
             f"<p>{e(b.text('pitch.lead', name=b.profile.name, sector=b.profile.sector, count=b.candidates_total, meets=b.meets_total, unverified=b.unverified_total))}</p>",
             f"<h2>{e(b.text('pitch.shortlist'))}</h2><table><tr>"
             + "".join(f"<th>{e(b.text(k))}</th>" for k in ("pitch.col.rank", "pitch.col.site", "pitch.col.municipality",
                                                           "pitch.col.score", "pitch.col.feasible")) + "</tr>"]
    parts += [f"<tr><td>{s.rank}</td><td>{e(s.name)}</td><td>{e(s.municipality)}</td><td>{_score(b, s.score)}</td>"
              f"<td>{e(_state(b, s.feasibility))}</td></tr>" for s in b.sites]
    parts.append(f"</table><p><img alt='{e(b.text('pitch.chart'))}' src='data:image/png;base64,{png}'></p>")
    for s in b.sites:
        parts.append(f"<h2>{s.rank}. {e(with_municipality(s.name, s.municipality))}</h2><h3>{e(b.text('pitch.why'))}</h3><ul>"
                     + "".join(f"<li>{e(w)}</li>" for w in s.why + ([s.weakness] if s.weakness else [])) + "</ul>")
        parts.append(f"<h3>{e(b.text('pitch.facts'))}</h3><ul>" + "".join(
            f"<li{'' if k else ' class=unknown'}>{e(lab)}: {e(txt)}</li>" for lab, txt, k in s.facts) + "</ul>")
        parts.append(f"<h3>{e(b.text('pitch.unverified'))}</h3><ul>"
                     + ("".join(f"<li>{e(u)}</li>" for u in s.unverified) or f"<li>{e(b.text('pitch.none'))}</li>") + "</ul>")
        if s.contact:
            parts.append(f"<p>{e(b.text('pitch.contact', role=s.contact))}</p>")
        parts.append(f"<h3>{e(b.text('pitch.sources'))}</h3><p>{e(b.text('pitch.updated', date=s.last_updated))}</p><ul>"
                     + "".join(f"<li><a href='{e(u)}'>{e(u)}</a></li>" for u in s.sources) + "</ul>")
    parts.append(f"<h2>{e(b.text('pitch.visit_plan'))}</h2><p>{e(b.text('pitch.visit_intro'))}</p><ol>")
    parts += [f"<li>{e(visit_line(b, n, v).split('. ', 1)[1])}</li>" for n, v in enumerate(b.visits, 1)]
    parts.append(f"</ol><footer>{e(b.text('pitch.footer', snapshot=b.snapshot, model=b.model_version, as_of=b.as_of))}"
                 "</footer></body></html>")
    return "".join(parts)


def pdf_document() -> tuple[Any, Callable[..., None]]:
    """An A4 fpdf2 document on its first page, with the DejaVu fonts matplotlib ships (so
    Finnish letters and symbols print as they are), and a paragraph writer for it."""
    import matplotlib
    from fpdf import FPDF

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    bold = font.with_name("DejaVuSans-Bold.ttf")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(font))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.add_page()

    def para(text: str, size: float = 10, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(pdf.epw, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    return pdf, para


def to_pdf(b: Brief) -> bytes:
    pdf, para = pdf_document()
    w = pdf.epw

    para(b.text("pitch.title", name=b.profile.name), 16, "B", 3)
    para(b.text("pitch.lead", name=b.profile.name, sector=b.profile.sector, count=b.candidates_total,
                meets=b.meets_total, unverified=b.unverified_total))
    para(b.text("pitch.shortlist"), 13, "B")
    for s in b.sites:
        para(f"{s.rank}. {s.name} – {s.municipality} – {b.text('pitch.col.score')} {_score(b, s.score)} – "
             f"{b.text('pitch.col.feasible')}: {_state(b, s.feasibility)}", 10, "", 0.5)
    pdf.image(io.BytesIO(chart_png(b)), w=w)
    for s in b.sites:
        para(f"{s.rank}. {with_municipality(s.name, s.municipality)}", 13, "B")
        para(b.text("pitch.why"), 11, "B", 0.5)
        for x in s.why + ([s.weakness] if s.weakness else []):
            para(f"• {x}", 9.5, "", 0.3)
        para(b.text("pitch.facts"), 11, "B", 0.5)
        for lab, txt, _ in s.facts:
            para(f"• {lab}: {txt}", 9.5, "", 0.3)
        para(b.text("pitch.unverified"), 11, "B", 0.5)
        for u in s.unverified or [b.text("pitch.none")]:
            para(f"• {u}", 9.5, "", 0.3)
        if s.contact:
            para(b.text("pitch.contact", role=s.contact), 9.5)
        para(f"{b.text('pitch.sources')} ({b.text('pitch.updated', date=s.last_updated)})", 11, "B", 0.5)
        for u in s.sources:
            para(u, 8, "", 0.3)
    para(b.text("pitch.visit_plan"), 13, "B")
    para(b.text("pitch.visit_intro"), 9.5)
    for n, v in enumerate(b.visits, 1):
        para(visit_line(b, n, v), 9.5, "", 0.5)
    para(b.text("pitch.footer", snapshot=b.snapshot, model=b.model_version, as_of=b.as_of), 8)
    return bytes(pdf.output())


def render(b: Brief, fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(b).encode()
    if fmt == "html":
        return to_html(b).encode()
    if fmt == "pdf":
        return to_pdf(b)
    raise ValueError(f"format: use one of {', '.join(FORMATS)}")


def visit_line(b: Any, n: int, v: Any) -> str:
    """One stop of the visit plan; the first is measured from Kajaani airport, the others from the stop before."""
    key = ("pitch.visit_row.first" if n == 1 else "pitch.visit_row" if v.km_from_previous >= SAME_POINT_KM
           else "pitch.visit_row.same" if v.exact_leg else "pitch.visit_row.near")
    return (b.text(key, n=n, site=with_municipality(v.name, v.municipality), km=v.km_from_previous, host=v.host)
            + (b.text("pitch.visit_approx") if v.approximate else ""))
