"""The requests the fake served (API and git, not admin), in arrival order, for tests to inspect."""

import threading


class RequestLog:
    def __init__(self):
        self._lock = threading.Lock()
        self._entries = []

    def add(self, entry):
        with self._lock:
            self._entries.append(entry)

    def clear(self):
        with self._lock:
            self._entries.clear()

    def entries(self):
        with self._lock:
            return [dict(entry) for entry in self._entries]
