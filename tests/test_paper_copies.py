"""Paper for those who ask (issue 20, docs/DESIGN.md §4.4): a parent (or the class teacher
for them) records a request for the weekly printed diary; the printed week keeps each
day whole, has the parent's signature line and the class teacher's remarks; on Friday
the class teacher gets those families' copies as one PDF."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from diary import digests, services
from diary.models import PaperRequest
from diary.printing import requested_pupil_ids
from diary.week import build_week
from journal.services.errors import NotAllowed

pytestmark = pytest.mark.usefixtures("school_day")


def test_the_parent_records_a_request_and_the_class_teacher_sees_it(world, client_for):
    w = world
    c = client_for(w.parent)
    assert reverse("diary:paper_requests") in c.get(reverse("diary:email_settings")).content.decode()
    resp = c.post(reverse("diary:paper_requests"), {"want": f"{w.pupil.pk}:{w.parent.pk}"})
    assert resp.status_code == 302
    req = PaperRequest.objects.get()
    assert (req.pupil, req.parent, req.recorded_by, req.withdrawn_at) == (w.pupil, w.parent, w.parent, None)
    assert AuditEvent.objects.filter(action="paper_request.record").count() == 1
    html = client_for(w.class_teacher).get(reverse("diary:paper_requests"), {"class": w.klass.pk}).content.decode()
    assert f'value="{w.pupil.pk}:{w.parent.pk}" checked' in html
    assert requested_pupil_ids(w.klass) == {w.pupil.pk}
    # Unticked: withdrawn, kept, audited.
    client_for(w.parent).post(reverse("diary:paper_requests"), {})
    req.refresh_from_db()
    assert req.withdrawn_at is not None and requested_pupil_ids(w.klass) == set()
    assert AuditEvent.objects.filter(action="paper_request.withdraw").count() == 1


def test_the_class_teacher_records_for_a_family_and_nobody_else_does(world, client_for):
    w = world
    resp = client_for(w.class_teacher).post(
        reverse("diary:paper_requests") + f"?class={w.klass.pk}", {"want": f"{w.pupil.pk}:{w.parent.pk}"}
    )
    assert resp.status_code == 302 and PaperRequest.objects.get().recorded_by == w.class_teacher
    for actor in (w.teacher, w.other_parent, w.deputy):
        with pytest.raises(NotAllowed):
            services.set_paper_request(actor, pupil_id=w.pupil.pk, parent_id=w.parent.pk, wanted=False)
    with pytest.raises(NotAllowed):  # not her child's parent
        services.set_paper_request(w.parent, pupil_id=w.other_pupil.pk, parent_id=w.parent.pk, wanted=True)


def test_the_printed_week_keeps_days_whole_with_signature_and_remarks(world):
    week = build_week(world.pupil, timezone.localdate())
    html = render_to_string("diary/print_week.html", {"weeks": [week], "title": "x", "printed_at": timezone.now()})
    assert "break-inside: avoid" in html and html.count('<div class="day">') == 6
    assert "Подпись родителя" in html and "Замечания классного руководителя" in html


def test_on_friday_the_class_teacher_gets_the_requested_copies_as_one_pdf(world, client_for):
    w = world
    w.class_teacher.email = "orlova@example.org"
    w.class_teacher.save(update_fields=["email"])
    services.set_paper_request(w.parent, pupil_id=w.pupil.pk, parent_id=w.parent.pk, wanted=True)

    class Task:
        @staticmethod
        def apply_async(args):
            digests.send_paper_copies(*args)

    assert digests.queue_paper_copies(Task) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["orlova@example.org"]
    (name, content, mime) = mail.outbox[0].attachments[0]
    assert mime == "application/pdf" and content.startswith(b"%PDF") and "5А" in name
    digests.queue_paper_copies(Task)
    assert len(mail.outbox) == 1  # once a week
    # The same PDF from her class page's link.
    resp = client_for(w.class_teacher).get(reverse("diary:print_class", args=[w.klass.pk]), {"requested": "1"})
    assert resp.status_code == 200 and resp.content.startswith(b"%PDF")
    page = client_for(w.class_teacher).get(reverse("journal:class_page", args=[w.klass.pk])).content.decode()
    assert "requested=1" in page and reverse("diary:paper_requests") in page


def test_nobody_asked_no_letter(world):
    assert digests.queue_paper_copies(type("T", (), {"apply_async": staticmethod(lambda args: None)})) == 0
