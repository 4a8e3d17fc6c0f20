"""Pages of one practice's return: the return itself, filling it in, uploading it, the
template, submitting with confirmed warnings, the commissioner's review, and past revisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from portal import exports, outbox
from portal.concurrency import ConcurrentChange
from portal.mixins import BreadcrumbsMixin

from ..forms import ConfirmWarningsForm, ListSizeForm, ReviewForm, UploadForm
from ..models import Return, Revision, Timeliness
from ..services import (
    ReturnChangedMeanwhile,
    ReturnError,
    ReturnNotReady,
    previous_accepted,
    return_accept,
    return_changes_since,
    return_check,
    return_confirm_warnings,
    return_save,
    return_saves,
    return_send_back,
    return_starting_values,
    return_submit,
    return_version,
    unconfirmed_warnings,
)
from ..types import findings_as_row_errors
from ..upload import FORMATS, UploadFileError, read_upload, write_table
from ..visibility import returns_for, revisions_for
from .common import ReturnScopedMixin, return_breadcrumbs

ACCEPTED_JOBS_WAITING = (
    "The acceptance is saved. Updating the figures from it is queued: it will start when the job queue is available."
)


#: ``?timeliness=`` on the practice's returns (the home page links to each): what the page then says it shows.
MY_RETURNS_SHOWN = {
    Timeliness.MISSING: "overdue",
    Timeliness.NOT_YET_DUE: "due and not yet submitted",
    Timeliness.RETURNED: "returned for correction",
}


class MyReturnsView(LoginRequiredMixin, BreadcrumbsMixin, ListView):
    """For practice managers: every return asked of their practice, newest period first;
    ``?timeliness=missing`` (``not_yet_due``, ``returned``) shows only those."""

    template_name = "returns/my_returns.html"
    context_object_name = "returns"

    @property
    def shown(self) -> str:
        value = self.request.GET.get("timeliness", "")
        return value if value in MY_RETURNS_SHOWN else ""

    def get_queryset(self):
        from practices.visibility import roles_of

        today = timezone.localdate()
        practice_ids = roles_of(self.request.user).practice_ids
        returns = returns_for(self.request.user).filter(practice_id__in=practice_ids)
        if self.shown:
            returns = returns.standing(self.shown, today)
        return (
            returns.with_timeliness(today)
            .select_related("collection__ccg", "practice")
            .order_by("-collection__period_start", "collection__due_date", "practice__name")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(shown=MY_RETURNS_SHOWN.get(self.shown, ""), **kwargs)

    def get_breadcrumbs(self):
        return [("Your returns", None)]


def shown_revision(ret: Return, user) -> Revision | None:
    """The practice sees its draft; a commissioner sees what was sent (a draft is the practice's own)."""
    if user.has_perm("returns.change_return", ret):
        return ret.draft_revision() or ret.latest_revision()
    return ret.revisions.exclude(status=Revision.Status.DRAFT).order_by("-number").first()


#: The list of saves on the return page shows at most this many, newest first.
SAVES_SHOWN = 50
SAVE_KIND = {
    Revision.Status.DRAFT: "Saved the draft",
    Revision.Status.SUBMITTED: "Submitted",
    Revision.Status.WITHDRAWN: "Withdrew the submission to change it",
    Revision.Status.RETURNED: "Returned it for correction",
    Revision.Status.ACCEPTED: "Accepted",
}


def saves_shown(ret: Return, *, can_change: bool) -> list[dict]:
    """Who saved the return's revisions and when, newest first. A draft is the practice's own:
    the commissioners see the saves of revisions that were sent."""
    records = return_saves(ret=ret)
    if not can_change:
        records = records.exclude(id__in=ret.revisions.filter(status=Revision.Status.DRAFT).values("pk"))
    saves = []
    for record in records[:SAVES_SHOWN]:
        what = SAVE_KIND.get(record.status, record.status)
        if record.status == Revision.Status.DRAFT and record.source == Revision.Source.UPLOAD:
            what = f"Uploaded {record.upload_name}"
        elif record.status == Revision.Status.DRAFT and record.source == Revision.Source.COPY:
            what = f"Started the draft from revision {record.number - 1}"
        elif record.status == Revision.Status.DRAFT and record.source == Revision.Source.NEW:
            what = "Started the draft"
        saves.append(
            {
                "when": record.history_date,
                "who": str(record.history_user) if record.history_user else "The system",
                "revision": record.number,
                "what": what,
                "note": record.history_change_reason or "",
            }
        )
    return saves


def content_context(ret: Return, revision: Revision | None) -> dict:
    kind = ret.type
    values = kind.load(revision) if revision else kind.empty_values()
    return {"values": values, "display": kind.display(values), "return_type": kind}


class ReturnDetailView(LoginRequiredMixin, ReturnScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, TemplateView):
    template_name = "returns/return_detail.html"
    permission_required = "returns.view_return"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ret, user = self.ret, self.request.user
        revision = shown_revision(ret, user)
        can_change = user.has_perm("returns.change_return", ret)
        findings = unconfirmed = None
        if revision is not None and (revision.is_editable or revision.status == Revision.Status.SUBMITTED):
            findings = return_check(ret=ret, revision=revision)
            unconfirmed = unconfirmed_warnings(revision=revision, findings=findings)
        context.update(
            ret=ret,
            collection=ret.collection,
            revision=revision,
            findings=findings,
            unconfirmed=unconfirmed,
            confirmations={c.code: c for c in revision.confirmations.all()} if revision else {},
            revisions=ret.revisions.exclude(status=Revision.Status.DRAFT).select_related("submitted_by", "decided_by")
            if not can_change
            else ret.revisions.select_related("submitted_by", "decided_by"),
            status_changes=ret.status_changes.select_related("by"),
            saves=saves_shown(ret, can_change=can_change),
            reminders=ret.reminders.select_related("sent_by"),
            can_change=can_change,
            can_review=user.has_perm("returns.review_return", ret),
            can_chase=user.has_perm("returns.chase_return", ret),
            timeliness=ret.timeliness_on(),
            returned_comment=ret.revisions.filter(status=Revision.Status.RETURNED).order_by("-number").first()
            if ret.status == Return.Status.RETURNED
            else None,
            **content_context(ret, revision),
        )
        return context

    def get_breadcrumbs(self):
        crumbs = return_breadcrumbs(self.request.user, self.ret)
        crumbs[-1] = (crumbs[-1][0], None)
        return crumbs


class ReturnEditView(LoginRequiredMixin, ReturnScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, TemplateView):
    """The form: 'Save draft' keeps whatever is typed that can be stored; field errors keep the
    typed text on the page and save nothing until they are put right."""

    template_name = "returns/return_edit.html"
    permission_required = "returns.change_return"

    def get(self, request, *args, **kwargs):
        revision = self.ret.draft_revision() or self.ret.latest_revision()
        kind = self.ret.type
        form = kind.build_form(values=return_starting_values(ret=self.ret))
        list_size_form = ListSizeForm(
            initial={
                "list_size_correction": revision.list_size_correction if revision else None,
                "list_size_correction_reason": revision.list_size_correction_reason if revision else "",
            }
        )
        return self.render_to_response(
            self.get_context_data(form=form, list_size_form=list_size_form, version=return_version(ret=self.ret))
        )

    def post(self, request, *args, **kwargs):
        kind = self.ret.type
        form = kind.build_form(values=None, data=request.POST)
        list_size_form = ListSizeForm(data=request.POST)
        seen = request.POST.get("version", "")
        if not (form.is_valid() and list_size_form.is_valid()):
            messages.error(request, "Nothing was saved: put right the figures marked below, then save again.")
            return self.render_to_response(
                self.get_context_data(form=form, list_size_form=list_size_form, version=seen)
            )
        values = kind.form_values(form)
        list_size = list_size_form.cleaned_data["list_size_correction"]
        try:
            with transaction.atomic():
                return_save(
                    ret=self.ret,
                    user=request.user,
                    values=values,
                    list_size_correction=list_size,
                    list_size_correction_reason=list_size_form.cleaned_data["list_size_correction_reason"],
                    seen_version=seen,
                )
        except ReturnChangedMeanwhile as exc:
            # Nothing saved: the typed figures stay in the bound form, the other person's beside
            # them, and the form now carries their version so that saving again is deliberate.
            self.ret.refresh_from_db()
            form.add_error(None, str(exc))
            change = ConcurrentChange(
                who=exc.stale.who,
                when=exc.stale.when,
                changes=return_changes_since(
                    ret=self.ret, seen=exc.stale.seen, values=values, list_size_correction=list_size
                ),
            )
            return self.render_to_response(
                self.get_context_data(
                    form=form, list_size_form=list_size_form, version=exc.stale.current, concurrent_change=change
                )
            )
        except ReturnError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(
                self.get_context_data(form=form, list_size_form=list_size_form, version=seen)
            )
        if "submit" in request.POST:
            return HttpResponseRedirect(reverse("returns:return_submit", args=[self.ret.pk]))
        messages.success(request, "Saved your draft. It has not been submitted yet.")
        return HttpResponseRedirect(self.ret.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        revision = self.ret.draft_revision() or self.ret.latest_revision()
        context.update(
            ret=self.ret,
            collection=self.ret.collection,
            revision=revision,
            return_type=self.ret.type,
            published=_published(self.ret, revision),
            withdraws=self.ret.status == Return.Status.SUBMITTED,
            previous=previous_accepted(ret=self.ret) if revision is None else None,
        )
        return context

    def get_breadcrumbs(self):
        return return_breadcrumbs(self.request.user, self.ret) + [("Fill in", None)]


def _published(ret: Return, revision: Revision | None):
    """The published list size the return shows: the revision's snapshot, or today's lookup."""
    if revision is not None and revision.published_list_size is not None:
        return {"patients": revision.published_list_size, "extract_date": revision.published_list_size_date}
    size = ret.practice.list_size_on(ret.collection.period_end)
    return {"patients": size.patients, "extract_date": size.extract_date} if size else None


class ReturnTemplateView(LoginRequiredMixin, ReturnScopedMixin, PermissionRequiredMixin, View):
    """The template to fill in, with the return's current figures in it."""

    permission_required = "returns.view_return"

    def get(self, request, *args, **kwargs):
        file_format = self.kwargs["file_format"]
        if file_format not in FORMATS:
            raise Http404
        kind = self.ret.type
        if request.user.has_perm("returns.change_return", self.ret):
            values = return_starting_values(ret=self.ret)
        else:
            revision = shown_revision(self.ret, request.user)
            values = kind.load(revision) if revision else kind.empty_values()
        headers, rows = kind.template_table(values)
        content = write_table(headers=headers, rows=rows, file_format=file_format, sheet_title=kind.name)
        name = slugify(f"{self.ret.practice.ods_code} {self.ret.collection.title}")
        return exports.download(content, file_format=file_format, filename=f"{name}.{file_format}")


class ReturnUploadView(LoginRequiredMixin, ReturnScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, FormView):
    """'Check the file' reports every problem; 'Upload' saves a good file as the draft, else nothing."""

    template_name = "returns/return_upload.html"
    form_class = UploadForm
    permission_required = "returns.change_return"

    def get_initial(self):
        return {**super().get_initial(), "version": return_version(ret=self.ret)}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        kind = self.ret.type
        try:
            table = read_upload(content=upload, filename=upload.name)
        except UploadFileError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        values, errors = kind.parse_upload(table)
        warnings = []
        if values is not None:
            findings = return_check(
                ret=self.ret, revision=self.ret.draft_revision() or self.ret.latest_revision(), values=values
            )
            errors = findings_as_row_errors(kind, findings.errors, table)
            warnings = findings.warnings
        if errors or "upload" not in self.request.POST:
            return self.render_to_response(
                self.get_context_data(form=form, errors=errors, warnings=warnings, filename=upload.name, checked=True)
            )
        try:
            revision = self.ret.draft_revision() or self.ret.latest_revision()
            saved = return_save(
                ret=self.ret,
                user=self.request.user,
                values=values,
                list_size_correction=revision.list_size_correction if revision else None,
                list_size_correction_reason=revision.list_size_correction_reason if revision else "",
                source=Revision.Source.UPLOAD,
                upload_name=upload.name[:200],
                # A file replaces the whole return on purpose; a newer draft it replaces is named
                # to the person and kept in the history (never a submission: that is refused).
                seen_version=form.cleaned_data.get("version") or "",
                replace_newer=True,
            )
        except ReturnError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        note = (
            f" It has {len(warnings)} warning{'s' if len(warnings) != 1 else ''} to confirm when you submit."
            if warnings
            else ""
        )
        messages.success(self.request, f"Uploaded {upload.name} as your draft.{note} It has not been submitted yet.")
        if saved.replaced is not None:
            messages.warning(
                self.request,
                f"{saved.replaced.who} saved this return at {saved.replaced.when:%H:%M}, after you opened the "
                f"upload page: {upload.name} replaced their figures. Theirs are kept in the list of saves below.",
            )
        return HttpResponseRedirect(self.ret.get_absolute_url())

    def get_context_data(self, **kwargs):
        kwargs.update(ret=self.ret, collection=self.ret.collection, return_type=self.ret.type)
        return super().get_context_data(**kwargs)

    def get_breadcrumbs(self):
        return return_breadcrumbs(self.request.user, self.ret) + [("Upload a file", None)]


class ReturnSubmitView(LoginRequiredMixin, ReturnScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, TemplateView):
    """The checks of the draft; each warning takes a comment; submitting sends it to the CCG."""

    template_name = "returns/return_submit.html"
    permission_required = "returns.change_return"

    def draft(self) -> Revision:
        draft = self.ret.draft_revision()
        if draft is None:
            raise Http404("There is no draft to submit.")
        return draft

    def get(self, request, *args, **kwargs):
        draft = self.draft()
        findings = return_check(ret=self.ret, revision=draft)
        form = ConfirmWarningsForm(warnings=findings.warnings, confirmed=self._confirmed(draft))
        return self.render_to_response(
            self.get_context_data(findings=findings, form=form, revision=draft, version=return_version(ret=self.ret))
        )

    def post(self, request, *args, **kwargs):
        seen = request.POST.get("version", "")
        draft = self.ret.draft_revision()
        try:
            if draft is None:
                # Submitted (or never drafted) since the page was shown: the service says which.
                return_submit(ret=self.ret, user=request.user, seen_version=seen)
            findings = return_check(ret=self.ret, revision=draft)
            form = ConfirmWarningsForm(request.POST, warnings=findings.warnings, confirmed=self._confirmed(draft))
            form.is_valid()
            # Comments are kept even when the submission is refused for a warning still to confirm.
            return_confirm_warnings(ret=self.ret, user=request.user, comments=form.comments(), seen_version=seen)
            return_submit(ret=self.ret, user=request.user, seen_version=seen)
        except ReturnNotReady as exc:
            for index, warning in enumerate(findings.warnings):
                if warning in exc.unconfirmed:
                    form.add_error(f"warning_{index}", "Confirm this figure with a comment, or correct it.")
            messages.error(request, str(exc))
            return self.render_to_response(
                self.get_context_data(findings=exc.findings, form=form, revision=draft, version=seen)
            )
        except ReturnError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.ret.get_absolute_url())
        messages.success(
            request, f"Submitted the {self.ret.collection.title} return to {self.ret.collection.ccg.name}."
        )
        return HttpResponseRedirect(self.ret.get_absolute_url())

    @staticmethod
    def _confirmed(draft: Revision) -> dict[str, str]:
        return dict(draft.confirmations.values_list("code", "comment"))

    def get_context_data(self, **kwargs):
        kwargs.update(ret=self.ret, collection=self.ret.collection)
        return super().get_context_data(**kwargs)

    def get_breadcrumbs(self):
        return return_breadcrumbs(self.request.user, self.ret) + [("Check and submit", None)]


class ReturnReviewView(LoginRequiredMixin, ReturnScopedMixin, PermissionRequiredMixin, BreadcrumbsMixin, FormView):
    """A commissioner accepts the submission or returns it for correction with a comment."""

    template_name = "returns/return_review.html"
    form_class = ReviewForm
    permission_required = "returns.review_return"

    def form_valid(self, form):
        decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
        try:
            if decision == ReviewForm.Decision.ACCEPT:
                return_accept(ret=self.ret, user=self.request.user, comment=comment)
                messages.success(self.request, f"Accepted the return of {self.ret.practice.name}.")
                outbox.warn_if_waiting(self.request, ACCEPTED_JOBS_WAITING)
            else:
                return_send_back(ret=self.ret, user=self.request.user, comment=comment)
                messages.success(self.request, f"Returned the return to {self.ret.practice.name} for correction.")
        except ReturnError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(self.ret.collection.get_absolute_url())

    def get_context_data(self, **kwargs):
        revision = self.ret.revisions.filter(status=Revision.Status.SUBMITTED).first()
        findings = return_check(ret=self.ret, revision=revision) if revision else None
        kwargs.update(
            ret=self.ret,
            collection=self.ret.collection,
            revision=revision,
            findings=findings,
            confirmations={c.code: c for c in revision.confirmations.all()} if revision else {},
            **content_context(self.ret, revision),
        )
        return super().get_context_data(**kwargs)

    def get_breadcrumbs(self):
        return return_breadcrumbs(self.request.user, self.ret) + [("Review", None)]


class RevisionDetailView(LoginRequiredMixin, BreadcrumbsMixin, DetailView):
    """One past revision as it was sent."""

    template_name = "returns/revision_detail.html"
    context_object_name = "revision"

    def get_queryset(self):
        queryset = revisions_for(self.request.user).select_related("ret__collection__ccg", "ret__practice")
        return queryset

    def get_object(self, queryset=None):
        revision = super().get_object(queryset)
        user = self.request.user
        # A draft is the practice's own until it is submitted.
        if revision.status == Revision.Status.DRAFT and not user.has_perm("returns.change_return", revision.ret):
            raise Http404
        return revision

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ret = self.object.ret
        context.update(
            ret=ret,
            collection=ret.collection,
            heading=f"Revision {self.object.number}",
            confirmations=self.object.confirmations.all(),
            **content_context(ret, self.object),
        )
        return context

    def get_breadcrumbs(self):
        return return_breadcrumbs(self.request.user, self.object.ret) + [(f"Revision {self.object.number}", None)]
