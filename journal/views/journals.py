"""Lists of journals (issue 14): «Мои журналы», «Журналы школы», the class page.

Every journal is one click from the menu: a teacher's own journals and the lessons she
substitutes in; the school's classes for the deputy and the director, each class's
page with all its journals (read-only for them) and the class's procedures.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import access
from .. import journals as J


@login_required
@require_safe
def my_journals(request):
    user = request.user
    if not access.can_open_my_journals(user):
        raise PermissionDenied
    now = timezone.now()
    year = access.chosen_year(request)  # «Учебный год»: a past year's journals too (issue 16)
    return render(
        request,
        "journal/journals/my.html",
        {
            "year": year,
            "years": list(access.years_of(user)),
            "rows": J.journal_rows(J.my_journals(user, year), now),
            "substitutions": J.substitute_lessons(user, now),
            "today": timezone.localtime(now).date(),
        },
    )


@login_required
@require_safe
def school_journals(request):
    user = request.user
    if not access.can_read_school_journals(user):
        raise PermissionDenied
    year = access.chosen_year(request)  # «Учебный год»: the classes as they were that year (issue 16)
    return render(
        request,
        "journal/journals/school.html",
        {"year": year, "years": list(access.years_of(user)), "classes": J.school_classes(user, year)},
    )


@login_required
@require_safe
def class_page(request, pk):
    """A class: its journals (class → subjects → grid) and what the class teacher does for it."""
    klass, is_class_teacher = access.get_class_page_for_user(request.user, pk)
    now = timezone.now()
    return render(
        request,
        "journal/journals/class.html",
        {
            "klass": klass,
            "is_class_teacher": is_class_teacher,
            "rows": J.journal_rows(J.class_journals(klass), now),
            "can_read_school_journals": access.can_read_school_journals(request.user),
            "can_print_class_diary": access.can_print_class_diary(request.user, klass),
            "can_see_absence_reasons": access.can_see_absence_reasons(request.user, klass),
            "today": timezone.localtime(now).date(),
        },
    )
