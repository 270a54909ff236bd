"""The scenario model: a single-market partial-equilibrium engine (WITS-SMART kind) and purchase scenarios.

Plain Python and NumPy; no Streamlit. `model.scenario.run_scenario` is the entry point.
"""
