"""A person's notifications of the deadline checks: the list, marking one or all as read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import access


@login_required
def notifications(request):
    qs = access.notifications_of(request.user).order_by("-created_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "journal/control/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    n, _writable = access.get_notification_for_user(request.user, pk)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return redirect("journal:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    access.notifications_of(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("journal:notifications")
