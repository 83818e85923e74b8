"""Injected faults: the next N requests matching a method and a path pattern get a chosen failure."""

import re
import threading


class Fault:
    def __init__(self, spec):
        self.method = str(spec.get("method") or "*").upper()
        self.path_regex = re.compile(spec.get("path_regex") or ".*")
        self.status = int(spec.get("status") or 0)
        retry_after = spec.get("retry_after")
        self.retry_after = None if retry_after in (None, "") else str(retry_after)
        self.remaining = int(spec.get("times", 1))
        self.delay_ms = int(spec.get("delay_ms") or 0)
        self.drop_connection = bool(spec.get("drop_connection", False))
        self.location = spec.get("location") or None  # with a 3xx status: where the redirect points
        if self.remaining < 1:
            raise ValueError("times must be at least 1")
        if self.status and not 100 <= self.status <= 599:
            raise ValueError("status must be an HTTP status code")
        if not (self.status or self.delay_ms or self.drop_connection):
            raise ValueError("a fault needs a status, a delay_ms or drop_connection")

    def matches(self, method, path):
        return self.method in ("*", method) and self.path_regex.search(path) is not None


class FaultRules:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def add(self, spec):
        fault = Fault(spec)
        with self._lock:
            self._faults.append(fault)

    def clear(self):
        with self._lock:
            self._faults.clear()

    def take(self, method, path):
        """The first fault matching the request, counted as used; None when no fault applies."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
            return None
