"""A worker that loses Redis must wait for it, not exit (issue 13, Found 3).

Celery 5.7 cleans up a lost broker connection by collecting it (which drops the transport's
connection details) and then closing it; closing a channel that holds unacknowledged messages
(a countdown job waiting in the worker, with ``acks_late``) then tries to put them back on
Redis with those details gone, raises ``AttributeError`` (kombu's ``_connparams``), which is no
connection error, and the worker stops with "Unrecoverable error".

Here such a restore is skipped instead: Redis cannot be reached anyway, and the messages stay
in its unacknowledged set, from which kombu restores them once their visibility timeout has
passed (``broker_transport_options``). A normal shutdown still restores them at once.
"""

from __future__ import annotations

import logging

from kombu.transport import redis as kombu_redis

logger = logging.getLogger(__name__)

_restore_unacked = kombu_redis.QoS.restore_unacked


def _restore_unacked_unless_collected(self, client=None):
    if client is None and getattr(self.channel.connection, "client", None) is None:
        logger.warning(
            "The broker connection is gone: %s unacknowledged message(s) stay in Redis until their "
            "visibility timeout.", len(self._delivered),
        )  # fmt: skip
        return None
    return _restore_unacked(self, client)


def apply() -> None:
    if kombu_redis.QoS.restore_unacked is not _restore_unacked_unless_collected:
        kombu_redis.QoS.restore_unacked = _restore_unacked_unless_collected
