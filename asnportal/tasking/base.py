"""What every state-changing task shares: retry on a lost database connection, on a fresh connection.

A worker whose PostgreSQL backend was killed (failover, restart, pg_terminate_backend) keeps the dead
connection object: without closing it, every retry fails again on it. The task's transaction was
rolled back by the server, so the retry starts from the state before the attempt.
"""

from celery import Task

from .db import DB_LOST, connection_reset


class ReconnectingTask(Task):
    """Base of the state-changing tasks: retried with backoff when the database connection drops."""

    autoretry_for = DB_LOST
    retry_backoff = True
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 5
    acks_late = True

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        connection_reset()
        super().on_retry(exc, task_id, args, kwargs, einfo)


class JobTask(ReconnectingTask):
    """The base of every queued task: a job runs once per outbox row, however often it is delivered.

    A delivery of a finished (done or failed) job is a no-op. `atomic = True` (the default): the run
    and the receipt `job:<id>` are one transaction, so a twin delivery waits and then does nothing.
    `atomic = False`, for a job that shows its progress on the way: the service takes the receipt
    (`asnportal.tasking.receipt_take()`) in the transaction of its effect. A job started more often
    than `max_deliveries` (its worker killed again and again) is given up: failed, and the task's
    `give_up(**kwargs)` (a plain function, optional) records it on the object the job is about.
    Retries (autoretry_for) with backoff and the time limits of the settings apply as to any task.
    """

    abstract = True
    atomic = True
    max_retries = 5
    max_deliveries = 10
    reject_on_worker_lost = True
    give_up = None

    def __call__(self, *args, **kwargs):
        from .runs import job_run

        return job_run(self, args, kwargs)
