"""Claims: each statement in the two articles, with the numbers per source, a verdict and what is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
import streamlit as st

from dashboard import claims, components, i18n, shared_results, url_state

PAGES_DIR = Path(__file__).resolve().parent
BadgeColour = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]
BADGE_COLOURS: dict[str, BadgeColour] = {
    claims.SUPPORTED: "green", claims.PARTLY: "orange", claims.NOT_SUPPORTED: "red", claims.CANNOT_CHECK: "gray",
    claims.SCENARIO: "blue", claims.CONTEXT: "violet", claims.OUT_OF_SCOPE: "gray",
}  # fmt: skip
BADGE_ICONS = {
    claims.SUPPORTED: ":material/check_circle:", claims.PARTLY: ":material/adjust:",
    claims.NOT_SUPPORTED: ":material/cancel:", claims.CANNOT_CHECK: ":material/help:",
    claims.SCENARIO: ":material/tune:", claims.CONTEXT: ":material/info:", claims.OUT_OF_SCOPE: ":material/block:",
}  # fmt: skip


TX = {
    "title": (
        "The articles' statements, checked against the data",
        "Las afirmaciones de los artículos, contrastadas con los datos",
    ),
    "intro": (
        "Two news articles of May 2025 (in seeds/) make statements about Colombia–China–US trade. Each card gives "
        "the primary basis (the publisher's own definition, read through the series of record), the other bases "
        "beside it, a verdict by the rule shown, the publisher of each number, and what the bundled data lacks.",
        "Dos artículos de prensa de mayo de 2025 (en seeds/) hacen afirmaciones sobre el comercio Colombia–China–"
        "EE. UU. Cada tarjeta da la base principal (la definición del propio publicador, leída de la serie de "
        "registro), las otras bases a su lado, un veredicto según la regla indicada, el publicador de cada cifra "
        "y lo que falta en los datos incluidos.",
    ),
    "claim": ("Claim", "Afirmación"),
    "number": ("#", "N.º"),
    "all": ("All claims", "Todas las afirmaciones"),
    "article": ("article", "artículo"),
    "kind": ("kind", "tipo"),
    "basis": ("Basis", "Base"),
    "figure": ("Figure", "Cifra"),
    "publisher": ("Publisher", "Publicador"),
    "others": ("Other bases, beside the primary one:", "Otras bases, junto a la principal:"),
    "tolerance": ("Tolerance", "Tolerancia"),
    "missing": ("Not in the bundled data: ", "No está en los datos incluidos: "),
    "numbers": (
        "Numbers ({n} rows, each with its publisher and dataset)",
        "Cifras ({n} filas, cada una con su publicador y conjunto de datos)",
    ),
    "reproduce": ("Reproduce on the {page} page", "Reproducir en la página {page}"),
    "not_built": (
        "Reproduce with page “{page}” and filters {filters} (page not in this build).",
        "Reproducir con la página «{page}» y los filtros {filters} (página no incluida).",
    ),
    "preset": (
        "Scenario preset: `{preset}` (model/presets).",
        "Escenario predefinido: `{preset}` (model/presets).",
    ),
    "per_row": ("per row", "por fila"),
    "statement": ("Statement", "Afirmación"),
    "verdict": ("Verdict", "Veredicto"),
}
VERDICTS = {
    claims.SUPPORTED: ("supported", "respaldada"), claims.PARTLY: ("partly supported", "parcialmente respaldada"),
    claims.NOT_SUPPORTED: ("not supported", "no respaldada"),
    claims.CANNOT_CHECK: ("cannot be checked with the bundled data", "no verificable con los datos incluidos"),
    claims.SCENARIO: ("scenario", "escenario"), claims.CONTEXT: ("context", "contexto"),
    claims.OUT_OF_SCOPE: ("out of scope", "fuera del alcance"),
}  # fmt: skip
KINDS = {
    "checkable": ("checkable", "verificable"),
    "scenario": ("scenario", "escenario"),
    "context": ("context", "contexto"),
    "out_of_scope": ("out of scope", "fuera del alcance"),
}
PAGE_NAMES = {
    "balances": "page_balances",
    "overview": "page_overview",
    "products": "page_products",
    "dependence": "page_dependence",
    "peers": "page_peers",
    "scenarios": "page_scenarios",
    "coverage": "page_coverage",
    "data": "page_data",
}


def tx(key: str, **values: object) -> str:
    english, spanish = TX[key]
    text = spanish if components.lang() == "es" else english
    return text.format(**values) if values else text


def _label(table: dict[str, tuple[str, str]], key: str) -> str:
    pair = table.get(key, (key.replace("_", " "), key.replace("_", " ")))
    return pair[1] if components.lang() == "es" else pair[0]


def _display_value(value: object, unit: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if unit == "USD":
        return i18n.money(number, components.lang())
    return f"{i18n.number(number, components.lang())} {unit}"


def _link(card: claims.ClaimCard) -> None:
    spec = card.spec
    page = spec.link_page
    if page and (PAGES_DIR / f"{page}.py").exists():
        name = i18n.t(PAGE_NAMES[page], components.lang()) if page in PAGE_NAMES else page
        st.page_link(f"app_pages/{page}.py", label=tx("reproduce", page=name), icon=":material/open_in_new:",
                     query_params={**spec.link_params, "lang": components.lang()})  # fmt: skip
    elif page:
        st.caption(tx("not_built", page=page, filters=claims.link_query(spec)))
    if spec.scenario_preset:
        st.caption(tx("preset", preset=spec.scenario_preset))


def _card(card: claims.ClaimCard) -> None:
    spec = card.spec
    with st.container(border=True):
        head, badge = st.columns([5, 2])
        head.subheader(f"{spec.id}. {spec.text('summary', components.lang())}", anchor=f"claim-{spec.id}")
        with badge:
            st.badge(
                _label(VERDICTS, card.verdict),
                color=BADGE_COLOURS[card.verdict],
                icon=BADGE_ICONS[card.verdict],
            )
        st.markdown(f"> “{spec.quote}”")
        if spec.related_quote:
            st.markdown(f"> “{spec.related_quote}” ({spec.related_article})")
        st.caption(
            f"{spec.text('speaker', components.lang())} · {tx('article')} `{spec.article}` · {spec.date} · {tx('kind')}: "
            f"{_label(KINDS, spec.kind)}"
        )
        if card.basis or card.figure:
            st.markdown(
                f"**{tx('basis')}:** {url_state.escape_markdown(card.basis)}"
                + (f"  \n**{tx('figure')}:** {url_state.escape_markdown(card.figure)}" if card.figure else "")
            )
        if card.citation:
            st.caption(f"{tx('publisher')}: {url_state.escape_markdown(card.citation)}")
        if card.disagreement:
            st.info(url_state.escape_markdown(card.disagreement), icon=":material/compare_arrows:")
        for sentence in card.explanation:
            st.write(sentence)
        if card.alternatives:
            st.markdown(
                f"**{tx('others')}**\n"
                + "\n".join(f"- {url_state.escape_markdown(a)}" for a in card.alternatives)
            )
        st.caption(f"{tx('tolerance')}: {spec.text('tolerance_text', components.lang())}")
        if card.missing:
            st.warning(tx("missing") + "; ".join(card.missing) + ".", icon=":material/report:")
        fig = shared_results.claim_chart(spec.id, components.lang())
        if fig is not None:
            components.show_figure(
                fig, filename=f"balanza-claim-{spec.id}", key=f"claim_chart_{spec.id}", finished=True
            )
        if not card.numbers.empty:
            with st.expander(tx("numbers", n=len(card.numbers))):
                shown = card.numbers.assign(
                    year=card.numbers["year"].astype(
                        str
                    ),  # years and dates share the column: show them as text
                    shown=[
                        _display_value(v, u)
                        for v, u in zip(card.numbers["value"], card.numbers["unit"], strict=True)
                    ],
                    flag=[  # short words; the reason is in the row's note
                        i18n.flag_of(bool(p), bool(c), components.lang())
                        for p, c in zip(card.numbers["provisional"], card.numbers["comparable"], strict=True)
                    ],
                )
                components.show_table(shown[["measure", "year", "perspective", "shown", "flag", "valuation",
                                             "publisher", "dataset", "note"]].rename(columns={"shown": "value"}),
                                      key=f"claim_numbers_{spec.id}")  # fmt: skip
        units = ", ".join(sorted({str(u) for u in card.numbers["unit"].dropna()})) or "—"
        components.download_table(
            shared_results.claim_csv_frame(spec.id, components.lang()), filename=f"balanza-claim-{spec.id}.csv",
            source=components.source_summary(card.numbers), valuation=tx("per_row"), units=units,
            filters={"claim": spec.id, **spec.link_params}, key=f"claim_csv_{spec.id}",
        )  # fmt: skip
        _link(card)


lang = components.lang()
st.title(tx("title"))
st.caption(tx("intro"))

# computed once per database and language, shared by every session
all_cards = shared_results.claim_cards(lang)
ids = tuple(["all", *[str(card.spec.id) for card in all_cards]])
claim_param = url_state.Param("claim", url_state.CHOICE, "all", ids)
url_state.init_state([claim_param], lang)
chosen = st.selectbox(
    tx("claim"), ids, key="claim",
    format_func=lambda i: tx("all") if i == "all" else next(f"{k.spec.id}. {k.spec.text('summary', lang)}"
                                                                for k in all_cards if str(k.spec.id) == i),
)  # fmt: skip
url_state.sync_url([claim_param])

summary = pd.DataFrame([{tx("number"): k.spec.id, tx("statement"): k.spec.text("summary", lang),
                         tx("kind").capitalize(): _label(KINDS, k.spec.kind), tx("verdict"): _label(VERDICTS, k.verdict),
                         tx("figure"): k.figure or "—", tx("basis"): k.basis or "—"} for k in all_cards])  # fmt: skip
if chosen == "all":
    st.dataframe(summary, hide_index=True, width="stretch")
for card in all_cards:
    if chosen in ("all", str(card.spec.id)):
        _card(card)
