from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self):
        from . import cache  # noqa: F401 - connects the signal handlers that bump page versions
