"""Small forms of the lesson page. The grid itself has no form fields (plain HTML cells)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Homework, Lesson, WorkType


class TopicForm(forms.Form):
    topic = forms.CharField(
        label=_("Тема урока"), required=False, max_length=Lesson._meta.get_field("topic").max_length
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class HomeworkForm(forms.Form):
    text = forms.CharField(
        label=_("Домашнее задание"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=Homework.TEXT_MAX,  # docs/DESIGN.md §3.24
    )


class AssessmentForm(forms.Form):
    work_type = forms.ModelChoiceField(label=_("Вид работы"), queryset=WorkType.objects.none(), empty_label=None)
    # The weight is validated by the service (Russian comma allowed), so plain text here.
    weight = forms.CharField(label=_("Вес"), required=False, max_length=5)
    description = forms.CharField(label=_("Описание"), required=False, max_length=200)

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_type"].queryset = WorkType.objects.filter(school=school)
        self.fields["work_type"].error_messages["invalid_choice"] = _("Выберите вид работы из списка.")


class RemoveAssessmentForm(forms.Form):
    reason = forms.CharField(label=_("Причина удаления"), required=False, max_length=500)
