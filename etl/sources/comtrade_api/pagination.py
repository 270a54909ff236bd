"""How a fetch is cut into calls: one chunk per year, partner and flow (``level_queries``), and a chunk whose
answer reaches the endpoint's row cap split into smaller ones (``split_query``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from etl.sources.comtrade_api.errors import ComtradeCapReached, ComtradeError
from etl.sources.comtrade_api.mapping import (
    FLOW_CODES,
    LEVEL_CMD_CODES,
    ComtradeQuery,
    area_code,
    hs_codes_by_chapter,
)
from etl.sources.comtrade_api.request import API_KEY_ENV

# Long cmdCode lists are sent in batches so the URL stays far below common proxy limits.
MAX_CODES_PER_CALL = 150


def split_query(query: ComtradeQuery) -> list[ComtradeQuery]:
    """Smaller queries that together ask for exactly what ``query`` asks for.

    Splits by flow first, then by partner, then by year, then HS level codes (AG4, AG6) into chapters,
    then explicit code lists in halves. Raises ComtradeCapReached when nothing is left to split.
    """

    def with_(**changes: Any) -> ComtradeQuery:
        values: dict[str, Any] = {
            "reporter_code": query.reporter_code,
            "partner_codes": query.partner_codes,
            "years": query.years,
            "flow_codes": query.flow_codes,
            "cmd_codes": query.cmd_codes,
        }
        values.update(changes)
        return ComtradeQuery(**values)

    if len(query.flow_codes) > 1:
        return [with_(flow_codes=(flow,)) for flow in query.flow_codes]
    if len(query.partner_codes) > 1:
        return [with_(partner_codes=(partner,)) for partner in query.partner_codes]
    if len(query.years) > 1:
        return [with_(years=(year,)) for year in query.years]
    if query.cmd_codes in (("AG4",), ("AG6",)):
        level = int(query.cmd_codes[0][2])
        parts = []
        for codes in hs_codes_by_chapter(level).values():
            for start in range(0, len(codes), MAX_CODES_PER_CALL):
                parts.append(with_(cmd_codes=codes[start : start + MAX_CODES_PER_CALL]))
        return parts
    if len(query.cmd_codes) > 1:
        middle = len(query.cmd_codes) // 2
        return [with_(cmd_codes=query.cmd_codes[:middle]), with_(cmd_codes=query.cmd_codes[middle:])]
    raise ComtradeCapReached(
        f"{query.describe()}: the answer reached the row cap and the query cannot be split further",
        hint=f"set {API_KEY_ENV} to use the data endpoint (100,000 records per call)",
    )


def level_queries(
    reporter: str,
    partners: Iterable[str],
    years: Iterable[int],
    level: str,
    flows: Iterable[str],
) -> list[ComtradeQuery]:
    """The chunks of a fetch: one query per year, partner and flow.

    One flow per chunk costs a call more than asking for both, but every cached file then holds one
    (reporter, partner, year, flow, level) block: runs with different --flows or --partners reuse the
    same files and never load the same observation from two files.
    """
    if level not in LEVEL_CMD_CODES:
        raise ComtradeError(f"unknown level '{level}'", hint=f"use one of {', '.join(LEVEL_CMD_CODES)}")
    flow_codes = []
    for flow in flows:
        if flow not in FLOW_CODES:
            raise ComtradeError(f"unknown flow '{flow}'", hint=f"use {' or '.join(FLOW_CODES)}")
        flow_codes.append(FLOW_CODES[flow])
    reporter_code = area_code(reporter)
    partner_codes = list(dict.fromkeys(area_code(partner) for partner in partners))
    flow_codes = list(dict.fromkeys(flow_codes))
    return [
        ComtradeQuery(
            reporter_code=reporter_code,
            partner_codes=(partner_code,),
            years=(year,),
            flow_codes=(flow_code,),
            cmd_codes=(LEVEL_CMD_CODES[level],),
        )
        for year in years
        for partner_code in partner_codes
        for flow_code in flow_codes
    ]
