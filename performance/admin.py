from django.contrib import admin

from .models import ActivityLog, Appraisal, Period, Plan, TalentPotential


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "kind", "status", "above_from", "meets_from"]
    list_filter = ["region", "status"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["employee", "year", "status", "version"]
    raw_id_fields = ["employee", "agreed_by"]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["employee", "date", "status"]
    raw_id_fields = ["employee", "indicator", "evidence", "reviewed_by"]
    show_full_result_count = False


@admin.register(Appraisal)
class AppraisalAdmin(admin.ModelAdmin):
    list_display = ["employee", "period", "version", "is_current", "predikat"]
    raw_id_fields = ["employee", "rated_by"]


@admin.register(TalentPotential)
class TalentPotentialAdmin(admin.ModelAdmin):
    list_display = ["employee", "year", "potential"]
    raw_id_fields = ["employee"]
