"""Employees of the token's region: read (personal data only with personal:read, audited) and upsert."""

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from api import selectors, services
from api.models import Permission
from asnportal.accounts.access import audit_record
from asnportal.org.importer import ImportRaced

from .base import ErrorOut, PageQuery, detail, not_found, paged, responses, token_with

router = Router(tags=["pegawai"])

NO_NUL = r"^[^\x00]*$"


class Personal(Schema):
    nik: str
    phone: str
    address: str
    email: str
    birth_date: dt.date | None


class EmployeeOut(Schema):
    id: int
    nip: str
    name: str
    kind: str
    rank: str
    status: str
    is_remote: bool
    unit_id: int
    unit_name: str
    position_id: int
    position_name: str
    position_kind: str
    supervisor_nip: str | None
    personal: Personal | None = Field(None, description="Hanya dengan izin personal:read (dicatat di audit).")


class EmployeePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EmployeeOut]


class EmployeeFilter(PageQuery):
    unit_id: int | None = Field(None, ge=1, le=2**31 - 1)
    q: str = Field("", max_length=100, pattern=NO_NUL, description="Nama, atau awal NIP")


def _out(employee, personal: bool) -> dict:
    return {
        "id": employee.pk,
        "nip": employee.nip,
        "name": employee.name,
        "kind": employee.kind,
        "rank": employee.rank,
        "status": employee.status,
        "is_remote": employee.is_remote,
        "unit_id": employee.unit_id,
        "unit_name": employee.unit.name,
        "position_id": employee.position_id,
        "position_name": employee.position.name,
        "position_kind": employee.position.kind,
        "supervisor_nip": employee.supervisor.nip if employee.supervisor_id else None,
        "personal": {
            "nik": employee.nik,
            "phone": employee.phone,
            "address": employee.address,
            "email": employee.email,
            "birth_date": employee.birth_date,
        }
        if personal
        else None,
    }


@router.get("/employees/", response=responses(EmployeePage), url_name="employees", summary="Daftar pegawai")
def employees(request: HttpRequest, params: Query[EmployeeFilter]):
    token = token_with(request, Permission.EMPLOYEES_READ)
    personal = token.allows(Permission.PERSONAL_READ)
    qs = selectors.employees_of_region(
        region_id=token.region_id, unit_id=params.unit_id, query=params.q.strip()
    )
    page = paged(qs, params)
    if personal and page["items"]:
        # One audit event per page read, naming every record whose personal data left the system.
        audit_record(
            request=request,
            action="api_read_personal",
            obj=token,
            region_id=token.region_id,
            detail={"employee_ids": [e.pk for e in page["items"]]},
        )
    page["items"] = [_out(e, personal) for e in page["items"]]
    return page


class EmployeeIn(Schema):
    """One record as in a SIASN export (the columns of the file import)."""

    nip: str = Field(..., max_length=30, examples=["198507162010011003"])
    nama: str = Field(..., max_length=300)
    jenis_pegawai: str = Field(..., max_length=10, examples=["PNS"])
    golongan: str = Field(..., max_length=20, examples=["III/b"])
    jabatan: str = Field(..., max_length=300)
    jenis_jabatan: str = Field(..., max_length=60, examples=["Fungsional Keahlian"])
    jenjang: str = Field("", max_length=60, examples=["Ahli Pertama"])
    unit_kerja: str = Field(..., max_length=300, description="Kode atau nama unit kerja")
    atasan_nip: str = Field("", max_length=30)
    lokasi_terpencil: str = Field("N", max_length=10, examples=["N"])
    email: str = Field("", max_length=300)
    telepon: str = Field("", max_length=40)


class UpsertIn(Schema):
    employees: list[EmployeeIn] = Field(..., min_length=1, max_length=1000)


class UpsertOut(Schema):
    import_id: int
    created: int
    updated: int


@router.post(
    "/employees/upsert/",
    response=responses(UpsertOut, s409=ErrorOut),
    url_name="employees_upsert",
    summary="Tambah/ubah pegawai (format SIASN), semua atau tidak sama sekali",
)
def employees_upsert(request: HttpRequest, payload: UpsertIn):
    token = token_with(request, Permission.EMPLOYEES_WRITE)
    try:
        result = services.employees_upsert(
            region=token.region,
            created_by=token.created_by,
            rows=[row.model_dump() for row in payload.employees],
        )
    except ImportRaced:
        return detail(_("Another region took one of these NIPs meanwhile; send the request again."), 409)
    if not result.ok:
        message = _("No employee was saved: fix the records listed and send them all again.")
        return detail(message, 422, list(result.errors))
    return {"import_id": result.import_id, "created": result.created, "updated": result.updated}


# After the upsert: Django matches paths in order, and {nip} would also match “upsert”.
@router.get(
    "/employees/{nip}/", response=responses(EmployeeOut), url_name="employee", summary="Satu pegawai (NIP)"
)
def employee(request: HttpRequest, nip: str = Path(..., pattern=r"^[0-9]{18}$")):  # noqa: B008
    token = token_with(request, Permission.EMPLOYEES_READ)
    found = selectors.employee_of_region(region_id=token.region_id, nip=nip)
    if found is None:
        raise Http404(not_found())
    personal = token.allows(Permission.PERSONAL_READ)
    if personal:
        audit_record(
            request=request,
            action="read_personal",
            obj=found,
            region_id=token.region_id,
            detail={"token": token.prefix},
        )
    return _out(found, personal)
