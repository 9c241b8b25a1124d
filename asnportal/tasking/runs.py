"""How a JobTask runs: the job's state, its receipt, its retries."""

import logging

from celery.exceptions import Ignore, Reject, Retry
from celery.utils.time import get_exponential_backoff_interval
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .db import DB_LOST, connection_reset
from .models import Job
from .outbox import job_id_of
from .receipts import Running, _running, job_key, key_take

logger = logging.getLogger(__name__)
UNFINISHED = [Job.State.PENDING, Job.State.SENT, Job.State.RUNNING]


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _started(job_id: int) -> int | None:
    """Mark the job running; None when it has finished already (a twin or late delivery)."""
    with transaction.atomic():
        updated = Job.objects.filter(pk=job_id, state__in=UNFINISHED).update(
            state=Job.State.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
        if not updated:
            return None
        return Job.objects.values_list("attempts", flat=True).get(pk=job_id)


def _finished(job_id: int, state: str, error: str = "") -> None:
    Job.objects.filter(pk=job_id, state__in=UNFINISHED).update(
        state=state, finished_at=timezone.now(), **({"last_error": error} if error else {})
    )


def _autoretry(task, exc: Exception):
    """What Celery's autoretry_for does around `run`, for the atomic path (which runs the bare body)."""
    autoretry_for = tuple(getattr(task, "autoretry_for", ()) or ())
    dont = tuple(getattr(task, "dont_autoretry_for", ()) or ())
    if not autoretry_for or not isinstance(exc, autoretry_for) or (dont and isinstance(exc, dont)):
        raise exc
    options = dict(getattr(task, "retry_kwargs", {}) or {})
    if task.retry_backoff:
        options["countdown"] = get_exponential_backoff_interval(
            factor=int(max(1.0, float(task.retry_backoff))),
            retries=task.request.retries,
            maximum=int(task.retry_backoff_max),
            full_jitter=task.retry_jitter,
        )
    raise task.retry(exc=exc, **options)


def _run_atomic(task, job_id: int, args, kwargs):
    body = getattr(task, "_orig_run", task.run)  # the body without Celery's autoretry wrapper
    failure = None
    with transaction.atomic():
        if not key_take(job_key(job_id)):
            return None  # a twin delivery committed the effect first
        token = _running.set(Running(job_id, taken=True))
        try:
            with transaction.atomic():
                result = body(*args, **kwargs)
        except Exception as exc:
            failure = exc
            transaction.set_rollback(True)  # the receipt goes with the failed effect
        else:
            _finished(job_id, Job.State.DONE)
        finally:
            _running.reset(token)
    if failure is not None:
        _autoretry(task, failure)  # raises Retry, or the failure itself
    return result


def _run_open(task, job_id: int, args, kwargs):
    token = _running.set(Running(job_id))
    try:
        result = task.run(*args, **kwargs)
    finally:
        _running.reset(token)
    _finished(job_id, Job.State.DONE)
    return result


def job_run(task, args, kwargs):
    job_id = job_id_of(task.request.id)
    if job_id is None:  # called directly or scheduled by beat: not an outbox row
        return task.run(*args, **kwargs)
    attempts = _started(job_id)
    if attempts is None:
        return None
    if attempts > max(task.max_deliveries, (task.max_retries or 0) + 3):
        give_up = getattr(type(task), "give_up", None)  # a plain function set as a task option
        _finished(job_id, Job.State.FAILED, f"started {attempts - 1} times without finishing")
        if give_up is not None:
            give_up(**kwargs)
        return None
    try:
        if task.atomic:
            return _run_atomic(task, job_id, args, kwargs)
        return _run_open(task, job_id, args, kwargs)
    except Retry as retry:
        # A retry message is on its way (or, eagerly, already ran): the job waits for it.
        Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
            state=Job.State.SENT, sent_at=timezone.now(), last_error=_error(retry.exc or retry)
        )
        raise
    except (Ignore, Reject):
        raise
    except Exception as exc:
        connection_reset()
        try:
            _finished(job_id, Job.State.FAILED, _error(exc))
        except DB_LOST:  # the database is gone too: the row stays running, the relay sends it again
            logger.exception("job %s failed and could not be marked failed", job_id)
        raise
