from django.contrib import admin

from .models import Announcement, Formation, ObserverAssignment, PanelAssignment, ScheduleItem, Selection


class FormationInline(admin.TabularInline):
    model = Formation
    extra = 0


class ScheduleInline(admin.TabularInline):
    model = ScheduleItem
    extra = 0


@admin.register(Selection)
class SelectionAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "region", "is_published"]
    list_filter = ["region", "year"]
    inlines = [FormationInline, ScheduleInline]


admin.site.register(Announcement)
admin.site.register(ObserverAssignment)
admin.site.register(PanelAssignment)
