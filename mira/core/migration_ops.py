"""Operations that several apps' migrations share (kept stable: migrations import them)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def centre_of_case_added(app_label: str, model_name: str) -> list:
    """The centre of a record of a case (mira.core.models.OfCase) on the model and on its history, empty
    at first, then filled from the case; centre_of_case_required makes it required in a later migration
    (PostgreSQL refuses to change a column in the transaction whose updates still have foreign-key checks
    pending)."""

    def column(**options) -> models.ForeignKey:
        return models.ForeignKey(
            editable=False, null=True, related_name="+", to="accounts.centre", verbose_name="counselling centre",
            **options,
        )  # fmt: skip

    history_name = f"Historical{model_name}"

    def copy(apps, schema_editor):
        participant = apps.get_model("participants", "Participant")
        centre = Subquery(participant._base_manager.filter(pk=OuterRef("participant_id")).values("centre_id")[:1])
        for name in (model_name, history_name):
            apps.get_model(app_label, name)._base_manager.filter(centre__isnull=True).update(centre_id=centre)

    return [
        migrations.AddField(model_name.lower(), "centre", column(on_delete=models.PROTECT)),
        migrations.AddField(
            history_name.lower(), "centre", column(blank=True, db_constraint=False, on_delete=models.DO_NOTHING)
        ),
        migrations.RunPython(copy, migrations.RunPython.noop, elidable=False),
    ]


def history_index_by_centre(table: str, name: str, *, then: tuple[str, ...] = ()) -> migrations.RunPython:
    """An index on a history table of django-simple-history (which takes no indexes of ours) for
    the audit page: one centre's entries, newest first; with `then`, those of one value of these
    columns too (such as the author). The same statement on PostgreSQL and SQLite."""
    columns = ", ".join(["centre_id", *then, "history_date DESC", "history_id DESC"])

    def create(apps, schema_editor):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")

    def drop(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)


def trigram_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """GIN trigram indexes (pg_trgm) on PostgreSQL, index name -> indexed expression as the lookups
    write it (icontains runs as UPPER(column) LIKE '%...%'). SQLite (the quickstart) has no such
    index: the operation does nothing there."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, expression in indexes.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop, elidable=False)


def centre_of_case_required(model_name: str) -> migrations.AlterField:
    """Makes the centre of a record of a case (mira.core.models.OfCase) required, once it is filled."""
    return migrations.AlterField(
        model_name=model_name,
        name="centre",
        field=models.ForeignKey(
            editable=False,
            on_delete=models.PROTECT,
            related_name="+",
            to="accounts.centre",
            verbose_name="counselling centre",
        ),
    )


# What the change history shows of an entry (mira.privacy.audit), besides its case.
HISTORY_ENTRY_COLUMNS = ("centre_id", "history_date", "history_id", "history_type", "history_user_id")


def history_case_index_covering(table: str, column: str) -> migrations.RunPython:
    """The index django-simple-history keeps on the case column of a history table carries the
    columns the change history reads of each entry (PostgreSQL's INCLUDE), so that the entries of
    the cases a search finds are read from the index alone.

    The index keeps its name and its key: Django and the library still know it as the index of that
    column, and only PostgreSQL sees the included columns. Built beside the old one, then swapped.
    SQLite has no INCLUDE: nothing changes there."""

    def rebuild(schema_editor, include: tuple[str, ...]) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
        (name,) = [
            name for name, info in constraints.items()
            if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"][0] == column
            and len(info["columns"]) in (1, 1 + len(HISTORY_ENTRY_COLUMNS))
        ]  # fmt: skip
        included = f" INCLUDE ({', '.join(include)})" if include else ""
        building = f"{name[:50]}_building"
        schema_editor.execute(f"CREATE INDEX {building} ON {table} ({column}){included}")
        schema_editor.execute(f"DROP INDEX {name}")
        schema_editor.execute(f"ALTER INDEX {building} RENAME TO {name}")

    return migrations.RunPython(
        lambda apps, schema_editor: rebuild(schema_editor, HISTORY_ENTRY_COLUMNS),
        lambda apps, schema_editor: rebuild(schema_editor, ()),
        elidable=False,
    )
