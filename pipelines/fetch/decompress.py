"""Content-Encoding decoders that never produce more than they are asked for.

httpx's own decoders inflate each network chunk in full, so one 64 KiB chunk
of a gzip bomb becomes ~64 MiB in memory at once. These take an output limit
per call, which keeps memory bounded by ``max_bytes`` whatever the ratio.
"""

from __future__ import annotations

import zlib
from typing import Protocol


class UnsupportedEncoding(Exception):
    """The response uses a Content-Encoding we did not ask for and cannot undo."""


class CorruptBody(Exception):
    """The compressed body does not decompress."""


class Decoder(Protocol):
    def decode(self, chunk: bytes, limit: int) -> bytes:
        """Decoded bytes for ``chunk``, at most ``limit`` of them.

        Once a call returns exactly ``limit`` bytes the caller must stop: input
        left over from that call is dropped.
        """
        ...


class _Identity:
    def decode(self, chunk: bytes, limit: int) -> bytes:
        return chunk[:limit]


class _Zlib:
    def __init__(self, wbits: int, fallback_wbits: int | None = None) -> None:
        self._wbits = wbits
        self._fallback_wbits = fallback_wbits
        self._engine = zlib.decompressobj(wbits)
        self._started = False
        self._members_done = 0
        self._finished = False

    def decode(self, chunk: bytes, limit: int) -> bytes:
        out = bytearray()
        data = chunk
        while data and not self._finished and len(out) < limit:
            try:
                piece = self._engine.decompress(data, limit - len(out))
            except zlib.error as exc:
                if not self._started and self._fallback_wbits is not None:
                    # "deflate" is meant to be zlib-wrapped, but some servers
                    # send a raw deflate stream; browsers accept both.
                    self._engine = zlib.decompressobj(self._fallback_wbits)
                    self._fallback_wbits = None
                    continue
                if self._members_done:
                    # Padding or junk after a complete stream: browsers ignore it.
                    self._finished = True
                    break
                raise CorruptBody(f"corrupt compressed body: {exc}") from exc
            self._started = True
            out += piece
            if self._engine.eof:
                # A gzip file may hold several members back to back.
                self._members_done += 1
                data = self._engine.unused_data
                self._engine = zlib.decompressobj(self._wbits)
            else:
                data = self._engine.unconsumed_tail
        return bytes(out)


def decoder_for(content_encoding: str | None) -> Decoder:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) > 1:
        raise UnsupportedEncoding(f"unsupported content-encoding {content_encoding}")
    coding = codings[0]
    if coding in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if coding == "deflate":
        return _Zlib(zlib.MAX_WBITS, fallback_wbits=-zlib.MAX_WBITS)
    raise UnsupportedEncoding(f"unsupported content-encoding {coding}")
