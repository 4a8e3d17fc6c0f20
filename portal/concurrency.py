"""Refuse a save when someone else changed the record after the form was shown.

The version a person edits is the id of the latest django-simple-history record, so any model
with ``history = HistoricalRecords()`` can use the guard without a version column. The one
rule is ``check_version``: the pages of plain records use it through
``ConcurrencyGuardMixin``; a draft return (whose figures live in several rows) uses it on the
history of the return's revisions (``returns.services``).
"""

from __future__ import annotations

from dataclasses import dataclass

from crispy_forms.layout import Field
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone

from .display import field_value
from .history import Change

VERSION_FIELD = "history_version"


@dataclass
class ConcurrentChange:
    """What the template shows when a save was refused: who changed the record, when, and how."""

    who: str
    when: object
    changes: list[Change]


def latest_version(records) -> str:
    """The version that ``records`` (a queryset of simple-history records) stand at: the latest id."""
    history_id = records.order_by("-history_id").values_list("history_id", flat=True).first()
    return "" if history_id is None else str(history_id)


def latest_history_id(obj) -> str:
    return latest_version(obj.history)


def last_change(records) -> tuple[str, object]:
    """Who made the latest of ``records``, and when (local time)."""
    record = records.select_related("history_user").order_by("-history_id").first()
    who = str(record.history_user) if record and record.history_user else "an import or a job"
    when = timezone.localtime(record.history_date) if record else timezone.localtime()
    return who, when


class StaleVersion(Exception):
    """Someone else saved after the version a person started from: ``who`` at ``when``."""

    def __init__(self, *, who: str, when, seen: str, current: str):
        super().__init__(f"Changed by {who} at {when:%H:%M}.")
        self.who, self.when, self.seen, self.current = who, when, seen, current


def check_version(*, records, seen: str) -> None:
    """Raise ``StaleVersion`` unless ``seen`` is still the latest of ``records``.

    Call it with the row being saved locked (``select_for_update``), so that two saves from
    the same version cannot both pass.
    """
    current = latest_version(records)
    if (seen or "") != current:
        who, when = last_change(records)
        raise StaleVersion(who=who, when=when, seen=seen or "", current=current)


class ConcurrencyGuardMixin:
    """For an ``UpdateView`` of a model with simple-history.

    When the form is shown it carries the latest history id in a hidden field. On POST the
    row is locked (``select_for_update``, so two saves cannot both pass the check) and the
    latest history id compared with the one the form carried. If it has moved on nothing is
    saved: the form comes back with what the person typed, an error saying who changed the
    record and when, and the saved values beside theirs. The hidden field then carries the
    new version, so saving again replaces the other person's values knowingly.
    """

    version_field_name = VERSION_FIELD

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[self.version_field_name] = forms.CharField(widget=forms.HiddenInput, required=False)
        form.fields[self.version_field_name].initial = latest_history_id(self.object)
        # A crispy layout renders only the fields it names: without this the version would
        # never reach the browser and every save would be refused as stale.
        helper = getattr(form, "helper", None)
        if helper is not None and helper.layout is not None:
            helper.layout.append(Field(self.version_field_name))
        return form

    def form_valid(self, form):
        model = type(self.object)
        with transaction.atomic():
            saved = model._default_manager.select_for_update().get(pk=self.object.pk)
            try:
                check_version(records=saved.history, seen=form.cleaned_data.get(self.version_field_name) or "")
            except StaleVersion as stale:
                return self.form_stale(form, saved=saved, stale=stale)
            return super().form_valid(form)

    def form_stale(self, form, *, saved, stale: StaleVersion):
        who, when, seen, current = stale.who, stale.when, stale.seen, stale.current
        noun = saved._meta.verbose_name
        form.add_error(
            None,
            f"Someone else ({who}) changed this {noun} at {when:%H:%M} — their version is shown; "
            "your text is kept below. Nothing of yours has been saved yet: check their changes, "
            "then save again if your version should replace theirs.",
        )
        # The next save is a deliberate one over the version now shown.
        data = form.data.copy()
        data[form.add_prefix(self.version_field_name)] = current
        form.data = data
        # The form has written the typed values onto self.object; show the saved row instead.
        self.object = saved
        change = ConcurrentChange(who=who, when=when, changes=self.changes_since(form, saved=saved, seen=seen))
        return self.render_to_response(self.get_context_data(form=form, concurrent_change=change))

    def changes_since(self, form, *, saved, seen: str) -> list[Change]:
        """Each field the other person changed: their saved value (``old``) and the typed one (``new``)."""
        seen_record = saved.history.filter(history_id=seen).first() if seen.isdigit() else None
        changes = []
        for name in form.fields:
            if name == self.version_field_name:
                continue
            try:
                model_field = saved._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            attname = model_field.attname
            theirs = getattr(saved, attname)
            if seen_record is not None and getattr(seen_record, attname) == theirs:
                continue
            typed = form.cleaned_data.get(name)
            changes.append(
                Change(
                    label=str(form.fields[name].label or model_field.verbose_name).capitalize(),
                    old=field_value(model_field, getattr(saved, model_field.name)),
                    new=field_value(model_field, typed),
                )
            )
        return changes
