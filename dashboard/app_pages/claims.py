"""Claims: each statement in the two articles, with the numbers per source, a verdict and what is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
import streamlit as st

from dashboard import claim_text, claims, components, downloads, i18n, shared_results, url_state
from dashboard.scenarios import form, model_text

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
        "Two news articles of May 2025 make statements about Colombia–China–US trade. Each card gives the verdict "
        "and the figure it rests on; open it for the quote, the basis (the publisher's own definition first, the "
        "others beside it), the rule that gives the verdict, the publisher of each number and what the bundled "
        "data lacks.",
        "Dos artículos de prensa de mayo de 2025 hacen afirmaciones sobre el comercio Colombia–China–EE. UU. Cada "
        "tarjeta da el veredicto y la cifra en que se apoya; ábrala para ver la cita, la base (primero la "
        "definición del propio publicador, las otras a su lado), la regla que da el veredicto, el publicador de "
        "cada cifra y lo que falta en los datos incluidos.",
    ),
    "claim": ("Claim", "Afirmación"),
    "number": ("#", "N.º"),
    "all": ("All claims", "Todas las afirmaciones"),
    "kind": ("kind", "tipo"),
    "basis": ("Basis", "Base"),
    "figure": ("Figure", "Cifra"),
    "publisher": ("Publisher", "Publicador"),
    "others": ("Other bases, beside the primary one:", "Otras bases, junto a la principal:"),
    "tolerance": ("Tolerance", "Tolerancia"),
    "missing": ("Not in the bundled data: ", "No está en los datos incluidos: "),
    "details": (
        "The quote, the basis, the rule and the numbers",
        "La cita, la base, la regla y las cifras",
    ),
    "numbers": (
        "Numbers ({n} rows, each with its publisher and valuation)",
        "Cifras ({n} filas, cada una con su publicador y su valoración)",
    ),
    "reproduce": ("Reproduce on the {page} page", "Reproducir en la página {page}"),
    "not_built": (
        "Reproduce with page “{page}” and filters {filters} (page not in this build).",
        "Reproducir con la página «{page}» y los filtros {filters} (página no incluida).",
    ),
    "preset": ("Open the scenario “{name}”", "Abrir el escenario «{name}»"),
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


lang = components.lang()  # this run's language, read once


def tx(key: str, **values: object) -> str:
    english, spanish = TX[key]
    text = spanish if lang == "es" else english
    return text.format(**values) if values else text


def _label(table: dict[str, tuple[str, str]], key: str) -> str:
    pair = table.get(key, (key.replace("_", " "), key.replace("_", " ")))
    return pair[1] if lang == "es" else pair[0]


def _link(card: claims.ClaimCard) -> None:
    spec = card.spec
    page = spec.link_page
    if page and (PAGES_DIR / f"{page}.py").exists():
        name = i18n.t(PAGE_NAMES[page], lang) if page in PAGE_NAMES else page
        st.page_link(f"app_pages/{page}.py", label=tx("reproduce", page=name), icon=":material/open_in_new:",
                     query_params={**spec.link_params, "lang": lang})  # fmt: skip
    elif page:
        st.caption(tx("not_built", page=page, filters=claims.link_query(spec)))
    if spec.scenario_preset:  # the preset opened on the Scenarios page, named in words (never its id)
        preset = model_text.preset_title(spec.scenario_preset, lang)
        st.page_link("app_pages/scenarios.py", label=tx("preset", name=preset), icon=":material/tune:",
                     query_params={"sc": form.preset_link(spec.scenario_preset), "lang": lang})  # fmt: skip


def _words(text: str) -> str:
    """A sentence of the checks as the reader should see it: preset ids named, Markdown neutralised."""
    return url_state.escape_markdown(claim_text.plain(text, lang))


def _one_line(card: claims.ClaimCard) -> str:
    """What stays visible with the card folded: the figure the verdict rests on, else the first sentence."""
    if card.figure:
        return f"**{tx('figure')}:** {_words(card.figure)}"
    return _words(card.explanation[0]) if card.explanation else ""


def _card(card: claims.ClaimCard, expanded: bool) -> None:
    spec = card.spec
    language = lang
    with st.container(border=True):
        head, badge = st.columns([5, 2])
        head.subheader(f"{spec.id}. {spec.text('summary', language)}", anchor=f"claim-{spec.id}")
        with badge:
            st.badge(
                _label(VERDICTS, card.verdict),
                color=BADGE_COLOURS[card.verdict],
                icon=BADGE_ICONS[card.verdict],
            )
        st.markdown(_one_line(card))
        # The rest folded away: the card reads as its statement, verdict and figure until it is opened.
        with st.expander(tx("details"), expanded=expanded):
            _details(card)


def _details(card: claims.ClaimCard) -> None:
    spec = card.spec
    language = lang
    st.markdown("  \n".join(claim_text.quote_lines(spec.quote, language)))
    if spec.related_quote:
        related = claim_text.article_label(spec.related_article or "", language)
        st.markdown("  \n".join(claim_text.quote_lines(spec.related_quote, language, source=related)))
    st.caption(
        f"{spec.text('speaker', language)} · {claim_text.article_label(spec.article, language, spec.date)} · "
        f"{tx('kind')}: {_label(KINDS, spec.kind)}"
    )
    if card.basis or card.figure:
        st.markdown(
            f"**{tx('basis')}:** {_words(card.basis)}"
            + (f"  \n**{tx('figure')}:** {_words(card.figure)}" if card.figure else "")
        )
    if card.citation:
        st.caption(f"{tx('publisher')}: {_words(card.citation)}")
    if card.disagreement:
        st.info(_words(card.disagreement), icon=":material/compare_arrows:")
    for sentence in card.explanation:
        st.write(_words(sentence))
    if card.alternatives:
        st.markdown(f"**{tx('others')}**\n" + "\n".join(f"- {_words(a)}" for a in card.alternatives))
    st.caption(f"{tx('tolerance')}: {spec.text('tolerance_text', language)}")
    if card.missing:
        st.warning(tx("missing") + "; ".join(_words(m) for m in card.missing) + ".", icon=":material/report:")
    fig = shared_results.claim_chart(spec.id, language)
    if fig is not None:
        components.show_figure(
            fig, filename=f"balanza-claim-{spec.id}", key=f"claim_chart_{spec.id}", finished=True
        )
    if not card.numbers.empty:
        st.markdown(f"**{tx('numbers', n=len(card.numbers))}**")
        # where each number comes from in words (publisher, valuation); the file it was read from is in the CSV
        components.show_table(
            shared_results.claim_numbers_table(spec.id, language), key=f"claim_numbers_{spec.id}"
        )
    units = ", ".join(sorted({str(u) for u in card.numbers["unit"].dropna()})) or "—"
    downloads.download_table(
        shared_results.claim_csv_frame(spec.id, language), filename=f"balanza-claim-{spec.id}.csv",
        source=components.source_summary(card.numbers), valuation=tx("per_row"), units=units,
        filters={"claim": spec.id, **spec.link_params}, key=f"claim_csv_{spec.id}",
    )  # fmt: skip
    _link(card)


st.title(tx("title"))
st.caption(tx("intro"))

# computed once per database and language, shared by every session
all_cards = shared_results.claim_cards(lang)
ids = tuple(["all", *[str(card.spec.id) for card in all_cards]])
claim_param = url_state.Param("claim", url_state.CHOICE, "all", ids)
url_state.init_state([claim_param], lang)
chosen = st.selectbox(
    tx("claim"), ids, key="claim", placeholder=i18n.t("choose_one", lang),
    format_func=lambda i: tx("all") if i == "all" else next(f"{k.spec.id}. {k.spec.text('summary', lang)}"
                                                                for k in all_cards if str(k.spec.id) == i),
)  # fmt: skip
url_state.sync_url([claim_param])

summary = pd.DataFrame([{tx("number"): k.spec.id, tx("statement"): k.spec.text("summary", lang),
                         tx("kind").capitalize(): _label(KINDS, k.spec.kind), tx("verdict"): _label(VERDICTS, k.verdict),
                         tx("figure"): claim_text.plain(k.figure, lang) or "—",
                         tx("basis"): claim_text.plain(k.basis, lang) or "—"} for k in all_cards])  # fmt: skip
if chosen == "all":
    st.dataframe(summary, hide_index=True, width="stretch")
for card in all_cards:
    if chosen in ("all", str(card.spec.id)):
        _card(card, expanded=chosen == str(card.spec.id))  # one claim asked for by the link: opened
