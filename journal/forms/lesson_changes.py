"""Forms of lesson changes by hand (issue 15): a one-off lesson, a move, a cancellation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal import params

from ..models import Bell, Room, SchoolClass, TeachingAssignment
from ..services.lesson_changes import REASON_MAX
from .records import DATE_INPUT


def _bells(school_id):
    return Bell.objects.filter(school_id=school_id).order_by("number")


def _rooms(school_id):
    return Room.objects.filter(school_id=school_id).order_by("number")


class _PlaceForm(forms.Form):
    date = params.DateField(label=_("День"), widget=DATE_INPUT)
    bell = forms.ModelChoiceField(label=_("Урок по звонкам"), queryset=Bell.objects.none())
    room = forms.ModelChoiceField(label=_("Кабинет"), queryset=Room.objects.none(), required=False)

    def __init__(self, *args, school_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bell"].queryset = _bells(school_id)
        self.fields["room"].queryset = _rooms(school_id)
        self.fields["room"].empty_label = _("— без кабинета —")
        self.fields["room"].label_from_instance = lambda r: f"{r.number} {r.name}".strip()


class LessonMoveForm(_PlaceForm):
    reason = forms.CharField(label=_("Причина переноса"), max_length=REASON_MAX, required=False)


class LessonAddForm(_PlaceForm):
    assignment = forms.ModelChoiceField(label=_("Журнал (класс, предмет, учитель)"), queryset=None)
    reason = forms.CharField(label=_("Причина"), max_length=REASON_MAX, required=False)

    field_order = ["assignment", "date", "bell", "room", "reason"]

    def __init__(self, *args, school_id=None, klass=None, **kwargs):
        super().__init__(*args, school_id=school_id, **kwargs)
        qs = TeachingAssignment.objects.filter(school_class__year__school_id=school_id, is_active=True)
        if klass is not None:
            qs = qs.filter(school_class=klass)
        self.fields["assignment"].queryset = qs.select_related("school_class", "group", "subject", "teacher").order_by(
            "school_class__grade", "school_class__letter", "subject__name", "group__name"
        )
        self.fields["assignment"].label_from_instance = lambda a: f"{a} — {a.teacher.short_name}"


class LessonCancelForm(forms.Form):
    reason = forms.CharField(label=_("Причина отмены (её увидят ученики и родители в дневнике)"), max_length=REASON_MAX)


class LessonRestoreForm(forms.Form):
    """Restoring a cancelled lesson: the button is the whole form."""


class WeekChoiceForm(forms.Form):
    klass = forms.ModelChoiceField(label=_("Класс"), queryset=SchoolClass.objects.none())
    week = params.DateField(label=_("Неделя (любой её день)"), widget=DATE_INPUT, required=False)

    def __init__(self, *args, classes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klass"].queryset = classes.order_by("grade", "letter")
