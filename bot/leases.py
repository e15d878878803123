"""Keeping a claim alive while its message is sent: a heartbeat that renews the lease.

A claim in the database (a digest post, a batch of watch alerts) is a lease, so that a sender
that died loses it; a sender that lives renews it while Discord makes it wait, however long.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

log = logging.getLogger("dealbrief.bot.leases")


@contextlib.asynccontextmanager
async def renewing(
    renew: Callable[[], Awaitable[bool]], every: float, what: str
) -> AsyncIterator[None]:
    """Call ``renew()`` every ``every`` seconds while the block runs; stop once it answers
    False (the claim is no longer ours). ``what`` names the claim in the log."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                if not await renew():
                    log.warning("%s lost its claim while sending", what)
                    return
            except Exception:
                log.exception("%s: could not renew its claim", what)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
