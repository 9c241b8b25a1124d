from django.contrib import admin

from .models import CitizenInput, ExtraQuestion, Service, ServicePopulation, ServiceUnit, TokenBatch


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0


class ExtraQuestionInline(admin.TabularInline):
    model = ExtraQuestion
    extra = 0


@admin.register(ServiceUnit)
class ServiceUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "region", "slug", "is_active"]
    list_filter = ["region", "is_active"]
    search_fields = ["name", "slug"]
    inlines = [ServiceInline, ExtraQuestionInline]


@admin.register(ServicePopulation)
class ServicePopulationAdmin(admin.ModelAdmin):
    list_display = ["service_unit", "year", "quarter", "users"]


@admin.register(TokenBatch)
class TokenBatchAdmin(admin.ModelAdmin):
    list_display = ["service_unit", "size", "created_at"]


@admin.register(CitizenInput)
class CitizenInputAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "service_unit", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["tracking_code", "created_at"]
