from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX, SUBJECT_MAX, Announcement


class ThreadForm(forms.Form):
    pupil = forms.TypedChoiceField(label=_("Ученик"), coerce=int)
    to = forms.ChoiceField(label=_("Кому"))
    subject = forms.CharField(label=_("Тема"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("Сообщение"), widget=forms.Textarea(attrs={"rows": 6}), max_length=BODY_MAX)

    def __init__(self, *args, pupils=(), recipients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].choices = [(p.pk, p.full_name) for p in pupils]
        self.fields["to"].choices = list(recipients)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Ответ"), widget=forms.Textarea(attrs={"rows": 4}), max_length=BODY_MAX)


class AnnouncementForm(forms.Form):
    school_class = forms.TypedChoiceField(label=_("Класс"), coerce=int, empty_value=None, required=False)
    audience = forms.ChoiceField(label=_("Кому"), choices=Announcement.Audience.choices)
    title = forms.CharField(label=_("Заголовок"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("Текст"), widget=forms.Textarea(attrs={"rows": 6}), max_length=BODY_MAX)

    def __init__(self, *args, classes=(), school_wide=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Вся школа"))] if school_wide else []
        self.fields["school_class"].choices = choices + [(c.pk, str(c)) for c in classes]
        self.fields["school_class"].required = not school_wide


class EmailPreferenceForm(forms.Form):
    weekly_digest = forms.BooleanField(
        label=_("Еженедельная сводка: отметки, пропуски и домашние задания за неделю"), required=False
    )
    daily_marks = forms.BooleanField(label=_("Каждый вечер: новые отметки за день"), required=False)
    new_messages = forms.BooleanField(
        label=_("Новые сообщения: не чаще одного письма в день, если сообщение не прочитано 15 минут"), required=False
    )


class ColleagueForm(forms.Form):
    """A thread with a colleague of the school (docs/DESIGN.md §1.5 "Messages")."""

    to = forms.ChoiceField(label=_("Коллеге"))
    subject = forms.CharField(label=_("Тема"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("Сообщение"), widget=forms.Textarea(attrs={"rows": 6}), max_length=BODY_MAX)

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(f"colleague:{u.pk}", u.full_name) for u in colleagues]


class ClassParentsForm(forms.Form):
    """One message to all parents of a class, a thread per family."""

    subject = forms.CharField(label=_("Тема"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("Сообщение"), widget=forms.Textarea(attrs={"rows": 6}), max_length=BODY_MAX)
