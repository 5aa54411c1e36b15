from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..access import current_year
from ..dashboard import home_context


@login_required
def home(request):
    """Each role lands on its own real data."""
    user = request.user
    today = timezone.localdate()
    year = current_year(user.school)
    ctx = {"today": today, "year": year, "school": user.school, **home_context(user, year, today)}
    return render(request, "journal/home.html", ctx)
