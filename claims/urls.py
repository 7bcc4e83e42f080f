from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .feeds import SITEMAPS, StatusChanges

urlpatterns = [
    path("", views.home, name="home"),
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
]
