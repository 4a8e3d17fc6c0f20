"""Demo GP Forward View plans (2017/18-2018/19) for the demo CCGs, drawn from their plan documents.

    from commissioning.demo import load_demo_plans
    load_demo_plans()  # after the demo organisations are loaded; safe to run again

The data is in one readable module per CCG (``luton``, ``wolverhampton``, ``durham``,
``norfolk``); the shapes and the shared risks are in ``specs``; ``loader`` writes them.
Everything is invented to read like NHS commissioning text of 2017-18 and holds no
patient data.
"""

from .loader import DEMO_PLANS, load_demo_plans

__all__ = ["DEMO_PLANS", "load_demo_plans"]
