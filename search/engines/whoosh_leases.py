"""Searchers kept open while something still reads from them.

A thread's shared searcher is replaced as soon as the index changes (another
process committed or merged segments). Closing the old one at once broke every
reader still holding it: an export streaming its rows, or a page that had
found its hits and was resolving their ids, failed with
`whoosh.reading.ReaderClosed` halfway. Document numbers are only valid for
the searcher that found them, so such a reader must keep its own searcher
until it is done: it *leases* it, and a replaced searcher is closed when its
last lease ends (or at once when it has none).
"""

from __future__ import annotations

import logging
import weakref

log = logging.getLogger(__name__)

_LEASES = "_archive_leases"
_RETIRED = "_archive_retired"


def lease(searcher, holder: object) -> None:
    """Keep `searcher` open for as long as `holder` lives."""
    setattr(searcher, _LEASES, getattr(searcher, _LEASES, 0) + 1)
    weakref.finalize(holder, _release, searcher)


def retire(searcher) -> None:
    """The searcher is no longer the thread's shared one: close it now, or
    when the last holder that leased it is gone."""
    if getattr(searcher, _LEASES, 0) > 0:
        setattr(searcher, _RETIRED, True)
    else:
        _close(searcher)


def _release(searcher) -> None:
    leases = getattr(searcher, _LEASES, 1) - 1
    setattr(searcher, _LEASES, leases)
    if leases <= 0 and getattr(searcher, _RETIRED, False):
        _close(searcher)


def _close(searcher) -> None:
    try:
        searcher.close()
    except Exception:  # a damaged or vanished index may fail to close
        log.debug("closing a broken searcher failed", exc_info=True)
