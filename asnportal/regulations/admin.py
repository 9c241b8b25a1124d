from django.contrib import admin

from .models import RuleVersion


@admin.register(RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    """Read only: versions are added through the rules page (with a preview), never edited."""

    list_display = ["kind", "region", "number", "effective_from", "author", "created_at"]
    list_filter = ["kind", "region"]
    readonly_fields = [f.name for f in RuleVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
