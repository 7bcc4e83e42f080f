from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from . import views, views_review
from .feeds import SITEMAPS, StatusChanges

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("d/<slug:slug>/", views.document, name="document"),
    path("d/<slug:slug>/claims.json", views.document_json, name="document-json"),
    path("d/<slug:slug>/claims.csv", views.document_csv_view, name="document-csv"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<uuid:uuid>/", views.claim, name="claim"),
    path("contradictions/", views.contradictions, name="contradictions"),
    path("sources/", views.sources, name="sources"),
    path("methodology/", views.methodology, name="methodology"),
    path("claimreview.json", views.claimreview_json, name="claimreview-json"),
    path("feed/", require_safe(StatusChanges()), name="feed"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    # Reviewers
    path("review/", views_review.queue, name="review-queue"),
    path("review/bulk", views_review.bulk, name="review-bulk"),
    path("review/claims/<uuid:uuid>/", views_review.review_claim, name="review-claim"),
    path("review/claims/<uuid:uuid>/status", views_review.change_status, name="review-status"),
    path("review/claims/<uuid:uuid>/citations", views_review.add_citation, name="review-cite"),
    path("review/claims/<uuid:uuid>/notes", views_review.add_note, name="review-note"),
    path("review/claims/<uuid:uuid>/flags", views_review.add_flag, name="review-flag"),
    path("review/claims/<uuid:uuid>/edit", views_review.edit_claim, name="review-edit"),
    path("review/claims/<uuid:uuid>/split", views_review.split_claim, name="review-split"),
    path("review/claims/<uuid:uuid>/merge", views_review.merge_claim, name="review-merge"),
    path(
        "review/claims/<uuid:uuid>/not-a-claim", views_review.not_a_claim, name="review-not-claim"
    ),
    path("review/flags/<int:pk>/resolve", views_review.resolve_flag, name="review-resolve"),
    path(
        "review/links/<int:pk>/confirm",
        views_review.decide_link,
        {"decision": "confirm"},
        name="review-link-confirm",
    ),
    path(
        "review/links/<int:pk>/reject",
        views_review.decide_link,
        {"decision": "reject"},
        name="review-link-reject",
    ),
]
