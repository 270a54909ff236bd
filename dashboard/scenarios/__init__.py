"""The Scenarios page's presentation: model results in, what the reader sees out. Modules:

- form: the page's state without Streamlit (presets, form values ↔ scenario documents, the link, uploads)
- summary: the headline metrics and captions of one result, its figures
- tables: model frames made readable (USD million, headers in the reader's language), comparison groups
- view: labels and the headline table and partner panels shared by page and report
- charts: plotly figures of scenario results
- labels: the page's own words in English and Spanish
- model_text: the model's words (notes, band basis, what it leaves out, preset names) in the reader's language
- report: the self-contained HTML report of a comparison
- widgets: the Streamlit pieces (forms, a result of each kind, the comparison); the only module here that
  imports Streamlit
"""
