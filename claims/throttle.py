"""Sign-in throttling (django-axes): whose address a try comes from, and the lockout page."""

import ipaddress

from django.conf import settings
from django.shortcuts import render


def client_ip(request):
    """The client's address: the peer's, or the one the nearest trusted proxy recorded.

    Each proxy appends the address it was reached from to X-Forwarded-For, so with N trusted
    proxies the client is the N-th entry from the right; anything further left came from the
    client and may be forged."""
    count = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")]
    if count and len(forwarded) >= count:
        try:
            return str(ipaddress.ip_address(forwarded[-count]))
        except ValueError:
            pass  # not written by a proxy we trust: the request did not come through them
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response, credentials):
    """The answer to any sign-in during a lockout (and to the try that caused it)."""
    minutes = settings.LOGIN_COOLOFF_MINUTES
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
