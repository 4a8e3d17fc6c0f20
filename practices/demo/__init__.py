"""The demo: real practices of a few CCGs from the reference files, and the GPFV-era groups,
sites and people that the planning documents describe (``spec.py``)."""

from .loader import DemoReport, ccg_overview, load_demo

__all__ = ["DemoReport", "ccg_overview", "load_demo"]
