from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .exports import PurposeCategory
from .models import AuditEvent, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-factor authentication"))
    def reset_second_factor(self, request, queryset):
        """The system admin's way to the reset page (reason required there), one user at a time."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one user to reset."), messages.WARNING)
            return None
        return redirect(reverse("accounts:device_reset", args=[queryset.get().pk]))


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "valid_from", "valid_until"]
    list_filter = ["role", "region"]
    search_fields = ["user__username"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "region", "ip", "purpose"]
    list_filter = ["action", "object_type", "region"]
    search_fields = ["object_id", "user__username", "action", "detail__purpose", "detail__export"]
    list_select_related = ["user", "region"]

    @admin.display(description=_("purpose"))
    def purpose(self, obj: AuditEvent) -> str:
        """The stated purpose of an export (category: text), from the event's detail."""
        detail = obj.detail if isinstance(obj.detail, dict) else {}
        if not detail.get("purpose"):
            return ""
        category = detail.get("purpose_category", "")
        label = PurposeCategory(category).label if category in PurposeCategory.values else category
        return f"{label}: {detail['purpose']}"

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


class AuditedTOTPDeviceAdmin(TOTPDeviceAdmin):
    """Devices are linked by their owner and removed by the audited reset (the user's action
    "Reset two-factor authentication"), never added or deleted here: a device deleted here would let
    anyone with the password link a new one."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuditedTOTPDeviceAdmin)
