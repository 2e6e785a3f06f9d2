"""The error a lock raises, apart from the lock itself: every command catches it, and only
`lock` and `init` need the packaging library the lock is made with."""


class LockError(Exception):
    """The lock cannot be made; the message says why and what to do."""
