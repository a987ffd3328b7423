"""The Django admin: for platform operators (staff), mainly to manage accounts.

Directory and role changes should go through the Tandem pages, which audit
them; the audit log and API tokens are read-only here.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, AuditEvent, Jurisdiction, Organisation, Person, RoleAssignment, User


@admin.register(User)
class TandemUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level_name", "iso_code", "depth", "valid_to")
    search_fields = ("name", "iso_code")
    readonly_fields = ("path", "depth", "parent")
    list_filter = ("kind", "depth")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "jurisdiction", "archived_at")
    search_fields = ("name",)
    list_filter = ("sector",)
    raw_id_fields = ("jurisdiction", "parent")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "jurisdiction", "user")
    search_fields = ("full_name",)
    raw_id_fields = ("jurisdiction", "user")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "jurisdiction", "revoked_at")
    list_filter = ("role",)
    raw_id_fields = ("user", "jurisdiction", "organisation", "granted_by")

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_label", "action", "object_type", "object_repr")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_repr", "object_uuid")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
