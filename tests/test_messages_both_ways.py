"""Messages both ways (issue 20, docs/DESIGN.md §1.5 "Messages"): staff start threads from
the inbox's picker, the class teacher writes to all parents of her class (a thread per
family), pupils are written to and answer, colleagues write to each other, the sender
sees the read receipt, and unread messages bring one e-mail notice a day at most."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from diary import digests, services
from diary.models import EmailDelivery, Receipt, Thread
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F


def _second_family(w):
    """One more pupil of 5А with two parents: a family of its own."""
    pupil = F.UserFactory(school=w.school, last_name="Петров", first_name="Илья")
    F.EnrollmentFactory(school_class=w.klass, pupil=pupil)
    mother = F.UserFactory(school=w.school, last_name="Петрова", first_name="Анна", email="anna@example.org")
    father = F.UserFactory(school=w.school, last_name="Петров", first_name="Олег")
    F.GuardianshipFactory(parent=mother, child=pupil)
    F.GuardianshipFactory(parent=father, child=pupil)
    return pupil, mother, father


def test_staff_write_from_the_inbox_picker_class_pupil_parent(world, client_for):
    w = world
    c = client_for(w.teacher)
    inbox = c.get(reverse("diary:inbox")).content.decode()
    assert reverse("diary:thread_new") in inbox
    picker = c.get(reverse("diary:thread_new"))
    assert picker.status_code == 200 and "5А" in picker.content.decode()
    at_class = c.get(reverse("diary:thread_new"), {"class": w.klass.pk}).content.decode()
    assert f"?pupil={w.pupil.pk}" in at_class
    # A subject teacher does not write to all parents of a class: that is the class teacher's.
    assert reverse("diary:class_message", args=[w.klass.pk]) not in at_class
    form = c.get(reverse("diary:thread_new"), {"pupil": w.pupil.pk}).content.decode()
    assert f"parent:{w.parent.pk}" in form and f"pupil:{w.pupil.pk}" in form
    resp = c.post(
        reverse("diary:thread_new"),
        {"pupil": w.pupil.pk, "to": f"parent:{w.parent.pk}", "subject": "Тетрадь", "body": "Забыла тетрадь"},
    )
    thread = Thread.objects.get()
    assert resp.status_code == 302 and (thread.parent, thread.staff, thread.kind) == (w.parent, w.teacher, "teacher")
    # 5Б is none of the teacher's classes.
    assert c.get(reverse("diary:thread_new"), {"class": w.other_class.pk}).status_code == 404


def test_class_teacher_writes_to_all_parents_a_thread_per_family(world, client_for):
    w = world
    pupil2, mother, father = _second_family(w)
    c = client_for(w.class_teacher)
    assert (
        reverse("diary:class_message", args=[w.klass.pk])
        in c.get(reverse("diary:thread_new"), {"class": w.klass.pk}).content.decode()
    )
    resp = c.post(
        reverse("diary:class_message", args=[w.klass.pk]),
        {"subject": "Собрание", "body": "Родительское собрание в четверг в 18:00"},
    )
    assert resp.status_code == 302 and resp.url == reverse("diary:inbox")
    threads = Thread.objects.filter(subject="Собрание")
    assert {(t.pupil_id, t.parent_id) for t in threads} == {
        (w.pupil.pk, w.parent.pk),
        (pupil2.pk, mother.pk),
        (pupil2.pk, father.pk),
    }
    assert {t.kind for t in threads} == {"class_teacher"} and {t.staff_id for t in threads} == {w.class_teacher.pk}
    assert not Thread.objects.filter(parent=w.other_parent).exists()  # 5Б's mother
    assert AuditEvent.objects.filter(action="message.class_parents").count() == 1
    # A family's reply stays in its own thread: another family never reaches it.
    mine = threads.get(parent=w.parent)
    services.reply(w.parent, mine, "Придём")
    assert client_for(mother).get(reverse("diary:thread", args=[mine.pk])).status_code == 404
    assert client_for(w.other_parent).get(reverse("diary:thread", args=[mine.pk])).status_code == 404


def test_only_the_class_teacher_and_administration_write_to_a_whole_class(world, client_for):
    w = world
    with pytest.raises(NotAllowed):
        services.write_to_class_parents(w.teacher, class_id=w.klass.pk, subject="a", body="b")
    assert client_for(w.teacher).get(reverse("diary:class_message", args=[w.klass.pk])).status_code == 404
    assert len(services.write_to_class_parents(w.deputy, class_id=w.klass.pk, subject="a", body="b")) == 1
    resp = client_for(w.class_teacher).post(reverse("diary:class_message", args=[w.klass.pk]), {"subject": "Тема"})
    assert resp.status_code == 400 and "Тема" in resp.content.decode()


def test_pupil_is_written_to_and_answers_but_never_starts(world, client_for):
    w = world
    pupil2, _mother, _father = _second_family(w)
    thread = services.start_thread(
        w.teacher, pupil_id=w.pupil.pk, to=f"pupil:{w.pupil.pk}", subject="Доклад", body="Подготовь к пятнице"
    )
    assert thread.with_pupil and Receipt.objects.get(message__thread=thread).recipient == w.pupil
    p = client_for(w.pupil)
    assert "Доклад" in p.get(reverse("diary:inbox")).content.decode()
    assert p.post(reverse("diary:thread", args=[thread.pk]), {"body": "Хорошо"}).status_code == 302
    assert Receipt.objects.filter(recipient=w.teacher, message__thread=thread).count() == 1
    assert p.get(reverse("diary:thread_new")).status_code == 403
    # Neither another pupil nor the parent reach the pupil's own thread.
    assert client_for(pupil2).get(reverse("diary:thread", args=[thread.pk])).status_code == 404
    assert client_for(w.parent).get(reverse("diary:thread", args=[thread.pk])).status_code == 404
    with pytest.raises(ServiceError):
        services.start_thread(w.teacher, pupil_id=w.pupil.pk, to=f"pupil:{pupil2.pk}", subject="a", body="b")


def test_colleagues_write_to_each_other_within_the_school(world, client_for):
    w = world
    c = client_for(w.teacher)
    resp = c.post(
        reverse("diary:thread_new"),
        {"to": f"colleague:{w.class_teacher.pk}", "subject": "5А", "body": "Контрольная в среду"},
    )
    thread = Thread.objects.get(kind="colleague")
    assert resp.status_code == 302 and thread.pupil is None and thread.staff == w.class_teacher
    services.reply(w.class_teacher, thread, "Спасибо")
    assert Receipt.objects.filter(recipient=w.teacher, read_at__isnull=True).count() == 1
    assert client_for(w.deputy).get(reverse("diary:thread", args=[thread.pk])).status_code == 404
    with pytest.raises(ServiceError):  # another school's deputy is no colleague
        services.start_thread(w.teacher, pupil_id=None, to=f"colleague:{w.outsider.pk}", subject="a", body="b")
    with pytest.raises(ServiceError):  # a parent is no colleague
        services.start_thread(w.teacher, pupil_id=None, to=f"colleague:{w.parent.pk}", subject="a", body="b")
    resp = c.post(reverse("diary:thread_new"), {"to": f"colleague:{w.parent.pk}", "subject": "Тема", "body": "x"})
    assert resp.status_code == 400 and "Тема" in resp.content.decode()


def test_the_sender_sees_the_read_receipt(world, client_for):
    w = world
    thread = services.start_thread(
        w.class_teacher, pupil_id=w.pupil.pk, to=f"parent:{w.parent.pk}", subject="Справка", body="Нужна справка"
    )
    t = client_for(w.class_teacher)
    assert "не прочитано" in t.get(reverse("diary:thread", args=[thread.pk])).content.decode()
    client_for(w.parent).get(reverse("diary:thread", args=[thread.pk]))
    html = client_for(w.class_teacher).get(reverse("diary:thread", args=[thread.pk])).content.decode()
    assert "прочитано" in html and "не прочитано" not in html


def test_message_notice_after_a_quarter_of_an_hour_once_a_day(world):
    w = world
    w.parent.email = "ivanova@example.org"
    w.parent.save(update_fields=["email"])
    services.set_email_preferences(w.parent, weekly_digest=False, daily_marks=False, new_messages=True)
    thread = services.start_thread(
        w.teacher, pupil_id=w.pupil.pk, to=f"parent:{w.parent.pk}", subject="Тетрадь", body="Забыла тетрадь"
    )
    sent = []

    class Task:
        @staticmethod
        def apply_async(args):
            sent.append(args)
            digests.send_message_notice(*args)

    now = timezone.now()
    assert digests.queue_message_notices(Task, now=now) == 0  # just delivered: not yet
    Receipt.objects.update(delivered_at=now - timedelta(minutes=16))
    assert digests.queue_message_notices(Task, now=now) == 1
    assert len(mail.outbox) == 1 and "Тетрадь" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["List-Unsubscribe"]
    services.reply(w.teacher, thread, "И ручку")
    Receipt.objects.update(delivered_at=now - timedelta(hours=1))
    assert digests.queue_message_notices(Task, now=now) == 0  # one letter a day
    assert EmailDelivery.objects.filter(kind="messages").count() == 1
    # Read in time: no letter.
    services.mark_thread_read(w.parent, thread)
    EmailDelivery.objects.all().delete()
    assert digests.queue_message_notices(Task, now=now) == 0
