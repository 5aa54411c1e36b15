"""Django admin for the school administrator, isolated per school.

A staff user who is not a superuser sees and edits only rows of their own school:
querysets, foreign-key choices and list filters are scoped through `SCHOOL_PATHS`,
the lookup from each model to its School. Other apps register their models' paths
with `register_school_path`.
"""

import contextlib

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db import models, router, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ejournal import params

from . import audit
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
    # By key: `pk=<School>` is rejected when the queryset is of School itself.
    return qs.filter(**{path: getattr(school, "pk", school)})


def _is_global(request) -> bool:
    return request.user.is_superuser


# --- the staff groups of the admin site ---------------------------------------------------

# The groups are found by name: their names are database keys, not interface text.
SCHOOL_ADMIN_GROUP = "Администраторы ЭЖ"  # i18n: data
# Everything with a school path is the school administrator's to maintain, except that
# schools are created and removed by the operator, and people are locked, not deleted
# (the audit trail keeps pointing at them).
LIMITED_ACTIONS = {School: ("view", "change"), User: ("view", "add", "change")}
ALL_ACTIONS = ("view", "add", "change", "delete")
# The secretary and the scheduler work in the admin site too, each on a few models
# (docs/DESIGN.md §1.2: class lists and pupil movement; the timetable). Apps add their models
# with `register_role_models`; people's accounts stay the administrator's.
ROLE_GROUPS = {  # i18n: data (group names, as above)
    RoleAssignment.Role.SECRETARY: "Секретари ЭЖ",
    RoleAssignment.Role.SCHEDULER: "Диспетчеры расписания",
}
ROLE_MODELS: dict = {role: {User: ("view",)} for role in ROLE_GROUPS}


def register_role_models(role, models_actions: dict):
    ROLE_MODELS[role].update(models_actions)


def _permissions(wanted: dict):
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(*wanted)
    cond = models.Q(pk__in=[])
    for model, actions in wanted.items():
        codenames = [f"{a}_{model._meta.model_name}" for a in actions]
        cond |= models.Q(content_type=types[model], codename__in=codenames)
    return Permission.objects.filter(cond)


def school_admin_permissions():
    """The model permissions a school administrator needs in the Django admin."""
    return _permissions({m: LIMITED_ACTIONS.get(m, ALL_ACTIONS) for m in SCHOOL_PATHS})


def school_admin_group() -> AuthGroup:
    """The auth group «Администраторы ЭЖ», holding `school_admin_permissions()`."""
    group, _created = AuthGroup.objects.get_or_create(name=SCHOOL_ADMIN_GROUP)
    group.permissions.add(*school_admin_permissions())
    return group


def role_group(role) -> AuthGroup:
    """The auth group of an admin-site role other than the administrator's, with its permissions."""
    group, _created = AuthGroup.objects.get_or_create(name=ROLE_GROUPS[role])
    group.permissions.set(_permissions(ROLE_MODELS[role]))
    return group


# --- the audit trail of admin changes ------------------------------------------------------

# Never copied into the trail: the hash is a secret, and the row is there to say who changed it.
SECRET_FIELDS = frozenset({"password"})


def _plain(value):
    """A JSON-friendly form of a field value: objects by primary key."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _model_fields(model) -> set[str]:
    return {f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many} - SECRET_FIELDS


def _school_id_of(obj, default=None):
    """The school `obj` belongs to, following its SCHOOL_PATHS lookup (no query for loaded relations)."""
    path = SCHOOL_PATHS.get(type(obj))
    if path is None:
        return default
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    cur = obj
    for hop in hops:
        cur = getattr(cur, hop, None)
        if cur is None:
            return default
    return getattr(cur, f"{last}_id", None) or default


def _row_state(obj) -> dict:
    return {f.name: _plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields if f.name not in SECRET_FIELDS}


def _form_diff(form, obj) -> tuple[dict, dict]:
    """(before, after) of the model fields a change form changed."""
    names = _model_fields(type(obj))
    fields = [f for f in form.changed_data if f in names]
    before = {f: _plain(form.initial.get(f)) for f in fields}
    return before, {f: _plain(form.cleaned_data.get(f)) for f in fields}


def _record(request, action, obj, *, before=None, after=None, object_id=None, school_id=None):
    object_type, pk = audit.object_label(obj)
    audit.record(
        actor=request.user,
        action=action,
        object_type=object_type,
        object_id=pk if object_id is None else object_id,
        school=school_id if school_id is not None else _school_id_of(obj, request.user.school_id),
        before=before,
        after=after,
    )


class AuditedAdminMixin:
    """Every add, change and delete made through the admin lands in the audit trail.

    The admin's change, add and delete views run in one transaction, so the row and
    its trail commit together; the bulk delete action gets a transaction of its own.
    A school's administrator writes her school's chain: the transaction takes its lock
    first (`audit.chain`, the writers' one lock order) — the platform's superuser, of no
    school, writes any school's and keeps Django's own transaction.
    """

    def _chain(self, request):
        school_id = getattr(request.user, "school_id", None)
        return audit.chain(school_id) if school_id else contextlib.nullcontext()

    def changeform_view(self, request, *args, **kwargs):
        with self._chain(request):
            return super().changeform_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with self._chain(request):
            return super().delete_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            _record(request, "admin.add", obj, after=_row_state(obj))
            return
        before, after = _form_diff(form, obj)
        super().save_model(request, obj, form, change)
        if after:
            _record(request, "admin.change", obj, before=before, after=after)

    def delete_model(self, request, obj):
        pk, school_id, state = obj.pk, _school_id_of(obj, request.user.school_id), _row_state(obj)
        super().delete_model(request, obj)
        _record(request, "admin.delete", obj, before=state, object_id=pk, school_id=school_id)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=queryset.db), self._chain(request):
            doomed = [(o, o.pk, _school_id_of(o, request.user.school_id), _row_state(o)) for o in queryset]
            super().delete_queryset(request, queryset)
            for obj, pk, school_id, state in doomed:
                _record(request, "admin.delete", obj, before=state, object_id=pk, school_id=school_id)

    def save_formset(self, request, form, formset, change):
        forms_by_obj = {id(f.instance): f for f in formset.forms}
        doomed = [
            (f.instance, f.instance.pk, _school_id_of(f.instance, request.user.school_id), _row_state(f.instance))
            for f in formset.deleted_forms
            if f.instance.pk is not None
        ]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _record(request, "admin.add", obj, after=_row_state(obj))
        for obj, _changed in formset.changed_objects:
            before, after = _form_diff(forms_by_obj[id(obj)], obj)
            _record(request, "admin.change", obj, before=before, after=after)
        for obj, pk, school_id, state in doomed:
            _record(request, "admin.delete", obj, before=state, object_id=pk, school_id=school_id)


class SchoolScopedMixin:
    """Querysets and foreign-key choices limited to the admin's school (superusers see all);
    dates and moments within 1900–2100 (docs/DESIGN.md §3.24).

    The page titles name the model in the nominative before a dash: Django's «Выберите
    %s для изменения» read «Выберите учебная нагрузка для изменения» (issue 15)."""

    formfield_overrides = {
        models.DateField: {"form_class": params.DateField},
        models.DateTimeField: {"form_class": params.SplitDateTimeField},
    }

    def changelist_view(self, request, extra_context=None):
        title = _("%(models)s — выберите запись для изменения") % {
            "models": capfirst(self.model._meta.verbose_name_plural)
        }
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def add_view(self, request, form_url="", extra_context=None):
        title = _("%(model)s — новая запись") % {"model": capfirst(self.model._meta.verbose_name)}
        return super().add_view(request, form_url, {"title": title, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.has_change_permission(request):
            title = _("%(model)s — изменение записи")
        else:
            title = _("%(model)s — просмотр записи")
        title = title % {"model": capfirst(self.model._meta.verbose_name)}
        return super().change_view(request, object_id, form_url, {"title": title, **(extra_context or {})})

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


class SchoolScopedAdmin(AuditedAdminMixin, SchoolScopedMixin, admin.ModelAdmin):
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
class UserAdmin(AuditedAdminMixin, SchoolScopedMixin, DjangoUserAdmin):
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

    def user_change_password(self, request, id, form_url=""):
        # Django's view neither runs in a transaction nor passes through save_model.
        with transaction.atomic(using=router.db_for_write(User)), self._chain(request):
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            person = User.objects.filter(pk=id).first() if request.method == "POST" else None
            if person is not None and person.password != before:
                _record(request, "admin.password", person, after={"usable_password": person.has_usable_password()})
        return response


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


# The admin site's own titles in Russian (superusers' and the setup roles' site, issue 15).
admin.site.site_header = _("Электронный журнал: настройка школы")
admin.site.site_title = _("Настройка школы")
admin.site.index_title = _("Разделы настройки")
