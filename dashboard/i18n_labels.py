"""The dashboard's labels: every text a page shows, by key, in English and Spanish (read through ``i18n.t``).

Data only: the functions that pick a language and format a label are in dashboard/i18n.py.
"""

from __future__ import annotations

# key -> (English, Spanish)
LABELS: dict[str, tuple[str, str]] = {
    "app_title": (
        "Balanza: Colombia's trade with China, the US and the World",
        "Balanza: el comercio de Colombia con China, EE. UU. y el mundo",
    ),
    "language": ("Language", "Idioma"),
    "image_format": ("Chart download format", "Formato de descarga de gráficos"),
    "page_overview": ("Overview", "Resumen"),
    "page_balances": ("Balances", "Balanzas"),
    "page_products": ("Products", "Productos"),
    "page_dependence": ("Dependence", "Dependencia"),
    "page_coverage": ("Coverage", "Cobertura"),
    "page_data": ("Data", "Datos"),
    "page_claims": ("Claims", "Afirmaciones"),
    "page_scenarios": ("Scenarios", "Escenarios"),
    "page_peers": ("Peers", "Pares"),
    "year_range": ("Years shown", "Años mostrados"),
    "download_csv": ("Download CSV", "Descargar CSV"),
    "download_xlsx": ("Download Excel", "Descargar Excel"),
    "download_deck": ("Slides of this page (PowerPoint)", "Diapositivas de esta página (PowerPoint)"),
    "table_slide": ("The table ({units})", "La tabla ({units})"),
    "xlsx_too_large": (
        "Too many rows for an Excel file made on a click: the CSV holds them all.",
        "Demasiadas filas para un archivo de Excel hecho al pulsar: el CSV las contiene todas.",
    ),
    "invalid_param": (
        "Ignored URL parameter {name}='{value}': {reason}. Using the default.",
        "Parámetro de URL ignorado {name}='{value}': {reason}. Se usa el valor por defecto.",
    ),
    "partners": ("Partners", "Socios"),
    "partner": ("Partner", "Socio"),
    "reporter": ("Reporter", "Informante"),
    "flow": ("Flow", "Flujo"),
    "year": ("Year", "Año"),
    "years": ("Years", "Años"),
    "source": ("Source", "Fuente"),
    "units": ("Units", "Unidades"),
    "base_year": ("Constant dollars of year", "Dólares constantes del año"),
    "unit_nominal": ("Nominal USD", "USD nominales"),
    "unit_constant": ("Constant USD (US CPI-U)", "USD constantes (IPC-U de EE. UU.)"),
    "unit_pct_gdp": ("% of Colombia's GDP", "% del PIB de Colombia"),
    "view": ("Figures as reported by", "Cifras según"),
    "view_reporter": ("Colombia (reporter)", "Colombia (informante)"),
    "view_mirror": ("the partner (mirror)", "el socio (espejo)"),
    "view_reconciled": (
        "the partner, CIF converted to FOB (reconciled)",
        "el socio, CIF convertido a FOB (conciliado)",
    ),
    "cif_fob_factor": ("CIF/FOB factor", "Factor CIF/FOB"),
    "cif_fob_help": (
        "Partner CIF imports are divided by this factor. IMF: 1.06; OEC: 1.08.",
        "Las importaciones CIF del socio se dividen por este factor. FMI: 1,06; OEC: 1,08.",
    ),
    "use_oec": ("Use OEC 1.08", "Usar OEC 1,08"),
    "use_imf": ("Use IMF 1.06", "Usar FMI 1,06"),
    "export": ("Exports", "Exportaciones"),
    "import": ("Imports", "Importaciones"),
    "balance": ("Balance", "Balanza"),
    "measure": ("Measure", "Medida"),
    "value": ("Value", "Valor"),
    "missing_years": (
        "No value for {series} in: {years}. Shown as a gap, not zero.",
        "Sin valor para {series} en: {years}. Se muestra como un hueco, no como cero.",
    ),
    "no_data": ("No data for this selection.", "No hay datos para esta selección."),
    "overview_intro": (
        "Colombia's latest trade balance with each partner, the change on the year before, and the "
        "source of every number (one source per observation, chosen by a stated rule).",
        "La balanza comercial más reciente de Colombia con cada socio, el cambio frente al año "
        "anterior y la fuente de cada cifra (una fuente por observación, elegida por una regla explícita).",
    ),
    "selection_rule": (
        "One value per observation, chosen by one rule: complete years first; then the reporter's own statistics "
        "office (Colombia: DANE, i.e. DIAN's export records and DANE's import annex; USA: the Census Bureau; China: "
        "China Customs, GACC), then what that office reported to UN Comtrade, then the IMF's Direction of Trade "
        "Statistics, then figures printed in the press. Balances: DANE's own FOB/FOB balance where DANE published "
        "one; otherwise CIF imports converted to FOB with the CIF/FOB factor (an estimate, labelled so); exports "
        "FOB − imports CIF only as a labelled alternative.",
        "Un valor por observación, elegido por una sola regla: primero los años completos; luego la oficina de "
        "estadística del propio informante (Colombia: el DANE, es decir los registros de exportación de la DIAN y "
        "el anexo de importaciones del DANE; EE. UU.: la Oficina del Censo; China: las Aduanas de China, GACC), "
        "luego lo que esa oficina informó a UN Comtrade, luego las Estadísticas de la Dirección del Comercio del "
        "FMI y por último cifras impresas en prensa. Balanzas: la balanza FOB/FOB del propio DANE donde el DANE la "
        "publicó; si no, importaciones CIF convertidas a FOB con el factor CIF/FOB (una estimación, así indicada); "
        "exportaciones FOB − importaciones CIF solo como alternativa indicada.",
    ),
    "overview_provisional_later": (
        "{year} figures exist but are provisional for at least one partner (see Balances).",
        "Hay cifras de {year}, pero son provisionales para al menos un socio (ver Balanzas).",
    ),
    "balance_basis": ("Basis: {basis}. Publisher: {publisher}.", "Base: {basis}. Publicador: {publisher}."),
    "balance_alternative": ("Alternative: {basis}: {value}.", "Alternativa: {basis}: {value}."),
    "overview_same_year": (
        "All partners compared in {year}, the latest year with a balance for each of them.",
        "Todos los socios se comparan en {year}, el último año con balanza para cada uno.",
    ),
    "valuation_overview": (
        "exports FOB, imports as valued by the publisher",
        "exportaciones FOB, importaciones según la valoración del publicador",
    ),
    "marker_dian": (
        "DIAN: many destinations 'not declared' from {year}",
        "DIAN: muchos destinos 'no declarados' desde {year}",
    ),
    "marker_provisional": ("provisional from {year}", "provisional desde {year}"),
    "marker_gdp": ("GDP data stops in {year}", "el PIB llega hasta {year}"),
    "marker_gdp_derived": (
        "GDP from {year} derived: DANE's pesos ÷ average TRM",
        "PIB desde {year} derivado: pesos del DANE ÷ TRM promedio",
    ),
    "marker_cpi": ("CPI-U complete years stop in {year}", "el IPC-U completo llega hasta {year}"),
    "split_title": (
        "Colombia's trade balance: China, the United States and the rest of the world",
        "Balanza comercial de Colombia: China, Estados Unidos y el resto del mundo",
    ),
    "split_note": (
        "Bars: Colombia's balance with each part (they add up to the line); the rest of the world is the "
        "balance with the World minus those with China and the United States. Colombia's own figures.",
        "Barras: balanza de Colombia con cada parte (suman la línea); el resto del mundo es la balanza con "
        "el mundo menos las de China y Estados Unidos. Cifras de Colombia.",
    ),
    "split_none": (
        "No year in {years} has Colombia's balance with the World; choose a wider range of years.",
        "Ningún año de {years} tiene la balanza de Colombia con el mundo; elija un rango de años más amplio.",
    ),
    "split_partial": (
        "Total only (no split) in {years}: the balance with China or the United States is missing.",
        "Solo el total (sin desglose) en {years}: falta la balanza con China o con Estados Unidos.",
    ),
    "rest_of_world": ("Rest of the world", "Resto del mundo"),
    "total_balance": ("Total balance", "Balanza total"),
    "per_row": ("per row", "por fila"),
    "gap_needs_partner": (
        "Choose a partner other than the World: the World does not report.",
        "Elija un socio distinto del mundo: el mundo no informa cifras propias.",
    ),
    "usd_m": ("USD m", "millones de USD"),
    "chapters_title": (
        "What Colombia buys from China and the United States, by HS chapter",
        "Lo que Colombia compra a China y a Estados Unidos, por capítulo del SA",
    ),
    "chapters_title_year": (
        "Colombia's imports by HS chapter, {year}",
        "Importaciones de Colombia por capítulo del SA, {year}",
    ),
    "chapters_none": (
        "The bundled data has no chapter detail for Colombia's imports.",
        "Los datos incluidos no tienen detalle por capítulo de las importaciones de Colombia.",
    ),
    "chapters_note": (
        "CIF values. DANE's import annexes name 24 HS chapters (its chapter names) for each origin; "
        "the other chapters are not published by origin.",
        "Valores CIF. Los anexos de importaciones del DANE nombran 24 capítulos del SA (con sus "
        "nombres) por origen; los demás capítulos no se publican por origen.",
    ),
    "chapters_cover": (
        "The chapters shown cover {share} % of imports from {partner} ({total}).",
        "Los capítulos mostrados cubren el {share} % de las importaciones desde {partner} ({total}).",
    ),
    "provisional_year": ("{year} figures are provisional.", "Las cifras de {year} son provisionales."),
    "series_title": ("One series, product by product", "Una serie, producto por producto"),
    "hs_digits": ("HS {n} digits", "SA a {n} dígitos"),
    "hs_search_hint": ("0901, coffee, café, rosas…", "0901, café, rosas, coffee…"),
    "hs_search_none": (
        "No HS code matches “{text}”. Try a code (0901) or another word; Spanish descriptions "
        "exist for DANE's chapter names only.",
        "Ningún código SA coincide con “{text}”. Pruebe un código (0901) u otra palabra; solo hay "
        "descripciones en español para los nombres de capítulo del DANE.",
    ),
    "hs_search_found": (
        "{n} codes found, {traded} of them traded in {series}, {year}.",
        "{n} códigos encontrados; {traded} con comercio en {series}, {year}.",
    ),
    "treemap_focus": (
        "The map opens on {code}, the chapter or heading found with the largest value; click the top bar to go back up.",
        "El mapa se abre en {code}, el capítulo o la partida encontrados de mayor valor; haga clic arriba para volver.",
    ),
    "movers_same_year": (
        "Choose two different years to see the movers.",
        "Elija dos años distintos para ver los mayores cambios.",
    ),
    "as_reported": ("as reported", "según el informante"),
    "dependence_units": (
        "% of Colombia's trade with the World (same flow, same year)",
        "% del comercio de Colombia con el mundo (mismo flujo, mismo año)",
    ),
    "denominator": ("Divided by", "Dividido por"),
    "detail_total": ("all goods", "todos los bienes"),
    "months": ("months", "meses"),
    "months_per_year": ("months covered per year", "meses cubiertos por año"),
    "usd_nominal": ("USD (nominal)", "USD (nominales)"),
    "share_of_series": (
        "{reporter} {flow}, partner {partner}, {year}: every line of this series",
        "{reporter}, {flow}, socio {partner}, {year}: todas las líneas de esta serie",
    ),
    "share_of_total": (
        "{reporter} {flow}, partner {partner}, {year}: all goods (the series' total, not only its lines)",
        "{reporter}, {flow}, socio {partner}, {year}: todos los bienes (el total de la serie, no solo sus líneas)",
    ),
    "not_in_lines": (
        "In no line of this series: the rest of its total (for DANE's import annex, the chapters it does not "
        "name by origin and its national chapter 98, special treatment)",
        "En ninguna línea de esta serie: el resto de su total (en el anexo de importaciones del DANE, los "
        "capítulos que no detalla por origen y su capítulo nacional 98, disposiciones de tratamiento especial)",
    ),
    "provisional": ("provisional", "provisional"),
    "latest_balance": ("{partner}: balance {year}", "{partner}: balanza {year}"),
    "no_balance": (
        "{partner}: no year with both exports and imports",
        "{partner}: ningún año con exportaciones e importaciones",
    ),
    "sources_of": (
        "Sources: exports {export}, imports {import_}",
        "Fuentes: exportaciones {export}, importaciones {import_}",
    ),
    "vs_year": ("vs {year}", "frente a {year}"),
    "vs_year_estimated": ("vs {year}, FOB estimates", "frente a {year}, estimaciones FOB"),
    "change_estimated": (
        "The change compares both years' FOB estimates: their headline balances differ in basis.",
        "El cambio compara las estimaciones FOB de ambos años: sus balanzas principales tienen bases distintas.",
    ),
    "balances_title": ("Exports, imports and balance", "Exportaciones, importaciones y balanza"),
    "deficit_share_title": (
        "Share of Colombia's total trade deficit",
        "Participación en el déficit comercial total de Colombia",
    ),
    "deficit_share_note": (
        "Share = partner balance ÷ Colombia's balance with the World, in years when Colombia ran a "
        "deficit and both are available. World totals exist only as reported by Colombia.",
        "Participación = balanza con el socio ÷ balanza de Colombia con el mundo, en años de déficit "
        "con ambos datos. Los totales mundiales solo existen según Colombia.",
    ),
    "gap_title": (
        "Colombia's figures vs the partner's (mirror)",
        "Cifras de Colombia frente a las del socio (espejo)",
    ),
    "gap_explanation": (
        "Why the two records differ: imports are valued CIF (with freight and insurance) and exports FOB; goods "
        "shipped in December may be recorded in January by the importer; importers record the country of origin "
        "while exporters record the country of consignment; goods in transit via Panamá's Colón Free Zone or "
        "re-exported through third countries are attributed differently; and some flows are confidential or "
        "withheld (for example DIAN's 'country not declared' from 2025).",
        "Por qué difieren los dos registros: las importaciones se valoran CIF (con flete y seguro) y las "
        "exportaciones FOB; lo embarcado en diciembre puede registrarse en enero por el importador; el importador "
        "registra el país de origen y el exportador el de destino; las mercancías en tránsito por la Zona Libre de "
        "Colón (Panamá) o reexportadas por terceros países se atribuyen de otro modo; y algunos flujos son "
        "confidenciales o reservados (por ejemplo el 'país no declarado' de la DIAN desde 2025).",
    ),
    "gap_why": ("Why the two records differ", "Por qué difieren los dos registros"),
    "as_reported_by_col": ("as reported by Colombia", "según Colombia"),
    "as_reported_by_partner": ("as reported by the partner", "según el socio"),
    # ---- the Peers page
    "peers_title": (
        "Colombia and its peers: trade with China and the United States",
        "Colombia y sus pares: comercio con China y Estados Unidos",
    ),
    "peers_intro": (
        "Colombia beside Argentina, Brazil, Chile, Ecuador, Mexico and Peru, 2000–2024: the share of each "
        "country's exports going to China and to the United States, the share of its imports coming from each, "
        "and its balance with China as a share of its trade with the World. Every value is the series of record "
        "(one value per observation, chosen by one rule): what the country itself reported (to UN Comtrade for its "
        "exports to China and the US; for Colombia, DANE) first, then the IMF's Direction of Trade Statistics, "
        "the later vintage first (imports, and every total with the World). What the partners report is shown "
        "apart, below, never mixed in.",
        "Colombia junto a Argentina, Brasil, Chile, Ecuador, México y Perú, 2000–2024: la parte de las "
        "exportaciones de cada país que va a China y a Estados Unidos, la parte de sus importaciones que viene de "
        "cada uno, y su balanza con China como parte de su comercio con el mundo. Cada valor es la serie de "
        "referencia (un valor por observación, elegido por una sola regla): primero lo que informó el propio país (a UN "
        "Comtrade para sus exportaciones a China y EE. UU.; para Colombia, el DANE), luego las Estadísticas de la "
        "Dirección del Comercio del FMI, primero la versión más reciente (importaciones, y todo total con el "
        "mundo). Lo que informan los socios se muestra aparte, más abajo, nunca mezclado.",
    ),
    "countries": ("Countries", "Países"),
    "peers_show": ("Show", "Mostrar"),
    "peers_measure_export": ("exports to China and the US", "exportaciones a China y EE. UU."),
    "peers_measure_import": ("imports from China and the US", "importaciones desde China y EE. UU."),
    "peers_measure_balance": ("balance with China", "balanza con China"),
    "peers_chart_export": (
        "Share of each country's exports going to China and to the US (%)",
        "Parte de las exportaciones de cada país que va a China y a EE. UU. (%)",
    ),
    "peers_chart_import": (
        "Share of each country's imports coming from China and from the US (%)",
        "Parte de las importaciones de cada país que viene de China y de EE. UU. (%)",
    ),
    "peers_chart_balance": (
        "Balance with China as a share of trade with the World (%)",
        "Balanza con China como parte del comercio con el mundo (%)",
    ),
    "peers_axis_share": ("% of the total", "% del total"),
    "peers_axis_balance": ("% of trade", "% del comercio"),
    "peers_balance_series": ("Balance with China", "Balanza con China"),
    "peers_chart_note_share": (
        "Share = value with the partner ÷ value with all partners, same country, flow and year (exports FOB, "
        "imports CIF, as each publisher values them).",
        "Participación = valor con el socio ÷ valor con todos los socios, mismo país, flujo y año (exportaciones "
        "FOB, importaciones CIF, según las valora cada publicador).",
    ),
    "peers_chart_note_balance": (
        "Balance = exports FOB − imports CIF ÷ the CIF/FOB factor (an estimate of FOB imports: Colombia's own "
        "factor where DANE's figures give one, else the IMF's 1.06), or the country's own FOB balance where "
        "published; ÷ exports + imports with all partners on the same footing.",
        "Balanza = exportaciones FOB − importaciones CIF ÷ el factor CIF/FOB (una estimación de las importaciones "
        "FOB: el factor propio de Colombia donde las cifras del DANE lo dan; si no, el del FMI, 1,06), o la "
        "balanza FOB del propio país donde se publicó; ÷ exportaciones + importaciones con todos los socios en "
        "la misma base.",
    ),
    "peers_marker_vintage": ("IMF: later vintage from {year}", "FMI: versión posterior desde {year}"),
    "peers_vintage_note": (
        "The IMF's two vintages (workbooks of early 2022; DBnomics copy of 2026) disagree where both hold a "
        "year, {years}; the record takes the later one, so a line that switches vintage in {year} moves by as "
        "much: {items}.",
        "Las dos versiones del FMI (libros de principios de 2022; copia de DBnomics de 2026) no coinciden donde "
        "ambas tienen un año, {years}; la serie de referencia toma la más reciente, así que una línea que cambia "
        "de versión en {year} se mueve otro tanto: {items}.",
    ),
    "peers_vintage_item": ("{country}, {series}: {gap} ({year})", "{country}, {series}: {gap} ({year})"),
    "peers_peru_note": (
        "Peru's imports in the later IMF vintage are high from 2020 on (from the World: {y2019} in 2019, "
        "{y2021} in 2021, {y2022} in 2022); a regional article quoting national figures for 2023 prints imports "
        "from China and the US about a quarter lower. Peru's import shares from 2020 rest on this vintage alone: "
        "they are not comparable across 2019/2020 without a second source.",
        "Las importaciones de Perú en la versión posterior del FMI son altas desde 2020 (desde el mundo: {y2019} "
        "en 2019, {y2021} en 2021, {y2022} en 2022); un artículo regional que cita cifras nacionales de 2023 "
        "publica importaciones desde China y EE. UU. cerca de una cuarta parte menores. Las participaciones de "
        "importación de Perú desde 2020 dependen solo de esta versión: no son comparables entre 2019 y 2020 sin "
        "una segunda fuente.",
    ),
    "peers_publishers_note": (
        "Exports to China and the US are each country's own figures as reported to UN Comtrade (Colombia: "
        "DANE); they are divided by the IMF's totals with the World (the Comtrade file has no World row), so a "
        "share moves where the two publishers differ (Mexico's exports to the US as reported to Comtrade are a "
        "few percent below the IMF's in recent years).",
        "Las exportaciones a China y EE. UU. son las cifras de cada país según las informó a UN Comtrade "
        "(Colombia: DANE); se dividen por los totales del FMI con el mundo (el archivo de Comtrade no trae fila "
        "del mundo), así que una participación se mueve donde los dos publicadores difieren (las exportaciones "
        "de México a EE. UU. informadas a Comtrade son unos puntos porcentuales menores que las del FMI en los "
        "últimos años).",
    ),
    "peers_provisional_note": (
        "Provisional or incomplete in the years shown: {items}.",
        "Provisionales o incompletos en los años mostrados: {items}.",
    ),
    "peers_overtaking_title": (
        "When China overtook the United States",
        "Cuándo China superó a Estados Unidos",
    ),
    "peers_overtaking_note": (
        "The first year China's share was above the US's after a year in which it was not; only years with "
        "both shares count (a gap is not a year).",
        "El primer año en que la participación de China superó a la de EE. UU. tras un año en que no; solo "
        "cuentan los años con ambas participaciones (un hueco no es un año).",
    ),
    "peers_status_overtook": ("China ahead from {year}", "China por delante desde {year}"),
    "peers_status_gap": (
        "(no data between {before} and {year})",
        "(sin datos entre {before} y {year})",
    ),
    "peers_status_us_again": ("the US ahead again in {year}", "EE. UU. de nuevo por delante en {year}"),
    "peers_status_china_throughout": (
        "China ahead in every year compared ({first}–{last})",
        "China por delante en cada año comparado ({first}–{last})",
    ),
    "peers_status_china_then_us": (
        "China ahead in {first}, the US in {last}",
        "China por delante en {first}, EE. UU. en {last}",
    ),
    "peers_status_never": (
        "not overtaken: the US ahead in every year compared ({first}–{last})",
        "no la superó: EE. UU. por delante en cada año comparado ({first}–{last})",
    ),
    "peers_ranking_title": ("Ranking in {year}", "Clasificación en {year}"),
    "peers_ranking_year": ("Year of the ranking", "Año de la clasificación"),
    "peers_rank_by": ("Rank by", "Ordenar por"),
    "peers_ranking_provisional": (
        "{year}: provisional or incomplete figures for {countries}.",
        "{year}: cifras provisionales o incompletas para {countries}.",
    ),
    "peers_table_title": (
        "Every value, with its basis and publishers",
        "Cada valor, con su base y publicadores",
    ),
    "peers_units": (
        "% (shares and balance); numerators and denominators in USD",
        "% (participaciones y balanza); numeradores y denominadores en USD",
    ),
    "peers_mirror_title": ("What the partners report (mirror)", "Lo que informan los socios (espejo)"),
    "peers_mirror_intro": (
        "Each country's own figures beside the partner's for the same trade (the partner's imports are the "
        "country's exports). The US side: the Census Bureau (2021–2024) and the IMF's US workbook (to 2020); "
        "China's side: UN Comtrade as reported by China (Brazil, 2003–2024) and the IMF's China workbook (to "
        "2020).",
        "Las cifras de cada país junto a las del socio para el mismo comercio (las importaciones del socio son "
        "las exportaciones del país). Lado de EE. UU.: la Oficina del Censo (2021–2024) y el libro del FMI de "
        "EE. UU. (hasta 2020); lado de China: UN Comtrade según China (Brasil, 2003–2024) y el libro del FMI de "
        "China (hasta 2020).",
    ),
    "peers_mirror_overview": (
        "Every country against the US's and China's figures: the country's own figure ÷ the partner's − 1, the "
        "median over the years both report, as valued (imports CIF against the partner's exports FOB, and the "
        "reverse) and once every CIF value is divided by {factor}.",
        "Cada país frente a las cifras de EE. UU. y de China: la cifra del propio país ÷ la del socio − 1, la "
        "mediana de los años en que ambos informan, según su valoración (importaciones CIF frente a "
        "exportaciones FOB del socio, y al revés) y una vez dividido cada valor CIF por {factor}.",
    ),
    "peers_mirror_flow_short_export": (
        "Exports (the partner's imports)",
        "Exportaciones (importaciones del socio)",
    ),
    "peers_mirror_flow_short_import": (
        "Imports (the partner's exports)",
        "Importaciones (exportaciones del socio)",
    ),
    "peers_mirror_country": ("Country", "País"),
    "peers_mirror_none": (
        "No year in which both {country} and {partner} report their trade with each other.",
        "No hay año en que {country} y {partner} informen ambos su comercio entre sí.",
    ),
    "peers_mirror_chart": (
        "{country} and {partner}: each side's figures (USD bn)",
        "{country} y {partner}: las cifras de cada lado (miles de millones de USD)",
    ),
    "peers_mirror_axis": ("USD bn", "miles de millones de USD"),
    "peers_reported_by": ("as reported by {country}", "según {country}"),
    "peers_mirror_panel_export": ("{country}'s exports", "Exportaciones de {country}"),
    "peers_mirror_panel_import": ("{country}'s imports", "Importaciones de {country}"),
    "peers_mirror_flow_export": (
        "{country}'s exports to {partner} = {partner}'s imports",
        "Exportaciones de {country} a {partner} = importaciones de {partner}",
    ),
    "peers_mirror_flow_import": (
        "{country}'s imports from {partner} = {partner}'s exports",
        "Importaciones de {country} desde {partner} = exportaciones de {partner}",
    ),
    "peers_mirror_summary": (
        "{flow}: {country}'s figure differs from {partner}'s by {gap} as valued and by {gap_fob} once every CIF "
        "value is divided by {factor} (medians over {years}); freight and insurance explain the difference "
        "between the two, the rest is timing, origin against destination and re-exports.",
        "{flow}: la cifra de {country} difiere de la de {partner} en {gap} según su valoración y en {gap_fob} "
        "una vez dividido cada valor CIF por {factor} (medianas de {years}); el flete y el seguro explican la "
        "diferencia entre ambas, el resto es calendario, origen frente a destino y reexportaciones.",
    ),
    "table": ("Table", "Tabla"),
    "products_series": ("Product-level series", "Serie con detalle de productos"),
    "treemap_title": ("Products by HS chapter and heading", "Productos por capítulo y partida del SA"),
    "top_products": ("Top products", "Principales productos"),
    "top_movers": ("What grew fastest between two years", "Lo que más creció entre dos años"),
    "movers_order": ("Rank by", "Ordenar por"),
    "movers_by_growth": ("growth in %", "crecimiento en %"),
    "movers_by_change": ("change in USD", "cambio en USD"),
    "movers_title_growth": ("Fastest growth, {span} (%)", "Mayor crecimiento, {span} (%)"),
    "movers_title_change": ("Largest changes, {span}", "Mayores cambios, {span}"),
    "growth_pct": ("Growth (%)", "Crecimiento (%)"),
    "movers_note": (
        "Growth in % ranks the HS codes worth at least {base} in {year} (0.1 % of the series' total, at least USD "
        "1 m): from a smaller base a percentage says little. CAGR: compound annual growth rate between the two "
        "years.",
        "El crecimiento en % ordena los códigos SA de al menos {base} en {year} (0,1 % del total de la serie, al "
        "menos 1 millón de USD): desde una base menor un porcentaje dice poco. TCAC: tasa de crecimiento anual "
        "compuesto entre los dos años.",
    ),
    "compare_with": ("Compare with year", "Comparar con el año"),
    "one_year_only": (
        "This series has product detail for one year only, so there are no movers to show.",
        "Esta serie tiene detalle de productos solo para un año; no hay cambios que mostrar.",
    ),
    "hs_search": ("Find HS codes by code or words", "Buscar códigos SA por código o palabras"),
    "no_product_data": (
        "The bundled data has no product detail for this selection. Available: {available}",
        "Los datos incluidos no tienen detalle de productos para esta selección. Disponibles: {available}",
    ),
    "dependence_title": (
        "US and China shares of Colombia's trade",
        "Participación de EE. UU. y China en el comercio de Colombia",
    ),
    "dependence_note": (
        "Share = Colombia's trade with the partner ÷ Colombia's trade with the World, both as reported "
        "by Colombia, in years when both exist.",
        "Participación = comercio de Colombia con el socio ÷ comercio de Colombia con el mundo, ambos "
        "según Colombia, en años con ambos datos.",
    ),
    "coverage_title": ("Which series exist for which years", "Qué series existen para qué años"),
    "coverage_note": (
        "Cell value: months covered (12 = full year; monthly series summed).",
        "Valor de la celda: meses cubiertos (12 = año completo; series mensuales sumadas).",
    ),
    "datasets": ("Datasets loaded", "Conjuntos de datos cargados"),
    "reference_table": ("reference table", "tabla de referencia"),
    "data_manifest": ("Balanza's data manifest", "manifiesto de datos de Balanza"),
    "hs_level": ("HS level (0 = totals)", "Nivel SA (0 = totales)"),
    "rows_shown": ("{shown} rows shown of {total}.", "{shown} filas mostradas de {total}."),
    "data_chart_title": ("Sum of the selected rows by year", "Suma de las filas seleccionadas por año"),
    "links": ("Same filters on:", "Mismos filtros en:"),
    "vintage_revision": ("revision", "revisión"),
    "vintage_first": ("as loaded", "tal como se cargó"),
    "series_loaded": ("Loaded from: {files}.", "Cargado de: {files}."),
    "series_file": ("{path} on {date} UTC{revision}", "{path} el {date} UTC{revision}"),
    "series_revision": (" (a revision: newer release)", " (una revisión: versión más reciente)"),
    "db_error": ("The database cannot be opened: {error}", "No se puede abrir la base de datos: {error}"),
    "share_pct": ("Share (%)", "Participación (%)"),
    "gap_series": ("Record", "Registro"),
    "footnote_source": ("Source", "Fuente"),
    "description": ("Description", "Descripción"),
    "hs_code": ("HS code", "Código SA"),
    "change": ("Change", "Cambio"),
    "any": ("(any)", "(cualquiera)"),
    # Streamlit's own placeholders ("Choose an option", "Choose options") in the page's language.
    "choose_one": ("Choose one", "Elija una opción"),
    "choose_many": ("Choose one or more", "Elija una o varias"),
    # The details under a headline number, folded away.
    "where_from": ("Where this comes from", "De dónde sale esta cifra"),
    "details": ("Details", "Detalles"),
    "how_chosen": ("How each value is chosen", "Cómo se elige cada valor"),
    "takeaway_deficit": (
        "Colombia bought {value} more from {partner} than it sold to it in {year}.",
        "Colombia le compró a {partner} {value} más de lo que le vendió en {year}.",
    ),
    "takeaway_surplus": (
        "Colombia sold {value} more to {partner} than it bought from it in {year}.",
        "Colombia le vendió a {partner} {value} más de lo que le compró en {year}.",
    ),
    "takeaway_even": (
        "Colombia's sales to and purchases from {partner} were about even in {year}.",
        "Las ventas y las compras de Colombia con {partner} estuvieron más o menos parejas en {year}.",
    ),
}
