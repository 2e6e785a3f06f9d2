"""The errors an edit raises."""


class EditError(Exception):
    """An edit that cannot be made; the message says why, and nothing was written."""


class WriteFailed(EditError):
    """The system refused a write (a full disk, no permission): nothing was written, and the
    command as a whole failed, unlike an edit refused for what the file holds."""
