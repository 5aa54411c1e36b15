"""Forms of the «Подгруппы» page (issue 15, point 4): a new split, pupils added to a group,
a pupil moved to another group. They parse; the rules are journal/services/groups.py's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ejournal import params

from ..services.groups import MAX_GROUPS, MIN_GROUPS, SPLIT_NAME_MAX
from .records import DATE_INPUT


class SplitForm(forms.Form):
    name = forms.CharField(
        label=_("Для чего деление (предмет)"),
        max_length=SPLIT_NAME_MAX,
        help_text=_("Например, «англ.» или «труд»: группы получат названия «1 группа (англ.)», «2 группа (англ.)»."),
    )
    groups = forms.TypedChoiceField(
        label=_("Сколько групп"),
        coerce=int,
        choices=[(n, n) for n in range(MIN_GROUPS, MAX_GROUPS + 1)],
        initial=MIN_GROUPS,
    )


class AddMembersForm(forms.Form):
    """`pupils`: ids of the class's pupils (the page offers those in no group of the split)."""

    pupils = forms.TypedMultipleChoiceField(
        label=_("Ученики"), coerce=int, widget=forms.CheckboxSelectMultiple, error_messages={
            "required": _("Отметьте учеников, которых добавить в группу."),
            "invalid_choice": _("Этого ученика нет в списке: обновите страницу."),
        }
    )  # fmt: skip
    start = params.DateField(label=_("В группе с"), widget=DATE_INPUT)

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = [(p.pk, p.full_name) for p in pupils]


class MoveMemberForm(forms.Form):
    pupil = forms.TypedChoiceField(label=_("Ученик"), coerce=int)
    to_group = forms.TypedChoiceField(label=_("Перевести в"), coerce=int, empty_value=None, required=False)
    day = params.DateField(label=_("С даты"), widget=DATE_INPUT)

    def __init__(self, *args, pupils=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].choices = [("", "—"), *((p.pk, p.full_name) for p in pupils)]
        self.fields["to_group"].choices = [("", _("— вывести из группы —")), *((g.pk, g.name) for g in groups)]
