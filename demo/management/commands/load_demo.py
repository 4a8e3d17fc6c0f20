"""Load the demo: the real practices of the demo CCGs, their GPFV-era clusters, one
account per role, and the CCGs' GP Forward View plans, so that a new user sees a
believable NHS.

    python manage.py load_demo [--password PASSWORD]

Safe to run again: a second run changes nothing. The accounts and what they see are listed
in the README ("Demo accounts"); what the demo invents is in ``practices/demo/spec.py``.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from access.demo import load_demo_access
from commissioning.demo import load_demo_plans
from commissioning.funding.demo import load_demo_funding
from dashboards.demo import load_demo_dashboards
from estates.demo import load_demo_estates
from portal.reference_data import ensure_reference_data
from practices.demo import ccg_overview, load_demo
from practices.demo.spec import DEMO_PASSWORD
from quality.demo import load_demo_quality
from workforce.demo import load_demo_returns


class Command(BaseCommand):
    help = "Load the demo CCGs, practices, clusters and accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"Password of the demo accounts this run creates (default {DEMO_PASSWORD!r}); others keep theirs.",
        )

    def handle(self, *args, password: str, **options):
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        ensure_reference_data()
        report = load_demo(password=password)
        for line in report.lines():
            self.stdout.write(line)
        for ccg in ccg_overview():
            self.stdout.write(f"  {ccg}")
        plans = load_demo_plans()
        plans.pop("ccgs_not_loaded", None)
        self.stdout.write("Plans: " + ", ".join(f"{count} {name} added" for name, count in plans.items()))
        returns = load_demo_returns()
        self.stdout.write("Returns: " + ", ".join(f"{count} {name} added" for name, count in returns.items()))
        self.stdout.write("Funding: " + ", ".join(f"{n} {name} added" for name, n in load_demo_funding().items()))
        # After funding: a premises scheme is linked to the funding bid that pays for it.
        self.stdout.write("Estates: " + ", ".join(f"{n} {name} added" for name, n in load_demo_estates().items()))
        self.stdout.write("Access returns: " + ", ".join(f"{n} {name} added" for name, n in load_demo_access().items()))
        self.stdout.write("Quality: " + ", ".join(f"{n} {name}" for name, n in load_demo_quality().items()))
        self.stdout.write("Dashboards: " + ", ".join(f"{n} {name}" for name, n in load_demo_dashboards().items()))
        if report.changed_anything or any(plans.values()):
            self.stdout.write(self.style.SUCCESS("Demo loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo already loaded: nothing changed."))
