"""Claims: each statement in the two articles, with the numbers per source, a verdict and what is missing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import claims, components, url_state

PAGES_DIR = Path(__file__).resolve().parent
BADGE_COLOURS = {
    claims.SUPPORTED: "green", claims.PARTLY: "orange", claims.NOT_SUPPORTED: "red", claims.CANNOT_CHECK: "gray",
    claims.SCENARIO: "blue", claims.CONTEXT: "violet", claims.OUT_OF_SCOPE: "gray",
}  # fmt: skip
BADGE_ICONS = {
    claims.SUPPORTED: ":material/check_circle:", claims.PARTLY: ":material/adjust:",
    claims.NOT_SUPPORTED: ":material/cancel:", claims.CANNOT_CHECK: ":material/help:",
    claims.SCENARIO: ":material/tune:", claims.CONTEXT: ":material/info:", claims.OUT_OF_SCOPE: ":material/block:",
}  # fmt: skip


def _display_value(value: object, unit: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    number = float(value)  # type: ignore[arg-type]
    if unit == "USD":
        return f"{number / 1e9:,.2f} bn USD" if abs(number) >= 1e8 else f"{number / 1e6:,.1f} m USD"
    return f"{number:,.2f} {unit}"


def _link(card: claims.ClaimCard) -> None:
    spec = card.spec
    page = spec.link_page
    if page and (PAGES_DIR / f"{page}.py").exists():
        st.page_link(f"app_pages/{page}.py", label=f"Reproduce on the {page} page", icon=":material/open_in_new:",
                     query_params=spec.link_params)  # fmt: skip
    elif page:
        st.caption(f"Reproduce with page “{page}” and filters {claims.link_query(spec)} (page not in this build).")
    if spec.scenario_preset:
        st.caption(f"Scenario preset: `{spec.scenario_preset}` (model/presets).")


def _card(card: claims.ClaimCard) -> None:
    spec = card.spec
    with st.container(border=True):
        head, badge = st.columns([5, 2])
        head.subheader(f"{spec.id}. {spec.summary}", anchor=f"claim-{spec.id}")
        with badge:
            st.badge(card.verdict, color=BADGE_COLOURS[card.verdict], icon=BADGE_ICONS[card.verdict])
        st.markdown(f"> “{spec.quote}”")
        if spec.related_quote:
            st.markdown(f"> “{spec.related_quote}” ({spec.related_article})")
        st.caption(f"{spec.speaker} · article `{spec.article}` · {spec.date} · kind: {spec.kind.replace('_', ' ')}")
        if card.basis or card.figure:
            st.markdown(f"**Basis:** {url_state.escape_markdown(card.basis)}"
                        + (f"  \n**Figure:** {url_state.escape_markdown(card.figure)}" if card.figure else ""))
        if card.citation:
            st.caption(f"Publisher: {url_state.escape_markdown(card.citation)}")
        if card.disagreement:
            st.info(url_state.escape_markdown(card.disagreement), icon=":material/compare_arrows:")
        for sentence in card.explanation:
            st.write(sentence)
        if card.alternatives:
            st.markdown("**Other bases, beside the primary one:**\n"
                        + "\n".join(f"- {url_state.escape_markdown(a)}" for a in card.alternatives))
        st.caption(f"Tolerance: {spec.tolerance_text}")
        if card.missing:
            st.warning("Not in the bundled data: " + "; ".join(card.missing) + ".", icon=":material/report:")
        fig = components.claim_chart(spec.id, components.lang())
        if fig is not None:
            components.show_figure(fig, filename=f"balanza-claim-{spec.id}", key=f"claim_chart_{spec.id}", finished=True)
        if not card.numbers.empty:
            with st.expander(f"Numbers ({len(card.numbers)} rows, each with its source and dataset)"):
                shown = card.numbers.assign(
                    year=card.numbers["year"].astype(str),  # years and dates share the column: show them as text
                    shown=[_display_value(v, u) for v, u in zip(card.numbers["value"], card.numbers["unit"], strict=True)]
                )
                st.dataframe(shown[["measure", "year", "perspective", "shown", "valuation", "publisher", "dataset", "note"]],
                             hide_index=True, width="stretch")  # fmt: skip
        units = ", ".join(sorted({str(u) for u in card.numbers["unit"].dropna()})) or "—"
        components.download_csv_button(
            components.claim_csv_frame(spec.id), filename=f"balanza-claim-{spec.id}.csv",
            source=components.source_summary(card.numbers), valuation="per row", units=units,
            filters={"claim": spec.id, **spec.link_params}, key=f"claim_csv_{spec.id}",
        )  # fmt: skip
        _link(card)


lang = components.lang()
st.title("The articles' statements, checked against the data")
st.caption(
    "Two news articles of May 2025 (in seeds/) make statements about Colombia–China–US trade. Each card gives "
    "the primary basis (the publisher's own definition, read through the series of record), the other bases "
    "beside it, a verdict by the rule shown, the publisher of each number, and what the bundled data lacks."
)

all_cards = components.claim_cards()  # computed once per database, shared by every session
ids = tuple(["all", *[str(card.spec.id) for card in all_cards]])
claim_param = url_state.Param("claim", url_state.CHOICE, "all", ids)
url_state.init_state([claim_param], lang)
chosen = st.selectbox(
    "Claim", ids, key="claim",
    format_func=lambda i: "All claims" if i == "all" else next(f"{k.spec.id}. {k.spec.summary}" for k in all_cards
                                                                if str(k.spec.id) == i),
)  # fmt: skip
url_state.sync_url([claim_param])

summary = pd.DataFrame([{"claim": k.spec.id, "statement": k.spec.summary, "kind": k.spec.kind, "verdict": k.verdict,
                         "figure": k.figure or "—", "basis": k.basis or "—"} for k in all_cards])  # fmt: skip
if chosen == "all":
    st.dataframe(summary, hide_index=True, width="stretch")
for card in all_cards:
    if chosen in ("all", str(card.spec.id)):
        _card(card)
