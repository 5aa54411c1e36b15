from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Guardianship

from .. import roles as R
from ..access import current_year
from ..models import Lesson, SchoolClass


@login_required
def home(request):
    """Each role lands on its own real data."""
    user = request.user
    roles = R.user_roles(user)
    today = timezone.localdate()
    year = current_year(user.school)
    ctx = {"today": today, "year": year, "school": user.school}
    if R.TEACHER in roles:
        ctx["today_lessons"] = (
            Lesson.objects.filter(assignment__teacher=user, date=today)
            .select_related("assignment__school_class", "assignment__group", "assignment__subject", "bell", "room")
            .order_by("bell__number")
        )
    if R.CLASS_TEACHER in roles:
        ctx["own_classes"] = SchoolClass.objects.filter(class_teacher=user, year=year)
    if R.PARENT in roles:
        ctx["children"] = [g.child for g in Guardianship.objects.filter(parent=user).select_related("child")]
    if roles & R.SCHOOL_WIDE_READERS and year:
        ctx["school_classes"] = SchoolClass.objects.filter(year=year).select_related("class_teacher")
    return render(request, "journal/home.html", ctx)
