"""The organisation pages, split by level of the hierarchy."""

from .clusters import ClusterCreateView, ClusterDetailView, ClusterUpdateView
from .home import home
from .organisations import CCGDetailView, STPDetailView, STPListView
from .practices import (
    PracticeCreateView,
    PracticeDetailView,
    PracticeListView,
    PracticeMoveClusterView,
    PracticeUpdateView,
)
from .reference import ReferenceImportRunView, ReferenceImportView
from .sites import SiteCreateView, SiteUpdateView

__all__ = [
    "CCGDetailView",
    "ClusterCreateView",
    "ClusterDetailView",
    "ClusterUpdateView",
    "PracticeCreateView",
    "PracticeDetailView",
    "PracticeListView",
    "PracticeMoveClusterView",
    "PracticeUpdateView",
    "ReferenceImportRunView",
    "ReferenceImportView",
    "STPDetailView",
    "STPListView",
    "SiteCreateView",
    "SiteUpdateView",
    "home",
]
