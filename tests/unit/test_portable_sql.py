"""Past one machine: the SQL that defines Balanza's numbers also reads in Spark's and Trino's dialects.

The stored layout (etl/store/) is plain Parquet that Spark, Trino or a hosted DuckDB read directly; what
must travel with it is the rule that picks one value per observation (etl/record.py) and the yearly view
under it. sqlglot parses each statement as DuckDB SQL and writes it for the other engine, refusing any
construct that engine lacks; the result must parse again in that engine's dialect.
"""

from __future__ import annotations

import pytest
import sqlglot  # the test extras install it

from etl.record import record_sql
from etl.schema import DDL

ENGINES = ("spark", "trino")


def _statements() -> dict[str, str]:
    annual = DDL[DDL.index("CREATE OR REPLACE VIEW trade_annual") :].split(";")[0]
    return {
        "series of record (etl.record.record_sql)": record_sql(),
        "series of record for one pair": record_sql("reporter_iso3 = 'COL' AND partner_iso3 = 'CHN'"),
        "trade_annual view": annual,
        "catalogue": "SELECT source, reporter_iso3, partner_iso3, flow, hs_level, min(year) AS year_min, "
        "max(year) AS year_max FROM trade GROUP BY ALL ORDER BY ALL",
    }


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", list(_statements()))
def test_the_query_layer_transpiles_to_the_engine(name: str, engine: str) -> None:
    sql = _statements()[name]
    written = sqlglot.transpile(sql, read="duckdb", write=engine, unsupported_level=sqlglot.ErrorLevel.RAISE)
    assert len(written) == 1 and "trade" in written[0]
    sqlglot.parse_one(written[0], read=engine)  # it reads back in the engine's own dialect
