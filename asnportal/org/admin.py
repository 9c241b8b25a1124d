from django.contrib import admin

from .models import Employee, EmployeeImport, Position, Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """A kabupaten/kota is put under its provinsi here (the choices offer provinces only)."""

    list_display = ["name", "kind", "parent", "timezone", "code"]
    list_filter = ["kind", "parent"]
    list_select_related = ["parent"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "parent", "is_active"]
    list_filter = ["region", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "region"]
    list_filter = ["region", "kind"]
    search_fields = ["name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "region", "unit", "kind", "rank", "status"]
    list_filter = ["region", "kind", "status", "is_remote"]
    search_fields = ["name", "nip"]
    raw_id_fields = ["supervisor", "user", "unit", "position"]
    readonly_fields = ["birth_date", "tmt_cpns", "sex"]
    exclude = ["nik", "address"]  # personal data is read on the audited employee page


@admin.register(EmployeeImport)
class EmployeeImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "region", "status", "total_rows", "created_at"]
    exclude = ["content"]
