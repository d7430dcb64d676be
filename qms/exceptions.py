"""Errors that services raise and every interface (page, API, task) knows how to show."""


class ApplicationError(Exception):
    """A rule of the domain refused the request (wrong state, conflicting record).

    The API answers it with HTTP 409 unless `status_code` says otherwise; pages show
    `message` to the user.
    """

    status_code = 409

    def __init__(self, message: str, *, extra: dict | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        if status_code is not None:
            self.status_code = status_code
