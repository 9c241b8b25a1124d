from django.contrib import admin

from .models import Attendance, Competency, Enrollment, Feedback, Material, Programme, Session


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "mode", "jp", "region", "is_active"]
    list_filter = ["kind", "mode", "region", "is_active"]
    search_fields = ["title"]
    filter_horizontal = ["competencies"]
    inlines = [MaterialInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "start_date", "capacity", "seats_taken", "allocated_at"]
    list_filter = ["region"]
    list_select_related = ["programme", "region"]
    readonly_fields = ["seats_taken", "allocation_seed", "allocated_at", "completed_at"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "session", "status", "rank", "jp_granted"]
    list_filter = ["status"]
    list_select_related = ["employee", "session__programme"]
    raw_id_fields = ["employee", "session"]
    search_fields = ["employee__name", "employee__nip", "certificate_code"]


admin.site.register(Attendance)
admin.site.register(Feedback)
