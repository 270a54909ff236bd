"""`"method": "linear"` at `"level": "hs6"` reproduces WITS-SMART's published formulas, computed here separately
and plainly (one product and one supplier at a time) on the raw Census files (Laird & Yeats 1986, annex I; Jammes &
Olarreaga 2005, section 1):

    TC_k = η M_k Δt_k/(1 + t0_k)
    TD_k = M_k M_R σ x_k / (M_k + M_R + M_k σ x_k),  x_k = −[(1 + Δt_k/(1+t0_k)) / (1 + r_R) − 1]

for each supplier k whose tariff changed, R = the product's other suppliers (their price change r_R, weighted by
imports); the suppliers whose tariff did not change lose the sum of those gains in proportion to their imports."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from model.scenario import run_scenario
from model.spec import parse_spec

RAW = Path(__file__).resolve().parents[2] / "data" / "raw" / "us-census-imports-2024-hs10"
SLOVAKIA = "4359"  # inside the EU aggregate (0003): left out, as it would otherwise count twice
ETA, SIGMA = -1.25, 1.5
PRODUCTS = ("0603", "0901", "0803")
CHANGES = {"COL": 10.0, "ECU": 5.0}  # points added


def _raw_hs6() -> pd.DataFrame:
    mapping = pd.read_csv(RAW / "CensusCountryMapping_FRBAtl_short.csv", dtype=str)
    iso3 = dict(zip(mapping["CTY_CODE"], mapping["ISO3"], strict=True))
    iso3["0003"] = "EUN"
    frames = []
    for path in sorted(RAW.glob("2024-hs10-imports*.parquet")):
        code = path.stem.removeprefix("2024-hs10-imports")
        if code == SLOVAKIA:
            continue
        frame = pd.read_parquet(path, columns=["I_COMMODITY", "imports", "duty"])
        frame = frame[frame["I_COMMODITY"].str.startswith(PRODUCTS)]
        frames.append(frame.assign(partner=iso3[code], hs6=frame["I_COMMODITY"].str[:6]))
    rows = pd.concat(frames).groupby(["hs6", "partner"], as_index=False)[["imports", "duty"]].sum()
    rows = rows[rows["imports"] > 0].copy()
    rows["t0"] = rows["duty"].clip(lower=0) / rows["imports"]
    rows["dt"] = rows["partner"].map(CHANGES).fillna(0.0) / 100
    return rows


def _smart_by_hand(rows: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for hs6, product in rows.groupby("hs6"):
        suppliers = list(product.itertuples(index=False))
        creation = {s.partner: ETA * s.imports * s.dt / (1 + s.t0) for s in suppliers}
        diversion = {s.partner: 0.0 for s in suppliers}
        for s in suppliers:
            if s.dt == 0:
                continue
            rest = [o for o in suppliers if o.partner != s.partner]
            m_rest = sum(o.imports for o in rest)
            if m_rest == 0:
                continue
            r_rest = sum(o.imports * o.dt / (1 + o.t0) for o in rest) / m_rest
            x = -((1 + s.dt / (1 + s.t0)) / (1 + r_rest) - 1)
            diversion[s.partner] = (
                s.imports * m_rest * SIGMA * x / (s.imports + m_rest + s.imports * SIGMA * x)
            )
        unchanged = [s for s in suppliers if s.dt == 0]
        gained = sum(diversion.values())
        total_unchanged = sum(s.imports for s in unchanged)
        for s in unchanged:
            diversion[s.partner] = -gained * s.imports / total_unchanged
        if not unchanged:  # every supplier changed: the remainder spread by imports
            total = sum(s.imports for s in suppliers)
            residual = sum(diversion.values())
            for s in suppliers:
                diversion[s.partner] -= residual * s.imports / total
        for s in suppliers:
            out[(hs6, s.partner)] = (creation[s.partner], diversion[s.partner])
    return out


@pytest.fixture(scope="module")
def linear(bundled_db: Path):
    spec = parse_spec(
        {
            "name": "Colombia +10, Ecuador +5 (WITS-SMART)",
            "level": "hs6",
            "method": "linear",
            "products": list(PRODUCTS),
            "tariff_changes": [{"partners": [p], "add_pp": v} for p, v in CHANGES.items()],
            "elasticities": {"substitution": SIGMA, "supply": 99, "import_demand": ETA},
        }
    )
    con = duckdb.connect(str(bundled_db), read_only=True)
    try:
        return run_scenario(spec, con)
    finally:
        con.close()


def test_linear_hs6_matches_smart_computed_separately(linear) -> None:
    rows = _raw_hs6()
    expected = _smart_by_hand(rows)
    lines = linear.lines
    got = {(str(h), str(p)): (c, d) for h, p, c, d in zip(lines["hs6"], lines["partner_iso3"],
           lines["trade_creation_usd"], lines["trade_diversion_usd"], strict=True)}  # fmt: skip
    assert set(got) == set(expected)
    assert len(got) > 100
    for key, (creation, diversion) in expected.items():
        assert got[key][0] == pytest.approx(creation, rel=1e-9, abs=1e-3), key
        assert got[key][1] == pytest.approx(diversion, rel=1e-9, abs=1e-3), key
    assert expected[("060311", "COL")][1] < 0  # Colombia's roses: 10 points against Ecuador's 5 and others' 0
    assert linear.totals["method"] == "linear"
    assert any(note.kind == "linear_method" for note in linear.notes)
