"""API rates per client (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from ERP_API_ANON_RATE
and ERP_API_USER_RATE): DRF's throttles, counted in the cache, answering 429 with
Retry-After beyond the rate. If the cache (Redis) does not answer, a request is let through
and a warning logged: throttling must not turn an outage of the cache into 500s."""

import logging

from rest_framework import throttling

log = logging.getLogger(__name__)


class _FailOpen:
    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as error:  # the cache is down: serve, do not count
            log.warning("API throttle skipped, the cache did not answer: %s", error)
            return True


class AnonRateThrottle(_FailOpen, throttling.AnonRateThrottle):
    """Requests without credentials, per address."""


class UserRateThrottle(_FailOpen, throttling.UserRateThrottle):
    """Requests of a signed-in user or token, per user."""
