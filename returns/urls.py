"""URLs of the collection workflow, under /returns/."""

from django.urls import path

from .views import collections, returns

app_name = "returns"

urlpatterns = [
    path("", collections.CollectionListView.as_view(), name="collection_list"),
    path(
        "ccg/<int:ccg_pk>/open/<slug:type_key>/", collections.CollectionCreateView.as_view(), name="collection_create"
    ),
    path("collection/<int:pk>/", collections.CollectionDetailView.as_view(), name="collection_detail"),
    path("collection/<int:pk>/chase/", collections.CollectionChaseView.as_view(), name="collection_chase"),
    path("mine/", returns.MyReturnsView.as_view(), name="my_returns"),
    path("return/<int:pk>/", returns.ReturnDetailView.as_view(), name="return_detail"),
    path("return/<int:pk>/edit/", returns.ReturnEditView.as_view(), name="return_edit"),
    path("return/<int:pk>/upload/", returns.ReturnUploadView.as_view(), name="return_upload"),
    path("return/<int:pk>/template.<str:file_format>", returns.ReturnTemplateView.as_view(), name="return_template"),
    path("return/<int:pk>/submit/", returns.ReturnSubmitView.as_view(), name="return_submit"),
    path("return/<int:pk>/review/", returns.ReturnReviewView.as_view(), name="return_review"),
    path("return/<int:pk>/chase/", collections.ReturnChaseView.as_view(), name="return_chase"),
    path("revision/<int:pk>/", returns.RevisionDetailView.as_view(), name="revision_detail"),
]
