"""The practice profile: one page about one practice, made of sections that each area registers.

The page (``dashboards:practice_profile``, /dashboard/practices/<pk>/) shows, in ``order``,
every registered section whose ``context`` returns a dict for the person reading it. A
section that returns ``None`` is left out, so each area decides who sees its figures: a
practice manager may see their own practice's list size but not, say, a commissioner's
private notes. The page itself has already checked that the user may read the practice
(``practices.view_practice``, looked up through ``practices_for``), so another CCG's
practice is a 404 before any section runs.

Register a section once, at start-up, from the owning app's ``AppConfig.ready()``::

    # quality/apps.py
    class QualityConfig(AppConfig):
        name = "quality"

        def ready(self):
            from portal.profile import register_section

            from .profile import cqc_rating_context

            register_section(
                "cqc_rating",
                title="CQC rating",
                template="quality/_profile_cqc.html",
                order=40,
                context=cqc_rating_context,
            )

    # quality/profile.py
    def cqc_rating_context(practice, user) -> dict | None:
        if not user.has_perm("practices.view_practice", practice):
            return None
        rating = practice.cqc_ratings.order_by("-published").first()
        return {"rating": rating}

The section's template is included with the dict returned by ``context`` plus
``practice``, ``section`` (its key, title and order) and ``heading_id`` (an id for the
section's ``<h2>``, which the page draws for you with the section's title). Keep a
section's queries few and fixed: the profile is tested for a number of queries that does
not grow with the practice's history. Orders in use: 10 list size history, 20 workforce,
30 access, 40-59 quality (CQC rating, vulnerability, contract events, QOF prevalence),
60 funding received, 70 open actions and risks. Registering a key twice replaces the
earlier section (so ``ready()`` running twice in tests is harmless).

The profile is read as at a date (``?on=``, today unless asked). A section registered with
``as_at=True`` is called ``context(practice, user, on=date)`` and shows its figures as they
stood on that date; the others are called ``context(practice, user)`` and show today's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .registry import Registry

SectionContext = Callable[[Any, Any], "dict | None"]


@dataclass(frozen=True)
class ProfileSection:
    """One part of the practice profile: a heading, a template and who may see it."""

    key: str
    title: str
    template: str
    order: int
    context: SectionContext
    #: The context takes ``on=`` and shows its figures as at that date.
    as_at: bool = False

    def context_for(self, practice, user, on=None) -> dict | None:
        if self.as_at:
            return self.context(practice, user, on=on)
        return self.context(practice, user)

    @property
    def heading_id(self) -> str:
        return f"profile-{self.key.replace('_', '-')}"


_SECTIONS: Registry[str, ProfileSection] = Registry("profile section")


def register_section(
    key: str, *, title: str, template: str, order: int, context: SectionContext, as_at: bool = False
) -> ProfileSection:
    """Add (or replace) the profile section ``key``; ``context(practice, user)`` (with ``on=`` when
    ``as_at``) returns a dict or None."""
    section = ProfileSection(key=key, title=title, template=template, order=order, context=context, as_at=as_at)
    return _SECTIONS.add(key, section, replace=True)


def unregister_section(key: str) -> None:
    """Remove a section (for tests that register a throwaway one)."""
    _SECTIONS.remove(key)


def sections() -> list[ProfileSection]:
    """Every registered section, in page order."""
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


@dataclass(frozen=True)
class RenderedSection:
    """A section the user may see, with the context its template is included with."""

    section: ProfileSection
    context: dict

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def template(self) -> str:
        return self.section.template

    @property
    def heading_id(self) -> str:
        return self.section.heading_id


def visible_sections(practice, user, on=None) -> list[RenderedSection]:
    """The sections ``user`` may see for ``practice``, each with its template context, in order;
    ``on``: the date the profile is read as at (today if not given)."""
    shown = []
    for section in sections():
        context = section.context_for(practice, user, on=on)
        if context is None:
            continue
        shown.append(
            RenderedSection(
                section=section,
                context={**context, "practice": practice, "section": section, "heading_id": section.heading_id},
            )
        )
    return shown
