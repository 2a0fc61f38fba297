"""Django admin for superusers. Everyday editing happens in the directory pages,
which go through the services and the audit trail; the admin is the escape hatch."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from hamseda.core.admin import JalaliAdminMixin
from hamseda.directory.models import (
    Agency,
    AgencyAlias,
    Council,
    CouncilMembership,
    Office,
    Person,
    Province,
)


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code"]
    search_fields = ["name", "name_en", "name_key"]


class AliasInline(admin.TabularInline):
    model = AgencyAlias
    extra = 1


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    search_fields = ["name", "short_name", "name_key"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "email", "phone", "is_active"]
    search_fields = ["name", "name_key"]
    list_select_related = ["agency"]


class MembershipInline(admin.TabularInline):
    model = CouncilMembership
    extra = 1
    autocomplete_fields = ["office"]


@admin.register(Council)
class CouncilAdmin(JalaliAdminMixin, admin.ModelAdmin):
    list_display = ["name", "province", "secretary", "established_on"]
    inlines = [MembershipInline]
    raw_id_fields = ["secretary"]


@admin.register(Person)
class PersonAdmin(JalaliAdminMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "office", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "name_key"]
    autocomplete_fields = ["office"]
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (_("همصدا"), {"fields": ("office", "role", "job_title", "phone")}),
    )
