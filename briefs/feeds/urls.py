"""What a feed or article address may be: http(s) only, a public host unless allowed, and one
spelling of each link so that a tracking parameter or a fragment does not make a new item."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver

from ..errors import BadInput

MAX_URL = 2000
# Query parameters that only say where a click came from; they never change the article.
TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid")


class PrivateAddress(Exception):
    """A host resolving to a private, loopback or link-local address."""


def check_url(text: str | None) -> str:
    """A feed address as typed, refused politely unless it is an http(s) URL with a host."""
    url = (text or "").strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{url[:80]!r} is not a web address", code="bad_feed_url", value=url[:80])
    return url


def normalise_link(url: str) -> str:
    """Scheme and host lower-cased, default port, fragment and tracking parameters dropped,
    the remaining parameters sorted."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if parts.port in (None, default) else f"{host}:{parts.port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING)
    )
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_host(host: str, port: int | None) -> None:
    """Raise PrivateAddress when ``host`` is, or resolves to, a non-public address: a feed must
    not make the bot read its own machine or network (checked again on every redirect)."""
    try:
        addresses = [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
        except OSError:
            return  # unresolvable: the request itself fails with a connection error
        addresses = [info[4][0] for info in infos]
    if not all(is_public(address) for address in addresses):
        raise PrivateAddress(host)


class PublicResolver(ThreadedResolver):
    """The addresses the connection really uses, private ones left out: a host that answered
    the check with a public address cannot answer the connection with a private one."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await super().resolve(host, port, family)
        public = [info for info in found if is_public(info["host"])]
        if not public:
            raise OSError(f"{host} resolves only to private addresses")
        return public
