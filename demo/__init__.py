"""The demo: one command, ``manage.py load_demo``, that loads each app's demo data in turn.

The top of the house: it imports every app and no app imports it. Each app keeps its own
demo loader beside its models (``practices/demo``, ``commissioning/demo``, ``access/demo.py``…);
this app only runs them in order and prints what each added.
"""
