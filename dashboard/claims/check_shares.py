"""Claims 3 and 9: partner shares of Colombia's exports and imports, from the series of record.

A share is the record of Colombia's trade with the partner over the record of its trade with the World, both
Colombia-reported, in the same year; the card names the publisher of each. Years after the articles' (2024) are
left out of the verdicts: from 2025 DIAN withholds many export destinations as "not declared".
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.claims.card import (
    COL_REPORTED,
    DIAN_WITHHELD_FROM_YEAR,
    REFERENCE_YEAR_MAX,
    SHARES_FROM_YEAR,
    ClaimCard,
    ClaimData,
    bn,
    empty_frame,
    number_row,
    numbers_frame,
    pct,
    perspective,
    span_gaps,
)
from dashboard.claims.rules import CANNOT_CHECK, verdict_conditions
from dashboard.claims.series import record_rows
from dashboard.claims.specs import ClaimSpec
from dashboard.claims.words import Words
from etl.schema import CHINA, UNITED_STATES, WORLD
from etl.years import format_years

SHARE_COLUMNS = ["year", "partner", "value_usd", "world_usd", "share", "source", "months", "publisher",
                 "world_publisher", "dataset", "valuation", "note", "provisional", "comparable"]  # fmt: skip


def colombia_partner_shares(
    data: ClaimData, flow: str, partners: Sequence[str] = (UNITED_STATES, CHINA)
) -> pd.DataFrame:
    """Partner shares of Colombia's exports or imports by year, numerator and denominator from the record."""
    world = record_rows(data, WORLD, flow).set_index("year")
    rows = []
    for partner in partners:
        part = record_rows(data, partner, flow)
        for r in part.to_dict("records"):
            year = int(r["year"])
            if year not in world.index:
                continue
            w = pd.Series(world.loc[year])
            note = "provisional" if bool(r["provisional"]) or bool(w["provisional"]) else ""
            if flow == "export" and year >= DIAN_WITHHELD_FROM_YEAR:
                note = (
                    note + "; " if note else ""
                ) + "destinations partly withheld as 'not declared' from 2025"
            rows.append({
                "year": year, "partner": partner, "value_usd": float(r["value_usd"]),
                "world_usd": float(w["value_usd"]), "source": str(r["source"]), "months": int(r["months_covered"]),
                "publisher": str(r["citation"]), "world_publisher": str(w["citation"]),
                "dataset": data.datasets.get(str(r["source"]), str(r["source"])),
                "valuation": f"{r['valuation']} ÷ {w['valuation']}", "note": note,
                "provisional": bool(r["provisional"]) or bool(w["provisional"]),
                "comparable": bool(r.get("comparable", True)) and bool(w.get("comparable", True)),
            })  # fmt: skip
    if not rows:
        return empty_frame(SHARE_COLUMNS)
    frame = pd.DataFrame(rows)
    frame["share"] = frame["value_usd"] / frame["world_usd"]
    return frame[SHARE_COLUMNS].sort_values(["partner", "year"], ignore_index=True)


def _in_span(shares: pd.DataFrame) -> pd.DataFrame:
    return shares[(shares["year"] >= SHARES_FROM_YEAR) & (shares["year"] <= REFERENCE_YEAR_MAX)].reset_index(
        drop=True
    )


NOTES_ES = {
    "provisional": "provisional",
    "destinations partly withheld as 'not declared' from 2025": "destinos reservados en parte como 'no declarados' "
    "desde 2025",
}


def _note(note: str, w: Words) -> str:
    return "; ".join(NOTES_ES.get(part, part) for part in note.split("; ")) if w.es and note else note


def _share_numbers(frame: pd.DataFrame, what: str, w: Words) -> list[dict]:
    what_es = {"exports": "las exportaciones", "imports": "las importaciones"}[what]
    return [number_row(w.t(f"{r['partner']} share of Colombia's {what}",
                           f"participación de {r['partner']} en {what_es} de Colombia"),
                       r["year"], perspective(COL_REPORTED, w.lang), r["share"] * 100, "%",
                       r["valuation"], r["source"], r["dataset"],
                       f"{w.rec(r['publisher'])}; total: {w.rec(r['world_publisher'])}",
                       _note(r["note"], w), provisional=r["provisional"], comparable=r["comparable"])
            for r in frame.to_dict("records")]  # fmt: skip


def check_us_dependence(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    tol = spec.tolerance
    exports = _in_span(colombia_partner_shares(data, "export"))
    imports = _in_span(colombia_partner_shares(data, "import"))
    numbers = numbers_frame(_share_numbers(exports, "exports", w) + _share_numbers(imports, "imports", w))
    both = pd.DataFrame(exports.pivot_table(index="year", columns="partner", values="share"))
    both = both.dropna() if {UNITED_STATES, CHINA} <= set(both.columns) else pd.DataFrame()
    missing = []
    for flow, flow_es, frame in (
        ("exports to", "exportaciones a", exports),
        ("imports from", "importaciones desde", imports),
    ):
        gaps = span_gaps(frame[frame["partner"] == UNITED_STATES]["year"] if not frame.empty else [])
        if gaps:
            missing.append(
                w.t(
                    f"Colombia-reported {flow} the US with the World total: {format_years(gaps)}",
                    f"{flow_es} EE. UU. según Colombia, con el total mundial: {format_years(gaps)}",
                )
            )
    if both.empty:
        return ClaimCard(spec, CANNOT_CHECK, (w.t("No year has both US and China shares of Colombia's exports.",
                                                  "Ningún año tiene a la vez la participación de EE. UU. y la de China en "
                                                  "las exportaciones de Colombia."),),
                         numbers, tuple(missing), exports)  # fmt: skip
    year = int(both.index.max())
    us_share, cn_share = float(both.at[year, UNITED_STATES]), float(both.at[year, CHINA])  # type: ignore[arg-type]
    threshold = float(tol["us_export_share_min"])
    verdict = verdict_conditions([us_share >= threshold, us_share > cn_share])
    first = int(both.index.min())
    us_row = exports[(exports["year"] == year) & (exports["partner"] == UNITED_STATES)].iloc[0]
    first_us, first_cn = float(both.at[first, UNITED_STATES]), float(both.at[first, CHINA])  # type: ignore[arg-type]
    sentences = [
        w.t(f"In {year} the US took {pct(us_share)} of Colombia's exports and China {pct(cn_share)} "
            f"({us_row['publisher']}; total: {us_row['world_publisher']}); in {first} they were "
            f"{pct(first_us)} and {pct(first_cn)}.",
            f"En {year} EE. UU. recibió el {w.pct(us_share)} de las exportaciones de Colombia y China el "
            f"{w.pct(cn_share)} ({w.rec(us_row['publisher'])}; total: {w.rec(us_row['world_publisher'])}); en {first} "
            f"eran el {w.pct(first_us)} y el {w.pct(first_cn)}."),
    ]  # fmt: skip
    imp = imports.pivot_table(index="year", columns="partner", values="share")
    facts = {"year": float(year), "us_export_share": us_share, "china_export_share": cn_share}
    if {UNITED_STATES, CHINA} <= set(imp.columns) and not imp.dropna().empty:
        iy = int(imp.dropna().index.max())
        us_imp, cn_imp = float(imp.at[iy, UNITED_STATES]), float(imp.at[iy, CHINA])  # type: ignore[arg-type]
        facts.update(us_import_share=us_imp, china_import_share=cn_imp)
        src = imports[(imports["year"] == iy) & (imports["partner"] == UNITED_STATES)].iloc[0]
        sentences.append(w.t(f"Of Colombia's imports in {iy}, {pct(us_imp)} came from the US and "
                             f"{pct(cn_imp)} from China ({src['publisher']}; total: "
                             f"{src['world_publisher']}).",
                             f"De las importaciones de Colombia en {iy}, el {w.pct(us_imp)} vino de EE. UU. y el "
                             f"{w.pct(cn_imp)} de China ({w.rec(src['publisher'])}; total: "
                             f"{w.rec(src['world_publisher'])})."))  # fmt: skip
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), exports, facts,
                     basis=w.t("Colombia-reported exports (FOB) to the partner ÷ Colombia's exports to the World, same year",
                               "exportaciones (FOB) al socio según Colombia ÷ exportaciones de Colombia al mundo, mismo año"),
                     figure=w.t(f"US {pct(us_share)} and China {pct(cn_share)} of Colombia's exports in {year}",
                                f"EE. UU. {w.pct(us_share)} y China {w.pct(cn_share)} de las exportaciones de Colombia en {year}"),
                     citation=f"{w.rec(us_row['publisher'])}; total: {w.rec(us_row['world_publisher'])}")  # fmt: skip


def check_china_import_growth(spec: ClaimSpec, data: ClaimData, lang: str = "en") -> ClaimCard:
    w = Words(lang)
    tol = spec.tolerance
    shares = _in_span(colombia_partner_shares(data, "import", partners=(CHINA,)))
    numbers = numbers_frame(
        [number_row(w.t("imports from China", "importaciones desde China"), r["year"], perspective(COL_REPORTED, lang),
                    r["value_usd"], "USD", "CIF", r["source"], r["dataset"], w.rec(r["publisher"]), _note(r["note"], w),
                    provisional=r["provisional"], comparable=r["comparable"])
         for r in shares.to_dict("records")]
        + _share_numbers(shares, "imports", w)
    )  # fmt: skip
    gaps = span_gaps(shares["year"])
    missing = (
        [w.t(f"Colombia-reported imports from China with the World total: {format_years(gaps)}",
             f"importaciones desde China según Colombia, con el total mundial: {format_years(gaps)}")] if gaps else []
    )  # fmt: skip
    if len(shares) < 2:
        return ClaimCard(spec, CANNOT_CHECK, (w.t("Fewer than two years of Colombia's imports from China are bundled.",
                                                  "Los datos incluidos tienen menos de dos años de importaciones de "
                                                  "Colombia desde China."),),
                         numbers, tuple(missing), shares)  # fmt: skip
    first, last = shares.iloc[0], shares.iloc[-1]
    rise_pts = (float(last["share"]) - float(first["share"])) * 100
    growth = float(last["value_usd"]) / float(first["value_usd"])
    verdict = verdict_conditions([rise_pts >= float(tol["share_rise_min_pts"]), growth > 1])
    sentences = [
        w.t(f"Imports from China went from USD {bn(first['value_usd'])} bn in {int(first['year'])} to "
            f"USD {bn(last['value_usd'])} bn in {int(last['year'])} (×{growth:.1f}; {last['publisher']}); China's share "
            f"of Colombia's imports moved from {pct(first['share'])} to {pct(last['share'])} ({rise_pts:+.1f} points; "
            f"total: {last['world_publisher']}).",
            f"Las importaciones desde China pasaron de {w.bn(first['value_usd'])} en {int(first['year'])} a "
            f"{w.bn(last['value_usd'])} en {int(last['year'])} (×{w.num(growth)}; {w.rec(last['publisher'])}); la "
            f"participación de China en las importaciones de Colombia pasó del {w.pct(first['share'])} al "
            f"{w.pct(last['share'])} ({w.points(rise_pts)} puntos; total: {w.rec(last['world_publisher'])})."),
        w.t("The articles do not say what the associations feared; the data only shows how much exposure there is.",
            "Los artículos no dicen qué temían los gremios; los datos solo muestran cuánta exposición hay."),
    ]  # fmt: skip
    facts = {"first_year": float(first["year"]), "last_year": float(last["year"]), "first_share": float(first["share"]),
             "last_share": float(last["share"]), "growth_factor": growth, "last_imports_usd": float(last["value_usd"]),
             "share_rise_pts": rise_pts}  # fmt: skip
    return ClaimCard(spec, verdict, tuple(sentences), numbers, tuple(missing), shares, facts,
                     basis=w.t("Colombia-reported imports (CIF) from China ÷ Colombia's imports from the World, same year",
                               "importaciones (CIF) desde China según Colombia ÷ importaciones de Colombia desde el "
                               "mundo, mismo año"),
                     figure=f"{w.pct(first['share'])} ({int(first['year'])}) → {w.pct(last['share'])} ({int(last['year'])})",
                     citation=f"{w.rec(last['publisher'])}; total: {w.rec(last['world_publisher'])}")  # fmt: skip
