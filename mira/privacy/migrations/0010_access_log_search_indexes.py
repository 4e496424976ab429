"""Indexes for searching the read-access log.

- By user: the index of the user's accesses also holds the time, so that the newest of a user's
  accesses are read first instead of sorting all of them (41 ms in the process for a counsellor).
- By kind (case page, download, export): an index on (centre, kind, time), so that a rare kind is
  not looked for through the centre's whole log (1.26 million entries in the benchmark database;
  a kind with no entries took 295 ms to show that there are none).
- By case number: the log keeps the number as a plain value (it outlives an anonymised case), and
  the search matches any part of it (icontains, which PostgreSQL runs as UPPER(case_number) LIKE
  '%...%'). A GIN trigram index on that expression finds the entries of a case without reading
  the centre's log in date order (375 ms for one case before). SQLite (the quickstart) has no such
  index: that part does nothing there.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from mira.core.migration_ops import trigram_indexes

class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("participants", "0008_field_labels"),
        ("privacy", "0009_audit_history_index_by_author"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # One user's accesses, newest first: the user's index gains the time (it serves the foreign
        # key as before).
        migrations.AlterField(
            model_name="accesslog",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["user", "-at", "-id"], name="access_log_user_at"),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(fields=["centre", "what", "-at", "-id"], name="access_log_centre_what_at"),
        ),
        trigram_indexes("privacy_accesslog", {"access_log_case_number_trgm": "UPPER(case_number)"}),
    ]
