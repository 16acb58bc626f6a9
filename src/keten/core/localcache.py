"""A small least-recently-used store that lives in this process only.

For decrypted client data that is expensive to read again: unlike Django's cache, which may be
configured to a shared server, what is stored here never leaves the process, and it is kept as
pickled bytes, so every reader gets its own copy to change.
"""

from __future__ import annotations

import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

_ALL: weakref.WeakSet[ProcessCache] = weakref.WeakSet()


def clear_all() -> None:
    """Empty every store (tests: a rolled-back database hands out the same ids and versions again)."""
    for store in list(_ALL):
        store.clear()


class ProcessCache:
    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        _ALL.add(self)

    def get_or_set(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """A fresh copy of the value under ``key``; ``build()`` makes it when absent.

        Keys must name an immutable state (for example an object's id with its version number):
        nothing is ever invalidated, old keys just fall out.
        """
        with self._lock:
            blob = self._data.get(key)
            if blob is not None:
                self._data.move_to_end(key)
        if blob is not None:
            return pickle.loads(blob)  # noqa: S301 - written by this process only, never from outside
        value = build()
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._data[key] = blob
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
