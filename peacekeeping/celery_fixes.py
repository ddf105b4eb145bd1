"""A worker survives a broker (Redis) restart: a fix to kombu's Redis transport.

Found by restarting Redis while a prefork worker built a report (celery 5.7, kombu 5.7,
redis-py 8.1), every time: on connection loss the worker's consumer closes the broken
connection, which detaches the transport from its kombu Connection
(`transport.client = None`). The report then finishes in its child process and the main
process acknowledges its message on the old channel; the channel, its pool gone, builds
new connection parameters from `transport.client.hostname` and raises
`AttributeError: 'NoneType' object has no attribute 'hostname'`, which Celery treats as
an unrecoverable error: the whole worker exits and serves nothing more.

The fix names the problem for what it is: a channel of a closed connection raises redis's
ConnectionError, one of the transport's connection errors, which Celery handles ("Couldn't
ack", logged). Nothing is lost: the message was put back in the queue when the
connection was lost (kombu restores unacknowledged messages) or, if Redis was down at
that moment, the job's state in PostgreSQL is swept and re-queued; a redelivered job
finds its work done or claimed (CONVENTIONS.md §6).
"""

import redis
from kombu.transport import redis as kombu_redis

_CLOSED = "the broker connection of this channel was closed (broker restarted)"


def _guarded(connparams):
    def _connparams(self, asynchronous=False):
        transport = self.connection
        if transport is None or getattr(transport, "client", None) is None:
            raise redis.exceptions.ConnectionError(_CLOSED)
        return connparams(self, asynchronous=asynchronous)

    _connparams.peacekeeping_guarded = True
    return _connparams


def apply() -> None:
    """Install the guard once (idempotent)."""
    current = kombu_redis.Channel._connparams
    if not getattr(current, "peacekeeping_guarded", False):
        kombu_redis.Channel._connparams = _guarded(current)
