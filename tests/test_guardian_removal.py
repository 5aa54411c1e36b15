"""Issue 18, F11: removing a guardian ends their message threads and message delivery
at once — the parent no longer reads or answers the child's threads, receives nothing
new in them, and the unread counter forgets them; staff keep reading the closed thread."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Guardianship
from diary import services
from diary.access import unread_counts
from diary.models import Receipt, Thread
from journal.services.errors import NotAllowed, ServiceError


@pytest.fixture
def thread(world):
    t = services.start_thread(
        world.parent, pupil_id=world.pupil.pk, to=f"teacher:{world.teacher.pk}", subject="Контрольная", body="Когда?"
    )
    services.reply(world.teacher, t, "В четверг.")
    return t


def _remove(world, how):
    link = Guardianship.objects.get(parent=world.parent, child=world.pupil)
    if how == "service":  # the class teacher's procedure
        account_services.remove_guardianship(world.class_teacher, link)
    else:  # the administrator in the Django admin deletes the row
        link.delete()


@pytest.mark.parametrize("how", ["service", "admin"])
def test_a_removed_guardian_loses_the_childs_threads_at_once(world, client_for, thread, how):
    parent = client_for(world.parent)
    assert parent.get(reverse("diary:thread", args=[thread.pk])).status_code == 200
    services.reply(world.teacher, thread, "И ещё: возьмите линейку.")
    assert unread_counts(world.parent)["messages"] == 1

    _remove(world, how)

    assert parent.get(reverse("diary:thread", args=[thread.pk])).status_code == 404
    assert parent.post(reverse("diary:thread", args=[thread.pk]), {"body": "Спасибо"}).status_code == 404
    last = thread.messages.order_by("-pk").first()
    assert parent.get(reverse("diary:message", args=[last.pk])).status_code == 404
    assert "Контрольная" not in parent.get(reverse("diary:inbox")).content.decode()
    assert unread_counts(world.parent)["messages"] == 0
    with pytest.raises(NotAllowed):
        services.reply(world.parent, Thread.objects.get(pk=thread.pk), "Я всё ещё здесь")


def test_nothing_new_reaches_a_removed_guardian(world, client_for, thread):
    _remove(world, "service")
    before = Receipt.objects.filter(recipient=world.parent).count()

    with pytest.raises(ServiceError) as exc:
        services.reply(world.teacher, thread, "Вы получили?")
    assert exc.value.code == "thread_closed"
    assert Receipt.objects.filter(recipient=world.parent).count() == before

    # The teacher still reads the thread, sees why it is closed, and has no reply form.
    teacher = client_for(world.teacher)
    resp = teacher.get(reverse("diary:thread", args=[thread.pk]))
    page = resp.content.decode()
    assert resp.status_code == 200 and "Переписка закрыта" in page and 'class="reply"' not in page
    resp = teacher.post(reverse("diary:thread", args=[thread.pk]), {"body": "Вы получили?"})
    assert resp.status_code == 400 and "больше не законный представитель" in resp.content.decode()
    # Nor may anyone open a new thread with the former guardian about the child.
    with pytest.raises(ServiceError):
        services.start_thread(
            world.teacher, pupil_id=world.pupil.pk, to=f"parent:{world.parent.pk}", subject="a", body="b"
        )
    with pytest.raises(NotAllowed):
        services.start_thread(
            world.parent, pupil_id=world.pupil.pk, to=f"teacher:{world.teacher.pk}", subject="a", body="b"
        )


def test_a_guardian_of_two_children_keeps_the_other_childs_threads(world, client_for, thread):
    from .factories import GuardianshipFactory

    GuardianshipFactory(parent=world.parent, child=world.other_pupil)
    other = services.start_thread(
        world.parent, pupil_id=world.other_pupil.pk, to="administration", subject="Экскурсия", body="Можно?"
    )
    _remove(world, "service")

    parent = client_for(world.parent)
    assert parent.get(reverse("diary:thread", args=[other.pk])).status_code == 200
    assert parent.get(reverse("diary:thread", args=[thread.pk])).status_code == 404
