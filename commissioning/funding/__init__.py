"""GP Forward View funding: streams and their rules, allocations to CCGs, schemes (bids) with
their checks and decisions, spend by quarter, and the real NHS payments to each practice.

The models register under the ``commissioning`` app (``commissioning/models.py`` imports
them). Reads are in ``selectors.py``, the rule checks in ``checks.py``, writes that span
several rows in ``services.py``.
"""
