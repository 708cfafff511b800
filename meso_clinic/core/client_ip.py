"""The client's address behind the clinic's TLS proxy, for the sign-in lockout (AXES_CLIENT_IP_CALLABLE).

Behind a proxy every request comes from the proxy's own address (REMOTE_ADDR), and django-axes, counting
failures per username and address, would lock a user out for everyone after five wrong passwords from
anywhere. Each proxy appends the address it received the request from to X-Forwarded-For, so with
TRUSTED_PROXY_COUNT proxies in front the client is the N-th entry from the right. Everything left of that
was sent by the client and is never trusted: a guesser could name a new address on every try.

django-axes reads AXES_CLIENT_IP_CALLABLE before anything else (axes.helpers.get_client_ip_address); its
AXES_IPWARE_* settings only work with django-ipware installed, which the project does not need.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(entry: str) -> str | None:
    """One X-Forwarded-For entry as an address (without a port some proxies add), or None if it is none."""
    entry = entry.strip()
    if entry.startswith("[") and "]" in entry:  # "[2001:db8::1]:443"
        entry = entry[1 : entry.index("]")]
    elif entry.count(":") == 1:  # "203.0.113.7:51234"
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))  # one spelling per address (IPv6 lower-case, compressed)
    except ValueError:
        return None


def client_ip(*, remote_addr: str | None, forwarded_for: str | None, trusted_proxies: int) -> str | None:
    """The address the N-th trusted proxy from the right saw, else REMOTE_ADDR.

    REMOTE_ADDR when there is no proxy (the header is then the client's own words), when the header is
    missing or has fewer entries than there are proxies (the request did not come through them), or when
    the trusted entry is not an address (nothing else may reach the lockout's address column).
    """
    if trusted_proxies <= 0 or not forwarded_for:
        return remote_addr
    entries = forwarded_for.split(",")
    if len(entries) < trusted_proxies:
        return remote_addr
    return _address(entries[-trusted_proxies]) or remote_addr


def axes_client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the request's client address under settings.TRUSTED_PROXY_COUNT."""
    return client_ip(
        remote_addr=request.META.get("REMOTE_ADDR"),
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR"),
        trusted_proxies=settings.TRUSTED_PROXY_COUNT,
    )
