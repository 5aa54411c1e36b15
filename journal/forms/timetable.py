"""Forms of the timetable editor (issue 15, point 3): a line added, changed, ended."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal import params

from ..models import Bell, Room, TeachingAssignment, TimetableEntry
from .records import DATE_INPUT


class _LineForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("День недели"), choices=TimetableEntry.Weekday.choices, coerce=int)
    bell = forms.ModelChoiceField(label=_("Урок по звонкам"), queryset=Bell.objects.none())
    room = forms.ModelChoiceField(label=_("Кабинет"), queryset=Room.objects.none(), required=False)
    valid_from = params.DateField(label=_("Действует с"), widget=DATE_INPUT)
    valid_to = params.DateField(label=_("Действует по (пусто — до конца года)"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, school_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bell"].queryset = Bell.objects.filter(school_id=school_id).order_by("number")
        self.fields["room"].queryset = Room.objects.filter(school_id=school_id).order_by("number")
        self.fields["room"].empty_label = _("— без кабинета —")
        self.fields["room"].label_from_instance = lambda r: f"{r.number} {r.name}".strip()


class TimetableAddForm(_LineForm):
    assignment = forms.ModelChoiceField(label=_("Журнал (предмет, группа, учитель)"), queryset=None)

    field_order = ["assignment", "weekday", "bell", "room", "valid_from", "valid_to"]

    def __init__(self, *args, school_id=None, klass=None, **kwargs):
        super().__init__(*args, school_id=school_id, **kwargs)
        qs = TeachingAssignment.objects.filter(school_class=klass, is_active=True)
        self.fields["assignment"].queryset = qs.select_related("school_class", "group", "subject", "teacher").order_by(
            "subject__order", "subject__name", "group__name"
        )
        self.fields["assignment"].label_from_instance = lambda a: f"{a} — {a.teacher.short_name}"


class TimetableChangeForm(_LineForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].label = _("Изменить с")


class TimetableEndForm(forms.Form):
    last_day = params.DateField(label=_("Последний день"), widget=DATE_INPUT)
