"""Writes of the API: tokens, daily logs under an idempotency key, employee upserts (SIASN shape)."""

import csv
import datetime as dt
import hashlib
import io
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asnportal.org.importer import COLUMNS, ImportRaced, employee_import_run, error_message
from asnportal.org.models import Employee, EmployeeImport, Region
from performance.services import log_create

from .models import ApiToken, IdempotentLog, Permission

TOKEN_PREFIX = "asn"  # noqa: S105 - the public marker of the token format, not a secret


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plain: str  # shown once to the officer, never stored


@transaction.atomic
def _acting_user(*, region: Region, nip: str):
    """The user account of the region's active employee with this NIP, whom a token acts for."""
    user_id = (
        Employee.objects.filter(nip=nip, region=region, status=Employee.Status.ACTIVE, user__isnull=False)
        .values_list("user_id", flat=True)
        .first()
    )
    if user_id is None:
        raise ValidationError(
            {"acts_for_nip": _("No active employee with a user account has this NIP in the region.")}
        )
    return get_user_model().objects.get(pk=user_id)


def token_create(
    *, region: Region, name: str, permissions: list[str], created_by, acts_for_nip: str = ""
) -> IssuedToken:
    """A new integration token of one region with named permissions; only its hash is kept.

    A token that writes daily logs acts for one employee of the region (by NIP) with a user account."""
    unknown = set(permissions) - set(Permission.values)
    if unknown or not permissions:
        raise ValidationError({"permissions": _("Choose at least one permission from the list.")})
    user = _acting_user(region=region, nip=acts_for_nip) if acts_for_nip else None
    if Permission.LOGS_WRITE in permissions and user is None:
        raise ValidationError(
            {"acts_for_nip": _("Writing daily logs needs the employee the token acts for.")}
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip(),
        prefix=prefix,
        secret_hash=secret_hash(secret),
        region=region,
        permissions=sorted(set(permissions)),
        user=user,
        created_by=created_by,
    )
    token.full_clean()
    token.save()
    return IssuedToken(token=token, plain=f"{TOKEN_PREFIX}_{prefix}_{secret}")


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke at once: the next call with it is refused (a conditional update, so twice is harmless)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def token_touch(*, token: ApiToken) -> None:
    """Record the last use, at most once a minute per token (one UPDATE per call would be wasted)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def log_create_once(
    *,
    user,
    key: str,
    employee: Employee,
    indicator_id: int,
    date: dt.date,
    quantity: Decimal,
    duration_minutes: int,
    description: str,
) -> tuple[int, bool]:
    """A daily log through performance's log_create, at most once per (user, idempotency key):
    (log id, created). The key is written in the log's transaction; a twin sent concurrently waits on
    the key's unique index, rolls back its own log and answers with the first one."""
    found = IdempotentLog.objects.filter(user=user, key=key).values_list("log_id", flat=True).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            log = log_create(
                employee=employee,
                indicator_id=indicator_id,
                date=date,
                quantity=quantity,
                duration_minutes=duration_minutes,
                description=description,
            )
            IdempotentLog.objects.create(user=user, key=key, log=log)
    except IntegrityError:
        found = IdempotentLog.objects.filter(user=user, key=key).values_list("log_id", flat=True).first()
        if found is None:
            raise
        return found, False
    return log.pk, True


# The API's field names for the SIASN columns of the file import (asnportal.org.importer.COLUMNS).
SIASN_FIELDS = {
    "nip": "nip",
    "nama": "name",
    "jenis_pegawai": "kind",
    "golongan": "rank",
    "jabatan": "position",
    "jenis_jabatan": "position_kind",
    "jenjang": "level",
    "unit_kerja": "unit",
    "atasan_nip": "supervisor",
    "lokasi_terpencil": "is_remote",
    "email": "email",
    "telepon": "phone",
}


@dataclass(frozen=True)
class UpsertResult:
    import_id: int
    ok: bool
    created: int = 0
    updated: int = 0
    errors: tuple[dict, ...] = ()


def employees_upsert(*, region: Region, created_by, rows: list[dict[str, str]]) -> UpsertResult:
    """Create or update employees from SIASN-shaped records, all or none (issue 2's import run).

    The records become the import's own table and go through employee_import_run: the same row checks,
    the same database checks and the same single write transaction as an uploaded file, and the run is
    kept in the region's import history. An error names the record by its index in the request."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    keys = list(SIASN_FIELDS)
    writer.writerow([COLUMNS[SIASN_FIELDS[k]] for k in keys])
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    imp = EmployeeImport(
        region=region, created_by=created_by, filename="api-v1.csv", content=buffer.getvalue().encode()
    )
    imp.full_clean(exclude=["content"])
    imp.save()
    try:
        imp = employee_import_run(import_id=imp.pk)
    except ImportRaced:
        EmployeeImport.objects.filter(pk=imp.pk).update(status=EmployeeImport.Status.FAILED)
        raise
    if imp.status != EmployeeImport.Status.DONE:
        columns = {COLUMNS[v]: k for k, v in SIASN_FIELDS.items()}
        errors = tuple(
            {
                "index": error["row"] - 2 if error.get("row") and error["row"] >= 2 else None,
                "field": columns.get(error.get("column"), ""),
                "message": error_message(error),
            }
            for error in imp.errors
        )
        return UpsertResult(import_id=imp.pk, ok=False, errors=errors)
    return UpsertResult(import_id=imp.pk, ok=True, created=imp.created_count, updated=imp.updated_count)
