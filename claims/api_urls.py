from django.urls import path

from . import api

urlpatterns = [
    path("documents/", api.documents, name="api-documents"),
    path("documents/<slug:slug>/", api.document, name="api-document"),
    path("claims/", api.claims, name="api-claims"),
    path("claims/<uuid:uuid>/", api.claim, name="api-claim"),
    path("claims/<uuid:uuid>/status", api.claim_status, name="api-claim-status"),
    path("claims/<uuid:uuid>/citations", api.claim_citations, name="api-claim-citations"),
    path("claims/<uuid:uuid>/notes", api.claim_notes, name="api-claim-notes"),
    path("claims/<uuid:uuid>/flags", api.claim_flags, name="api-claim-flags"),
    path("flags/<int:pk>/resolve", api.flag_resolve, name="api-flag-resolve"),
    path("links/<int:pk>/confirm", api.link_confirm, name="api-link-confirm"),
    path("links/<int:pk>/reject", api.link_reject, name="api-link-reject"),
    path("sources/", api.sources, name="api-sources"),
]
