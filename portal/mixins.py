"""View plumbing every area shares: breadcrumbs, and looking the object up once per request."""

from __future__ import annotations


class BreadcrumbsMixin:
    """Puts ``breadcrumbs`` (a list of ``(text, url)``, the last one the current page) in the context."""

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs):
        kwargs.setdefault("breadcrumbs", self.get_breadcrumbs())
        return super().get_context_data(**kwargs)


class ObjectOnceMixin:
    """``get_object`` runs once: the permission check and the view share the row."""

    def get_object(self, queryset=None):
        if queryset is None:
            if not hasattr(self, "_object"):
                self._object = super().get_object()
            return self._object
        return super().get_object(queryset)


class FormPageMixin(BreadcrumbsMixin):
    """A create or edit page on ``portal/form_page.html``: a heading, the form, a way back.

    The template shows the error summary above the form and, with ``ConcurrencyGuardMixin``,
    the other person's changes when a save was refused.
    """

    template_name = "portal/form_page.html"
    heading = ""
    intro = ""

    def get_heading(self) -> str:
        return self.heading

    def get_cancel_url(self) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("heading", self.get_heading())
        kwargs.setdefault("intro", self.intro)
        kwargs.setdefault("cancel_url", self.get_cancel_url())
        return super().get_context_data(**kwargs)
