"""View plumbing every area shares: breadcrumbs, and looking the object up once per request."""

from __future__ import annotations

from django.shortcuts import get_object_or_404


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


class ScopedObjectMixin:
    """A page about one object named in its URL, looked up through the app's visibility rule for
    that type (``visible_to``, e.g. ``practices.visibility.ccgs_for``): an object the user may not
    see is a 404 before anything else happens, and object permissions are checked against it.

    ``scope_kwarg`` names the URL's argument; ``scope_related`` is select_related. The object is
    looked up once per request (``scoped_object``); subclasses name it (``ccg``, ``practice``).
    List it before ``PermissionRequiredMixin``, whose own ``get_permission_object`` would win.
    """

    scope_kwarg = "pk"
    scope_related: tuple[str, ...] = ()

    def visible_to(self, user):
        raise NotImplementedError("A scoped view names the visibility rule of its object type.")

    def scope_pk(self):
        """The object's primary key: the URL's ``scope_kwarg``, unless a page takes it elsewhere."""
        return self.kwargs[self.scope_kwarg]

    def scoped_object(self):
        if not hasattr(self, "_scoped_object"):
            visible = self.visible_to(self.request.user)
            if self.scope_related:
                visible = visible.select_related(*self.scope_related)
            self._scoped_object = get_object_or_404(visible, pk=self.scope_pk())
        return self._scoped_object

    def get_permission_object(self):
        return self.scoped_object()
