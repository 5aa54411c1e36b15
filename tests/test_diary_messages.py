"""Threads between parents and the school, announcements, unread counters and read receipts."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from diary import services
from diary.models import Announcement, Receipt, Thread
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F


def test_parent_writes_to_teacher_and_gets_an_answer(world, client_for):
    w = world
    c = client_for(w.parent)
    resp = c.post(
        reverse("diary:thread_new"),
        {"pupil": w.pupil.pk, "to": f"teacher:{w.teacher.pk}", "subject": "Контрольная", "body": "Можно переписать?"},
    )
    thread = Thread.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("diary:thread", args=[thread.pk])
    assert (thread.kind, thread.staff, thread.parent, thread.pupil) == ("teacher", w.teacher, w.parent, w.pupil)
    receipt = Receipt.objects.get(recipient=w.teacher)
    assert receipt.read_at is None

    t = client_for(w.teacher)
    assert '<span class="badge unread-count">1</span>' in t.get(reverse("home")).content.decode()
    t.get(reverse("diary:thread", args=[thread.pk]))
    receipt.refresh_from_db()
    assert receipt.read_at is not None  # the read receipt, with its time
    assert "unread-count" not in t.get(reverse("home")).content.decode()
    t.post(reverse("diary:thread", args=[thread.pk]), {"body": "Да, в четверг."})

    p = client_for(w.parent)
    html = p.get(reverse("diary:inbox")).content.decode()
    assert "Контрольная" in html and 'class="badge">1<' in html
    html = p.get(reverse("diary:thread", args=[thread.pk])).content.decode()
    assert "Да, в четверг." in html and "прочитано" in html


def test_class_teacher_and_administration_threads(world):
    w = world
    t = services.start_thread(
        w.parent, pupil_id=w.pupil.pk, to="class_teacher", subject="Справка", body="Принесём завтра"
    )
    assert t.staff == w.class_teacher
    t = services.start_thread(w.parent, pupil_id=w.pupil.pk, to="administration", subject="Питание", body="Вопрос")
    assert t.staff is None
    assert set(Receipt.objects.filter(message__thread=t).values_list("recipient", flat=True)) == {
        w.deputy.pk,
        w.director.pk,
    }
    services.reply(w.deputy, t, "Ответим до пятницы")
    assert Receipt.objects.filter(recipient=w.parent, message__thread=t).count() == 1
    with pytest.raises(NotAllowed):
        services.reply(w.teacher, t, "Не моя переписка")


def test_no_parent_to_parent_messaging(world, client_for):
    w = world
    for to in (f"teacher:{w.other_parent.pk}", f"parent:{w.other_parent.pk}", f"teacher:{w.outsider.pk}"):
        with pytest.raises(NotAllowed):
            services.start_thread(w.parent, pupil_id=w.pupil.pk, to=to, subject="Привет", body="Давайте дружить")
    # Nor about someone else's child, nor through the form with a forged recipient.
    with pytest.raises(NotAllowed):
        services.start_thread(
            w.parent, pupil_id=w.other_pupil.pk, to=f"parent:{w.other_parent.pk}", subject="a", body="b"
        )
    resp = client_for(w.parent).post(
        reverse("diary:thread_new"),
        {"pupil": w.pupil.pk, "to": f"parent:{w.other_parent.pk}", "subject": "Привет", "body": "Текст"},
    )
    assert resp.status_code == 400 and not Thread.objects.exists()
    assert "Привет" in resp.content.decode()  # what the user typed stays in the form


def test_staff_write_to_parents_of_pupils_in_scope_only(world):
    w = world
    t = services.start_thread(
        w.teacher, pupil_id=w.pupil.pk, to=f"parent:{w.parent.pk}", subject="Тетрадь", body="Нет тетради"
    )
    assert (t.kind, t.staff) == ("teacher", w.teacher)
    with pytest.raises(ServiceError):  # not a parent of this pupil
        services.start_thread(w.teacher, pupil_id=w.pupil.pk, to=f"parent:{w.other_parent.pk}", subject="a", body="b")
    with pytest.raises(NotAllowed):  # another class
        services.start_thread(
            w.teacher, pupil_id=w.other_pupil.pk, to=f"parent:{w.other_parent.pk}", subject="a", body="b"
        )
    with pytest.raises(NotAllowed):  # pupils only read
        services.start_thread(w.pupil, pupil_id=w.pupil.pk, to=f"teacher:{w.teacher.pk}", subject="a", body="b")


def test_empty_message_is_refused_in_russian(world):
    with pytest.raises(ServiceError, match="Заполните поле «Сообщение»"):
        services.start_thread(world.parent, pupil_id=world.pupil.pk, to="class_teacher", subject="Тема", body="   ")
    assert not Thread.objects.exists()


def test_announcements_reach_their_audience(world, client_for):
    w = world
    ann = services.publish_announcement(
        w.class_teacher, school_class_id=w.klass.pk, audience="pupils", title="Экскурсия", body="В пятницу"
    )
    assert set(ann.receipts.values_list("recipient", flat=True)) == {w.pupil.pk}
    ann2 = services.publish_announcement(w.deputy, audience="parents", title="Собрание", body="Во вторник в 18:00")
    assert set(ann2.receipts.values_list("recipient", flat=True)) == {w.parent.pk, w.other_parent.pk}
    assert AuditEvent.objects.filter(action="announcement.publish").count() == 2

    pupil = client_for(w.pupil)
    html = pupil.get(reverse("diary:announcements")).content.decode()
    assert "Экскурсия" in html and "Собрание" not in html
    assert pupil.get(reverse("diary:announcement", args=[ann.pk])).status_code == 200
    assert ann.receipts.get(recipient=w.pupil).read_at is not None
    assert pupil.get(reverse("diary:announcement", args=[ann2.pk])).status_code == 404

    author = client_for(w.class_teacher).get(reverse("diary:announcement", args=[ann.pk]))
    assert "Прочитали 1 из 1" in author.content.decode()


def test_who_may_announce(world):
    w = world
    with pytest.raises(NotAllowed):
        services.publish_announcement(
            w.class_teacher, school_class_id=w.other_class.pk, audience="both", title="a", body="b"
        )
    with pytest.raises(NotAllowed):
        services.publish_announcement(w.class_teacher, audience="both", title="a", body="b")
    with pytest.raises(NotAllowed):
        services.publish_announcement(w.parent, school_class_id=w.klass.pk, audience="both", title="a", body="b")
    with pytest.raises(NotAllowed):
        services.publish_announcement(
            w.deputy, school_class_id=w.foreign_class.pk, audience="both", title="a", body="b"
        )
    assert not Announcement.objects.exists()


def test_parent_with_several_children_switches(world, client_for):
    w = world
    son = F.UserFactory(school=w.school, first_name="Степан", last_name="Иванов")
    F.EnrollmentFactory(school_class=w.other_class, pupil=son)
    F.GuardianshipFactory(parent=w.parent, child=son)
    c = client_for(w.parent)
    resp = c.get(reverse("diary:index"))
    assert resp.status_code == 302
    html = c.get(reverse("diary:week", args=[w.pupil.pk])).content.decode()
    assert reverse("diary:week", args=[son.pk]) in html and "Степан" in html
    assert c.get(reverse("diary:week", args=[son.pk])).status_code == 200
    assert c.get(reverse("diary:week", args=[w.other_pupil.pk])).status_code == 404
    # A pupil sees only self.
    p = client_for(w.pupil)
    assert p.get(reverse("diary:week", args=[w.pupil.pk])).status_code == 200
    assert p.get(reverse("diary:week", args=[son.pk])).status_code == 404
