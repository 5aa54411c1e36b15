"""Forms of the administrator's set-up pages (issue 15 point 5). They parse; the services
(journal/services/setup_*.py) decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal import params

from ..models import Group, Room, StudyPeriod, Subject
from .records import DATE_INPUT

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ConfirmForm(forms.Form):
    """A deletion's or an end's confirmation: the button is the whole form."""


class YearForm(forms.Form):
    name = forms.CharField(label=_("Название (например 2026/2027)"), max_length=20)
    start = params.DateField(label=_("Начало учебного года"), widget=DATE_INPUT)
    end = params.DateField(label=_("Окончание учебного года"), widget=DATE_INPUT)
    exam_marks_deadline = params.DateField(
        label=_("Крайний срок экзаменационных и итоговых отметок (пусто — 30 июня)"),
        widget=DATE_INPUT,
        required=False,
    )


class PeriodForm(forms.Form):
    scheme = forms.ChoiceField(label=_("Вид периода"), choices=StudyPeriod.Scheme.choices)
    number = forms.IntegerField(label=_("Номер периода"), min_value=1, max_value=4)
    start = params.DateField(label=_("Начало периода"), widget=DATE_INPUT)
    end = params.DateField(label=_("Окончание периода"), widget=DATE_INPUT)
    marks_deadline = params.DateField(
        label=_("Крайний срок итоговых отметок (пусто — последний день периода)"), widget=DATE_INPUT, required=False
    )


class PeriodChangeForm(PeriodForm):
    """A period keeps its kind (its marks and the classes' division depend on it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["scheme"]


class HolidaysForm(forms.Form):
    name = forms.CharField(label=_("Название каникул"), max_length=100)
    start = params.DateField(label=_("Начало каникул"), widget=DATE_INPUT)
    end = params.DateField(label=_("Окончание каникул"), widget=DATE_INPUT)
    grades = forms.CharField(
        label=_("Только для параллелей (например «1»; пусто — для всех)"), max_length=40, required=False
    )


class BellForm(forms.Form):
    number = forms.IntegerField(label=_("Номер урока"), min_value=1, max_value=12)
    starts = forms.TimeField(label=_("Начало урока"), widget=TIME_INPUT)
    ends = forms.TimeField(label=_("Окончание урока"), widget=TIME_INPUT)


class RoomForm(forms.Form):
    number = forms.CharField(label=_("Номер кабинета"), max_length=20)
    name = forms.CharField(label=_("Название кабинета"), max_length=100, required=False)


class SubjectForm(forms.Form):
    name = forms.CharField(label=_("Название предмета"), max_length=120)
    short_name = forms.CharField(label=_("Сокращение"), max_length=30, required=False)
    order = forms.IntegerField(label=_("Порядок в ведомостях"), min_value=0, max_value=999, initial=100)
    assessment = forms.ChoiceField(
        label=_("Система оценивания"), choices=Subject.Assessment.choices, initial=Subject.Assessment.NUMERIC
    )


def _people(field, qs, empty=None):
    field.queryset = qs
    field.label_from_instance = lambda u: u.full_name or u.username
    if empty is not None:
        field.empty_label = empty


class ClassForm(forms.Form):
    grade = forms.IntegerField(label=_("Параллель (1–11)"), min_value=1, max_value=11)
    letter = forms.CharField(label=_("Литера"), max_length=4)
    leader = forms.ModelChoiceField(label=_("Классный руководитель"), queryset=None, required=False)
    period_scheme = forms.ChoiceField(
        label=_("Деление на периоды"),
        choices=[c for c in StudyPeriod.Scheme.choices if c[0] != StudyPeriod.Scheme.YEAR],
        initial=StudyPeriod.Scheme.QUARTER,
    )
    room = forms.ModelChoiceField(label=_("Кабинет класса"), queryset=Room.objects.none(), required=False)

    def __init__(self, *args, school_id=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["leader"], staff, _("— не назначен —"))
        self.fields["room"].queryset = Room.objects.filter(school_id=school_id).order_by("number")
        self.fields["room"].empty_label = _("— без кабинета —")


class CurriculumForm(forms.Form):
    subject = forms.ModelChoiceField(label=_("Предмет"), queryset=Subject.objects.none())
    hours_per_week = forms.DecimalField(
        label=_("Часов в неделю"), max_digits=4, decimal_places=1, min_value=0, max_value=40
    )
    hours_per_year = forms.IntegerField(
        label=_("Часов в год (пусто — по числу учебных недель)"), min_value=1, max_value=1500, required=False
    )

    def __init__(self, *args, school_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.filter(school_id=school_id).order_by("order", "name")


class CurriculumChangeForm(CurriculumForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["subject"]


class LoadForm(forms.Form):
    subject = forms.ModelChoiceField(label=_("Предмет из учебного плана"), queryset=Subject.objects.none())
    group = forms.ModelChoiceField(label=_("Группа"), queryset=Group.objects.none(), required=False)
    staff_member = forms.ModelChoiceField(label=_("Учитель"), queryset=None)

    def __init__(self, *args, klass=None, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.filter(school_id=klass.year.school_id).order_by(
            "order", "name"
        )
        self.fields["group"].queryset = Group.objects.filter(school_class=klass).order_by("name")
        self.fields["group"].empty_label = _("— весь класс —")
        _people(self.fields["staff_member"], staff)


class LoadTeacherForm(forms.Form):
    staff_member = forms.ModelChoiceField(label=_("Учитель"), queryset=None)

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["staff_member"], staff)


__all__ = [
    "BellForm",
    "ClassForm",
    "ConfirmForm",
    "CurriculumChangeForm",
    "CurriculumForm",
    "HolidaysForm",
    "LoadForm",
    "LoadTeacherForm",
    "PeriodChangeForm",
    "PeriodForm",
    "RoomForm",
    "SubjectForm",
    "YearForm",
]
