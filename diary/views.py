from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.activity import note_diary_view
from accounts.models import Guardianship
from ejournal import params
from ejournal.downloads import file_response
from ejournal.queue import enqueue
from journal import access as journal_access
from journal import roles as R
from journal.models import Enrollment
from journal.services.errors import ServiceError

from . import access, services, tasks
from .forms import AnnouncementForm, ClassParentsForm, ColleagueForm, EmailPreferenceForm, ReplyForm, ThreadForm
from .models import EmailPreference, Receipt
from .printing import class_week_pdf, pupil_week_pdf
from .progress import build_progress, pupil_years
from .week import build_week, get_pupil_lesson, monday_of, parse_day, pupil_enrollments


def _resolve(request, pupil_id):
    """The pupil, the switcher list and the activity count shared by every diary page."""
    family = access.family_pupils(request.user)
    pupil, _ = access.get_diary_pupil(request.user, pupil_id, family)
    if any(p.pk == pupil.pk for p in family):
        # Parents' and pupils' own diary views feed the activity and control reports.
        note_diary_view(request)
    return pupil, family


@login_required
def index(request):
    family = access.family_pupils(request.user)
    if not family:
        raise PermissionDenied
    return redirect("diary:week", pupil_id=family[0].pk)


@login_required
def week(request, pupil_id):
    pupil, family = _resolve(request, pupil_id)
    today = timezone.localdate()
    day = parse_day(request.GET.get("date"), today)
    raw_year = request.GET.get("year", "")
    if raw_year:
        # Every year the pupil was at the school stays readable (docs/DESIGN.md §4.6): the
        # year's week nearest today; a year of another school is 404.
        year = journal_access.get_year_for_user(request.user, params.id_or_404(raw_year))
        day = min(max(today, year.start), year.end)
    enrollments = pupil_enrollments(pupil)
    wk = build_week(pupil, day, enrollments, today=today)
    ctx = {
        "pupil": pupil,
        "family": family,
        "week": wk,
        "this_monday": monday_of(today),
        "tab": "week",
        "years": pupil_years(enrollments),
        "shown_year": wk.school_class.year_id if wk.school_class else None,
    }
    return render(request, "diary/week.html", ctx)


@login_required
def lesson(request, pupil_id, lesson_id):
    pupil, family = _resolve(request, pupil_id)
    dl, klass = get_pupil_lesson(pupil, lesson_id)
    if dl is None:
        raise Http404
    return render(
        request, "diary/lesson.html", {"pupil": pupil, "family": family, "dl": dl, "school_class": klass, "tab": "week"}
    )


@login_required
def marks(request, pupil_id):
    pupil, family = _resolve(request, pupil_id)
    raw = request.GET.get("period", "")
    raw_year = request.GET.get("year", "")
    # A past year stays readable (docs/DESIGN.md §4.6): a year of another school is 404.
    year = journal_access.get_year_for_user(request.user, params.id_or_404(raw_year)) if raw_year else None
    enrollments = pupil_enrollments(pupil)
    progress = build_progress(pupil, enrollments, params.parse_id(raw), year=year)
    ctx = {
        "pupil": pupil,
        "family": family,
        "progress": progress,
        "years": pupil_years(enrollments),
        "year": progress.year if progress else year,
        "tab": "marks",
    }
    return render(request, "diary/marks.html", ctx)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, filename, inline=True)


@login_required
def print_week(request, pupil_id):
    pupil, _family = _resolve(request, pupil_id)
    day = parse_day(request.GET.get("date"), timezone.localdate())
    return _pdf(pupil_week_pdf(pupil, day), f"diary-{pupil.pk}-{monday_of(day):%Y-%m-%d}.pdf")


@login_required
def print_class(request, class_id):
    klass, _ = access.get_printable_class(request.user, class_id)
    day = parse_day(request.GET.get("date"), timezone.localdate())
    only = request.GET.get("requested") == "1"  # the families who asked for paper (docs/DESIGN.md §4.4)
    pdf = class_week_pdf(klass, day, only_requested=only)
    return _pdf(pdf, f"diary-class-{klass.pk}-{monday_of(day):%Y-%m-%d}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def paper_requests(request):
    """Weekly paper copies (docs/DESIGN.md §4.4): a parent records them for own children, the
    class teacher (?class=<id>) for the families of her class."""
    user = request.user
    raw = request.GET.get("class", "")
    klass = access.get_paper_class_for_user(user, params.id_or_404(raw))[0] if raw else None
    families = access.paper_families(user, klass)
    if not families:
        raise PermissionDenied
    from .models import PaperRequest

    wanted_now = set(
        PaperRequest.objects.filter(
            withdrawn_at__isnull=True, pupil_id__in=[p.pk for p, _parent in families]
        ).values_list("pupil_id", "parent_id")
    )
    if request.method == "POST":
        chosen = set(request.POST.getlist("want"))
        try:
            for pupil, parent in families:
                services.set_paper_request(
                    user, pupil_id=pupil.pk, parent_id=parent.pk, wanted=f"{pupil.pk}:{parent.pk}" in chosen
                )
        except ServiceError as e:
            flash.error(request, e.message)
        else:
            flash.success(request, _("Просьбы о бумажном дневнике сохранены."))
        return redirect(request.get_full_path())
    rows = [(p, parent, (p.pk, parent.pk) in wanted_now) for p, parent in families]
    return render(request, "diary/paper_requests.html", {"rows": rows, "klass": klass})


# --- messages ------------------------------------------------------------------------


@login_required
def inbox(request):
    user = request.user
    threads = (
        access.threads_visible(user)
        .select_related("pupil", "parent", "staff", "created_by")
        .order_by("-last_message_at")[:200]
    )
    unread_by_thread = {}
    for tid in Receipt.objects.filter(recipient=user, read_at__isnull=True, message__isnull=False).values_list(
        "message__thread_id", flat=True
    ):
        unread_by_thread[tid] = unread_by_thread.get(tid, 0) + 1
    rows = [(t, unread_by_thread.get(t.pk, 0), t.counterpart(user)) for t in threads]
    return render(request, "diary/inbox.html", {"rows": rows, "can_start": access.can_start_thread(user)})


def _thread_choices(user, pupil_id):
    """(pupils, recipients) the new-thread form offers to `user`."""
    roles = R.user_roles(user)
    family = [p for p in access.family_pupils(user) if p.pk != user.pk]
    if family and (pupil_id is None or any(p.pk == pupil_id for p in family)):
        pupil_id = pupil_id or family[0].pk
        recipients = [
            (services.TO_CLASS_TEACHER, _("Классному руководителю")),
            (services.TO_ADMINISTRATION, _("Администрации школы")),
        ]
        recipients += [(f"{services.TO_TEACHER}:{t.pk}", t.full_name) for t in services.teachers_of(pupil_id)]
        return family, recipients, pupil_id
    if roles & access.STAFF_READERS and pupil_id is not None:
        pupil, _unused = access.get_diary_pupil(user, pupil_id, family)
        parents = Guardianship.objects.filter(child=pupil).select_related("parent").order_by("parent__last_name")
        recipients = [(f"{services.TO_PARENT}:{g.parent_id}", g.parent.full_name) for g in parents]
        # Pupils are written to as well and answer their teachers (docs/DESIGN.md §1.5).
        recipients.append((f"{services.TO_PUPIL}:{pupil.pk}", _("Ученику: %(name)s") % {"name": pupil.full_name}))
        return [pupil], recipients, pupil.pk
    raise Http404


def _staff_picker(request):
    """Staff without a pupil: the picker — a class, then a pupil (its parents, the pupil) or
    all parents of the class; or a colleague (docs/DESIGN.md §1.5 "Messages")."""
    user = request.user
    form = ColleagueForm(request.POST or None, colleagues=access.colleagues_of(user))
    raw_class = request.GET.get("class", "")
    klass = can_all = pupils = None
    if raw_class:
        klass, can_all = access.get_message_class_for_user(user, params.id_or_404(raw_class))
        pupils = [
            e.pupil
            for e in Enrollment.objects.current()
            .filter(school_class=klass)
            .select_related("pupil")
            .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
        ]
    thread = _submit(
        request,
        form,
        lambda data: services.start_thread(
            user, pupil_id=None, to=data["to"], subject=data["subject"], body=data["body"]
        ),
    )
    if thread:
        return redirect("diary:thread", pk=thread.pk)
    ctx = {
        "form": form,
        "classes": access.message_classes(user),
        "klass": klass,
        "can_all": can_all,
        "pupils": pupils,
    }
    return _form_page(request, "diary/thread_pick.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request):
    raw = request.GET.get("pupil") or request.POST.get("pupil") or ""
    if not access.can_start_thread(request.user):
        raise PermissionDenied
    if not raw and R.user_roles(request.user) & access.STAFF_READERS and not access.family_pupils(request.user):
        return _staff_picker(request)
    pupils, recipients, pupil_id = _thread_choices(request.user, params.parse_id(raw))
    form = ThreadForm(request.POST or None, pupils=pupils, recipients=recipients, initial={"pupil": pupil_id})
    thread = _submit(
        request,
        form,
        lambda data: services.start_thread(
            request.user, pupil_id=data["pupil"], to=data["to"], subject=data["subject"], body=data["body"]
        ),
    )
    if thread:
        return redirect("diary:thread", pk=thread.pk)
    return _form_page(request, "diary/thread_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def class_message(request, class_id):
    """All parents of a class at once: a thread per family (docs/DESIGN.md §1.5)."""
    klass, can_all = access.get_message_class_for_user(request.user, class_id)
    if not can_all:
        raise Http404
    form = ClassParentsForm(request.POST or None)
    threads = _submit(
        request,
        form,
        lambda data: services.write_to_class_parents(
            request.user, class_id=klass.pk, subject=data["subject"], body=data["body"]
        ),
    )
    if threads:
        flash.success(
            request,
            _("Сообщение отправлено родителям класса %(klass)s: %(n)s.") % {"klass": klass, "n": len(threads)},
        )
        return redirect("diary:inbox")
    return _form_page(request, "diary/class_message.html", {"form": form, "klass": klass})


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, pk):
    th, can_write = access.get_thread_for_user(request.user, pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply(request.user, th, form.cleaned_data["body"])
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            return redirect("diary:thread", pk=th.pk)
    services.mark_thread_read(request.user, th)
    msgs = list(th.messages.select_related("author").prefetch_related("receipts"))
    return _form_page(request, "diary/thread.html", {"thread": th, "msgs": msgs, "form": form, "can_write": can_write})


@login_required
def message(request, pk):
    msg = access.message_visible(request.user, pk)
    return redirect(reverse("diary:thread", args=[msg.thread_id]) + f"#m{msg.pk}")


# --- announcements ---------------------------------------------------------------------


@login_required
def announcements(request):
    user = request.user
    items = access.announcements_visible(user).select_related("author", "school_class").order_by("-created_at")[:200]
    unread = set(
        Receipt.objects.filter(recipient=user, read_at__isnull=True, announcement__isnull=False).values_list(
            "announcement_id", flat=True
        )
    )
    can_publish = services.can_announce_school(user) or services.announcement_classes(user).exists()
    return render(request, "diary/announcements.html", {"items": items, "unread": unread, "can_publish": can_publish})


@login_required
def announcement(request, pk):
    ann, is_author = access.get_announcement_for_user(request.user, pk)
    services.mark_announcement_read(request.user, ann)
    stats = None
    if is_author:
        receipts = ann.receipts.all()
        stats = {"total": receipts.count(), "read": receipts.filter(read_at__isnull=False).count()}
    return render(request, "diary/announcement.html", {"ann": ann, "stats": stats})


@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request):
    user = request.user
    classes = list(services.announcement_classes(user))
    school_wide = services.can_announce_school(user)
    if not classes and not school_wide:
        raise PermissionDenied
    form = AnnouncementForm(request.POST or None, classes=classes, school_wide=school_wide)
    ann = _submit(
        request,
        form,
        lambda data: services.publish_announcement(
            user,
            school_class_id=data["school_class"],
            audience=data["audience"],
            title=data["title"],
            body=data["body"],
        ),
    )
    if ann:
        return redirect("diary:announcement", pk=ann.pk)
    return _form_page(request, "diary/announcement_new.html", {"form": form})


def _submit(request, form, write):
    """On a valid POST, `write(cleaned_data)` (a service call) and its result; None on a GET, an
    invalid form, or when the service refuses (its message becomes the form's error)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ServiceError as e:
        form.add_error(None, e.message)
        return None


def _form_page(request, template, ctx):
    """The form page again: 400 when the form (in `ctx`) has errors."""
    return render(request, template, ctx, status=400 if ctx["form"].errors else 200)


# --- e-mail ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request):
    user = request.user
    if not access.receives_digests(user):
        raise PermissionDenied
    pref = EmailPreference.objects.filter(user=user).first()
    initial = (
        {"weekly_digest": pref.weekly_digest, "daily_marks": pref.daily_marks, "new_messages": pref.new_messages}
        if pref
        else {}
    )
    form = EmailPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pref = services.set_email_preferences(user, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            if request.POST.get("send_now") and pref.weekly_digest:
                # The broker may be down: the page must not wait for it.
                enqueue(tasks.send_weekly_digest, user.pk, monday_of(timezone.localdate()).isoformat())
            flash.success(request, _("Настройки рассылки сохранены."))
            return redirect("diary:email_settings")
    return _form_page(request, "diary/email_settings.html", {"form": form})


@csrf_exempt  # RFC 8058 one-click POST comes from the mail client, without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    # A GET only asks: mail scanners and link previews open links without the parent.
    try:
        if request.method == "POST":
            services.unsubscribe(token)
        else:
            services.read_unsubscribe_token(token)
    except ServiceError as e:
        return render(request, "diary/unsubscribe.html", {"error": e.message}, status=400)
    return render(request, "diary/unsubscribe.html", {"error": None, "done": request.method == "POST"})
