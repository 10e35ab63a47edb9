"""Read a response body as a stream, stopping at a byte cap and a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from pipelines.fetch.decompress import decoder_for


class DownloadTimeout(httpx.ReadTimeout):
    """httpx times out each read separately, so a server that trickles one
    byte per second would never trip it; this bounds the whole download."""


@dataclass(frozen=True)
class Body:
    data: bytes
    truncated: bool


def read_capped(
    response: httpx.Response,
    max_bytes: int,
    deadline: float,
    clock: Callable[[], float] = time.monotonic,
) -> Body:
    """Decoded body, cut at ``max_bytes`` after decompression.

    Raw bytes are decoded here rather than by httpx so that the cap also
    bounds memory during decompression (see decompress.py).
    """
    decoder = decoder_for(response.headers.get("content-encoding"))
    buffer = bytearray()
    for raw in response.iter_raw():
        # Ask for one byte more than fits, to tell "exactly max_bytes" from "more".
        buffer += decoder.decode(raw, max_bytes + 1 - len(buffer))
        if len(buffer) > max_bytes:
            del buffer[max_bytes:]
            return Body(bytes(buffer), truncated=True)
        if clock() > deadline:
            raise DownloadTimeout("download took longer than the timeout", request=response.request)
    return Body(bytes(buffer), truncated=False)
