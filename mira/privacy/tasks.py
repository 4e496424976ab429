"""Background jobs of data protection (django-tasks, run by `manage.py db_worker`)."""

from django_scopes import scopes_disabled
from django_tasks import task

from mira.privacy.models import DataSubjectExport, DeletionRun
from mira.privacy.services import (
    data_subject_export_make,
    data_subject_exports_expire,
    deletion_run_execute,
    scheduled_deletion_runs,
)


@task()
def run_retention(run_id: int | None = None) -> list[int]:
    """The deletion run: erases the cases whose retention period is over (see privacy.erasure).

    Without run_id: the scheduled job, enqueued by `manage.py enqueue_scheduled`; one run per
    centre and day. With run_id: the run the data protection officer started ("run now").
    Returns the ids of the runs (their protocols).
    """
    # The worker serves every centre: there is no request whose centre would scope the queries.
    with scopes_disabled():
        if run_id is not None:
            run = DeletionRun._base_manager.get(pk=run_id)
            return [deletion_run_execute(run=run).pk]
        return [run.pk for run in scheduled_deletion_runs()]


@task()
def make_data_subject_export(export_id: int) -> str:
    """Makes the PDF of a data-subject export the data protection officer asked for
    (privacy.services.data_subject_export_request). Returns the export's status."""
    with scopes_disabled():
        export = (
            DataSubjectExport._base_manager.select_related("request__participant__centre").filter(pk=export_id).first()
        )
        if export is None:  # erased with its case meanwhile
            return "gone"
        return data_subject_export_make(export=export).status


@task()
def expire_data_subject_exports() -> int:
    """The scheduled job: deletes the export files nobody downloaded within MIRA_EXPORT_KEEP_HOURS."""
    with scopes_disabled():
        return data_subject_exports_expire()


SCHEDULED_TASKS = [run_retention, expire_data_subject_exports]
