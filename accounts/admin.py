"""Django admin for the school administrator, isolated per school.

A staff user who is not a superuser sees and edits only rows of their own school:
querysets, foreign-key choices and list filters are scoped through `SCHOOL_PATHS`,
the lookup from each model to its School. Other apps register their models' paths
with `register_school_path`.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Guardianship, RoleAssignment, School, User

# model -> lookup from the model to its School ("pk" for School itself)
SCHOOL_PATHS: dict = {School: "pk", User: "school", RoleAssignment: "school", Guardianship: "child__school"}


def register_school_path(model, path: str):
    SCHOOL_PATHS[model] = path


def scope_to_school(qs, school):
    """Rows of `qs` that belong to `school`; models without a school path are left as they are."""
    path = SCHOOL_PATHS.get(qs.model)
    if path is None:
        return qs
    if school is None:
        return qs.none()
    return qs.filter(**{path: school})


def _is_global(request) -> bool:
    return request.user.is_superuser


class SchoolScopedMixin:
    """Querysets and foreign-key choices limited to the admin's school (superusers see all)."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if _is_global(request) else scope_to_school(qs, request.user.school)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not _is_global(request) and hasattr(field, "queryset"):
            field.queryset = scope_to_school(field.queryset, request.user.school)
            if db_field.remote_field.model is School:
                # The one choice is the admin's school, chosen already.
                field.empty_label = None
                field.initial = request.user.school_id
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and not _is_global(request) and hasattr(field, "queryset"):
            field.queryset = scope_to_school(field.queryset, request.user.school)
        return field


class SchoolScopedAdmin(SchoolScopedMixin, admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        if not _is_global(request) and any(f.name == "school" for f in obj._meta.fields):
            obj.school = request.user.school
        super().save_model(request, obj, form, change)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if _is_global(request) and "school" in {f.name for f in self.model._meta.fields}:
            filters.insert(0, ("school", admin.RelatedOnlyFieldListFilter))
        return filters


class SchoolScopedInline(SchoolScopedMixin, admin.TabularInline):
    extra = 0


@admin.register(School)
class SchoolAdmin(SchoolScopedAdmin):
    list_display = ("name", "full_name", "address")
    search_fields = ("name", "full_name")
    fieldsets = (
        (None, {"fields": ("name", "full_name", "address")}),
        (
            _("Правила заполнения журнала"),
            {
                "fields": (
                    "entry_cutoff",
                    "homework_hours",
                    "lock_after_days",
                    "test_marks_days",
                    "absence_reason_days",
                    "temp_journal_days",
                    "min_marks",
                    "grade1_marks",
                    "grade1_homework",
                    "allow_mark_one",
                    "require_staff_2fa",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return _is_global(request) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return _is_global(request) and super().has_delete_permission(request, obj)


class RoleInline(SchoolScopedInline):
    model = RoleAssignment
    fields = ("school", "role")


class ChildrenInline(SchoolScopedInline):
    model = Guardianship
    fk_name = "parent"
    fields = ("child", "relation")
    autocomplete_fields = ("child",)
    verbose_name = _("ребёнок")
    verbose_name_plural = _("дети")


@admin.register(User)
class UserAdmin(SchoolScopedMixin, DjangoUserAdmin):
    list_display = ("username", "last_name", "first_name", "patronymic", "school", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "sex")
    list_select_related = ("school",)
    search_fields = ("username", "last_name", "first_name", "patronymic", "email")
    ordering = ("last_name", "first_name", "patronymic")
    inlines = (RoleInline, ChildrenInline)
    fieldsets = (
        (None, {"fields": ("username", "password", "school")}),
        (
            _("Личные данные"),
            {"fields": ("last_name", "first_name", "patronymic", "sex", "birth_date", "email", "phone")},
        ),
        (
            _("Доступ"),
            {
                "fields": (
                    "is_active",
                    "must_change_password",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Даты"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("school", "last_name", "first_name", "patronymic", "username", "password1", "password2"),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not _is_global(request):
            # A school administrator must not hand out rights beyond the school's roles.
            readonly += ["is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined"]
        return readonly

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if _is_global(request):
            filters.insert(0, ("school", admin.RelatedOnlyFieldListFilter))
        return filters

    def save_model(self, request, obj, form, change):
        if not _is_global(request):
            obj.school = request.user.school
        super().save_model(request, obj, form, change)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SchoolScopedAdmin):
    list_display = ("user", "role", "school", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "school")
    search_fields = ("user__last_name", "user__first_name", "user__username")
    autocomplete_fields = ("user",)


@admin.register(Guardianship)
class GuardianshipAdmin(SchoolScopedAdmin):
    list_display = ("parent", "child", "relation")
    list_filter = ("relation",)
    list_select_related = ("parent", "child")
    search_fields = ("parent__last_name", "parent__first_name", "child__last_name", "child__first_name")
    autocomplete_fields = ("parent", "child")
