"""The shared data-collection workflow: one mechanism for every kind of practice return.

A commissioner opens a ``Collection`` (one return type, one period, a due date) for some
or all practices of a CCG; each practice gets one ``Return`` whose status moves
not started -> draft -> submitted -> accepted, or submitted -> returned (for correction,
with a comment) -> submitted again. Every draft and every submission is a ``Revision``;
an accepted revision is frozen and is the only one that feeds metrics
(``Revision.objects.accepted().of_type("workforce")``). Reminders go by email before the
due date and when overdue (``returns.tasks.send_return_reminders``, daily by Celery beat)
and when a commissioner presses "Chase". Pages live under /returns/ (``returns:...``).

How to add a kind of return (the workforce return in ``workforce/`` is a full example)
------------------------------------------------------------------------------------------
1. Content models in your app, keyed by revision::

       class AccessFigures(models.Model):
           revision = models.OneToOneField("returns.Revision", on_delete=models.CASCADE,
                                           related_name="access_figures")
           appointments = models.PositiveIntegerField(null=True, blank=True) ...

   (a grid has one row per revision and grid row: ``revision`` FK + a ``row`` CharField,
   with a UniqueConstraint on both). Never write to them except through the type's
   ``store`` hook, which the services call on the draft only.

2. A return type in ``<app>/return_types.py`` (found at start-up), registered with the
   decorator. Subclass one of the shapes in ``returns.types``:

   - ``GridReturnType``: the same figures for each of several rows (staff roles, sites).
     Set ``line_model``, ``row_field``, ``rows = [GridRow(key, label, group)]``,
     ``columns = [GridColumn(field, header, Kind.COUNT | Kind.FTE | Kind.PERCENT)]``,
     ``row_header`` / ``group_header`` (the upload's first columns). The form, the upload
     template, the upload parser and the read-only display all come from these.
   - ``RecordReturnType``: one set of questions. Set ``content_model`` and ``form_class``
     (a ModelForm of the questions, without ``revision``). The upload is a two-column
     Question/Answer sheet whose questions are the form's labels.
   - ``ReturnType`` itself, implementing the hooks below, for any other shape.

   ::

       from returns.registry import register
       from returns.types import RecordReturnType

       @register
       class AccessReturn(RecordReturnType):
           key = "access"                      # stored on Collection.return_type; never change it
           name = "Access return"              # "Access return, October 2017"
           frequency = Frequency.MONTHLY       # MONTHLY, QUARTERLY or ANNUAL (financial year)
           default_due_days = 10               # due this many days after the period ends
           description = "..."                 # shown when a commissioner opens a collection
           content_model = AccessFigures
           form_class = AccessFiguresForm
           rules = [rule_a, rule_b]            # see 3.
           content_template = "access/_return_content.html"   # optional: your own display
           form_template = "access/_return_form.html"         # optional: your own form layout

   Hooks (override as needed): ``empty_values()``, ``load(revision)``,
   ``store(revision, values)``, ``copy(source, target)``; ``build_form(values=, data=)``,
   ``form_values(form)``; ``template_table(values)`` -> (headers, rows),
   ``parse_upload(table)`` -> (values or None, [RowError]), ``locate(finding, table)``;
   ``check(context)``, ``extra_context(ret=, revision=)`` (e.g. the CCG's percentiles for
   a rule, into ``CheckContext.extra``); ``display(values)`` (extra template context);
   ``accepted(revision)`` (called after commit when a revision is accepted: ask the metrics
   engine to recompute the period there, ``metrics.services.recompute_request``).

3. Rules (``returns.validation``): functions ``rule(ctx: CheckContext) -> Iterable[Finding]``.
   ``ctx.values`` are the figures being checked in the type's shape (a grid:
   ``{row: {field: value}}``, a record: ``{field: value}``), ``ctx.previous_values`` those
   of the practice's latest accepted return of the same type for an earlier period (or
   None) with ``ctx.previous_list_size`` and ``ctx.previous_period_start``, ``ctx.list_size``
   the list size in use (the practice's own figure if it gave one, else the published one),
   ``ctx.practice``, ``ctx.period_start``, ``ctx.collection``,
   ``ctx.extra``. Yield ``Finding(code, message, field=, severity=ERROR|WARNING, row=)``;
   a warning's ``code`` must be stable (``"fte-change:gp"``), because the practice
   manager's confirming comment is kept by code. Errors block submission and a whole
   upload; warnings need a comment before submitting. Field rules (whole numbers, not
   negative, percentages 0-100) belong in the form fields (``returns.types.cell_field``):
   form and upload both parse through the form, so they hold in both ways in.

4. Templates: ``content_template`` gets ``values``, ``display`` (from ``display()``),
   ``return_type``, ``revision``; ``form_template`` gets ``form``. The defaults
   (``returns/_grid_content.html``, ``_grid_form.html``, ``_record_content.html``,
   ``_record_form.html``) work for the two shapes.

5. Tests: ``tests/returns/test_services.py`` shows the status machine;
   ``returns.services.collection_open(...)`` then ``return_save`` / ``return_submit`` /
   ``return_accept`` drive a return of your type end to end.

Services (keyword-only, in ``returns.services``): ``collection_open``, ``return_draft``,
``return_save``, ``return_check``, ``return_confirm_warnings``, ``return_submit``,
``return_accept``, ``return_send_back``, ``return_chase``, ``collection_chase``,
``reminders_send``. Access: ``returns.visibility.collections_for/returns_for/revisions_for``;
permissions ``returns.add_collection``, ``view_collection``, ``view_return``,
``change_return``, ``review_return``, ``chase_return``.
"""
