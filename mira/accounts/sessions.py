"""Session store: the idle timeout without a database write on every request.

A session ends after MIRA_SESSION_IDLE_MINUTES without a request (SESSION_SAVE_EVERY_REQUEST
moves its end with each one). Writing the new end on every page costs an UPDATE and a commit per
request; this store writes it only when the stored end is more than a minute older than the new
one would be, or when the session data changed. The session may therefore end up to a minute
before the full idle time has passed, never later.
"""

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

REFRESH_AFTER = datetime.timedelta(minutes=1)


class SessionStore(DatabaseSessionStore):
    _stored_expiry = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self._stored_expiry = session.expire_date if session else None
        return session

    def save(self, must_create=False):
        if (
            not must_create
            and not self.modified
            and self._stored_expiry is not None
            and self._stored_expiry > self.get_expiry_date() - REFRESH_AFTER
        ):
            return
        super().save(must_create=must_create)
        self._stored_expiry = None
