"""Forms of the records procedures (issue 4): КТП, объяснительные, замены, причины пропусков, сбои."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal import params

from ..models import Attendance, PlanItem, SchoolClass, TeachingAssignment, WorkType
from ..models.corrections import REASONS_MAX
from ..models.plans import MAX_ITEM_HOURS
from ..services.corrections import MAX_UNLOCK_HOURS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["topic", "hours", "work_type"]

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_type"].queryset = WorkType.objects.filter(school=school)
        self.fields["hours"].min_value = 1
        self.fields["hours"].max_value = MAX_ITEM_HOURS


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Файл CSV или XLSX"))


class ReasonsForm(forms.Form):
    reasons = forms.CharField(
        label=_("Причины, приведшие к необходимости изменений"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASONS_MAX,
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=REASONS_MAX
    )


class UnlockForm(forms.Form):
    hours = forms.IntegerField(label=_("Открыть на, часов"), min_value=1, max_value=MAX_UNLOCK_HOURS, initial=24)
    reason = forms.CharField(label=_("Причина"), max_length=300)


class SubstitutionForm(forms.Form):
    assignment = forms.ModelChoiceField(
        label=_("Класс и предмет (нагрузка)"), queryset=TeachingAssignment.objects.none()
    )
    substitute = forms.ModelChoiceField(label=_("Заменяющий учитель"), queryset=None)
    date_from = params.DateField(label=_("С"), widget=DATE_INPUT)
    date_to = params.DateField(label=_("По (пусто — один день)"), required=False, widget=DATE_INPUT)
    reason = forms.CharField(label=_("Причина замены"), max_length=300)

    def __init__(self, *args, school=None, substitutes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = (
            TeachingAssignment.objects.filter(school_class__year__school=school, is_active=True)
            .select_related("school_class", "group", "subject", "teacher")
            .order_by("school_class__grade", "school_class__letter", "subject__name")
        )
        self.fields["assignment"].label_from_instance = lambda a: f"{a} — {a.teacher.short_name}"
        self.fields["substitute"].queryset = substitutes
        self.fields["substitute"].label_from_instance = lambda u: u.full_name


class AbsenceReasonForm(forms.Form):
    pupil = params.IdField(widget=forms.HiddenInput)
    attendance = params.IdField(required=False, widget=forms.HiddenInput)
    code = forms.ChoiceField(
        label=_("Причина"),
        choices=[(c.value, c.label) for c in (Attendance.Code.EXCUSED, Attendance.Code.UNEXCUSED, Attendance.Code.ILL)],
    )
    document = forms.CharField(label=_("Документ"), required=False, max_length=200)
    scope = forms.ChoiceField(
        label=_("Для"),
        choices=[("one", _("этого урока")), ("day", _("всех уроков дня")), ("range", _("всех уроков с … по …"))],
        initial="one",
    )
    date_from = params.DateField(label=_("С"), required=False, widget=DATE_INPUT)
    date_to = params.DateField(label=_("По"), required=False, widget=DATE_INPUT)


class OutageForm(forms.Form):
    start = params.DateTimeField(label=_("Начало сбоя"), input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT)
    end = params.DateTimeField(
        label=_("Окончание (пусто — продолжается)"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=DATETIME_INPUT,
    )
    reason = forms.CharField(label=_("Причина"), max_length=300)


class OutageCloseForm(forms.Form):
    end = params.DateTimeField(label=_("Окончание сбоя"), input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT)


class TempImportForm(forms.Form):
    school_class = forms.ModelChoiceField(label=_("Класс"), queryset=SchoolClass.objects.none())
    paper_date = params.DateField(label=_("Дата во временном журнале"), widget=DATE_INPUT)
    file = forms.FileField(label=_("Файл CSV или XLSX"))

    def __init__(self, *args, classes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes


class BlankForm(forms.Form):
    school_class = forms.ModelChoiceField(label=_("Класс"), queryset=SchoolClass.objects.none())
    day = params.DateField(label=_("Дата"), widget=DATE_INPUT)

    def __init__(self, *args, classes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
