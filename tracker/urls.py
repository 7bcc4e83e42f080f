from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

# Only the account views the tracker uses. Password reset is left out: no page links to it and
# no mail is set up, so it would only let anyone make the server try to send mail.
accounts = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/", include("claims.api_urls")),
    path("", include("claims.urls")),
]
