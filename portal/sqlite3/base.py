"""SQLite as the embedded default uses it: a transaction that will write takes the write lock
when it begins; one that only reads (a page) does not, so pages read beside a writer.

SQLite lets one connection write at a time. A transaction begun the default way (DEFERRED)
reads first and asks for the write lock at its first write; if another connection wrote
since it began reading, SQLite cannot give it the lock without breaking its snapshot and
answers "database is locked" at once, whatever the busy timeout. BEGIN IMMEDIATE asks for the
lock at the start, where the busy timeout does wait. So every transaction here begins
IMMEDIATE (the ``transaction_mode`` option), except inside ``deferred_transactions()``: the
requests that cannot change anything (GET, HEAD, OPTIONS: ``portal.middleware``), which WAL
lets read in parallel with each other and with a writer, and a write to the connection's own
temporary tables (``metrics.storage``), which takes no lock on the database.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.sqlite3 import base

_deferred = contextvars.ContextVar("sqlite_deferred_transactions", default=False)


@contextmanager
def deferred_transactions() -> Iterator[None]:
    """Transactions begun in this block (this thread) take the write lock only at a first write.

    Only for work that does not write, or whose first statement is its write: a transaction
    that reads and then writes may be refused with "database is locked" here.
    """
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        if _deferred.get():
            self.cursor().execute("BEGIN DEFERRED")
        else:
            super()._start_transaction_under_autocommit()
