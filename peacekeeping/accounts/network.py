"""The client's IP address, as far as the deployment's proxies can be trusted."""

import ipaddress

from django.conf import settings


def _valid(value: str | None) -> bool:
    if not value:
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies up X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so with N of them
    the client is the N-th entry from the right; entries further left are whatever the
    client chose to send and are never believed. Login throttling keys on this address,
    so trusting too many proxies would let an attacker pick a fresh IP per attempt, and
    trusting none behind a proxy would lock everyone out together.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count and _valid(forwarded[-count]):
            return forwarded[-count]
    return remote if _valid(remote) else None


def client_user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:255]
