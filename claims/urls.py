from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("d/<slug:slug>/", views.document, name="document"),
    path("claims/<uuid:uuid>/", views.claim, name="claim"),
]
