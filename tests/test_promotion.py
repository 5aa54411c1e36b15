"""Promotion by the director's order (docs/DESIGN.md §3.26): the order,
the decisions proposed from the final marks, confirmed class by class or for the whole
school; the new year's enrollments written, the old year left alone but for the open
enrollments' end."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import AuditEvent, RoleAssignment
from journal.models import Enrollment, PeriodMark, PromotionDecision, SchoolClass, StudyPeriod
from journal.services import new_year
from journal.services import promotion as service
from journal.services.errors import NotAllowed, ServiceError

from . import factories as F

pytestmark = pytest.mark.django_db
D = PromotionDecision.Decision


def _next_year(world):
    return new_year.create_next_year(
        world.admin, from_year_id=world.year.pk, name="2027/2028", start=date(2027, 9, 1), end=date(2028, 5, 31)
    )


@pytest.fixture
def nxt(world):
    return _next_year(world)


@pytest.fixture
def order(world, nxt):
    return service.record_order(world.director, year_id=world.year.pk, number="112-о", date=date(2027, 5, 28))


def _year_mark(world, pupil, value, kind=PeriodMark.Kind.YEAR):
    year_period = world.year.periods.get(scheme=StudyPeriod.Scheme.YEAR)
    return F.PeriodMarkFactory(assignment=world.assignment, pupil=pupil, period=year_period, kind=kind, value=value)


def test_no_order_before_the_next_year_exists(world):
    with pytest.raises(ServiceError, match="Следующего учебного года после 2026/2027 ещё нет"):
        service.record_order(world.director, year_id=world.year.pk, number="112-о", date=date(2027, 5, 28))


def test_the_administrator_may_record_the_order_a_deputy_may_not(world, nxt):
    order = service.record_order(world.admin, year_id=world.year.pk, number="7", date=date(2027, 5, 28))
    assert order.recorded_by == world.admin
    with pytest.raises(NotAllowed):
        service.record_order(world.deputy, year_id=world.year.pk, number="8", date=date(2027, 5, 28))
    with pytest.raises(ServiceError, match="уже внесён"):
        service.record_order(world.director, year_id=world.year.pk, number="7", date=date(2027, 5, 29))


def test_a_failing_year_mark_proposes_conditional_promotion_with_that_subject(world, order):
    _year_mark(world, world.pupil, "2")
    [p] = service.propose(world.year, [world.klass])
    assert (p.decision, p.debts) == (D.CONDITIONAL, [world.subject])
    _year_mark(world, world.pupil, "3", kind=PeriodMark.Kind.FINAL)  # the final mark wins
    [p] = service.propose(world.year, [world.klass])
    assert (p.decision, p.debts) == (D.PROMOTED, [])


def test_an_eleventh_grader_is_proposed_graduated_and_may_not_be_promoted(world, nxt):
    klass = F.ClassFactory(year=world.year, grade=11, letter="А")
    pupil = F.EnrollmentFactory(school_class=klass).pupil
    order = service.record_order(world.director, year_id=world.year.pk, number="1", date=date(2027, 6, 20))
    [p] = service.propose(world.year, [klass])
    assert p.decision == D.GRADUATED
    with pytest.raises(ServiceError, match="выпускника не переводят"):
        service.promote_class(
            world.director, order_id=order.pk, class_id=klass.pk, choices={pupil.pk: (D.PROMOTED, [])}
        )
    service.promote_class(world.director, order_id=order.pk, class_id=klass.pk)
    e = Enrollment.objects.get(pupil=pupil)
    assert (e.end, e.end_reason, e.end_order) == (world.year.end, Enrollment.Movement.GRADUATED, "1")


def test_promoting_a_class_moves_its_pupils_into_the_next_class(world, nxt, order):
    decisions = service.promote_class(world.director, order_id=order.pk, class_id=world.klass.pk)
    six_a = SchoolClass.objects.get(year=nxt, grade=6, letter="А")
    assert [d.to_class for d in decisions] == [six_a]
    old = Enrollment.objects.get(pupil=world.pupil, school_class=world.klass)
    new = Enrollment.objects.get(pupil=world.pupil, school_class=six_a)
    assert (old.end, old.end_reason, old.end_order, old.end_order_date) == (
        world.year.end, Enrollment.Movement.PROMOTED, "112-о", date(2027, 5, 28))  # fmt: skip
    assert (new.start, new.start_reason, new.start_order) == (nxt.start, Enrollment.Movement.PROMOTED, "112-о")
    assert decisions[0].new_enrollment == new
    assert AuditEvent.objects.filter(action="promotion.decide", object_id=str(decisions[0].pk)).exists()
    assert AuditEvent.objects.filter(action="enrollment.end", object_id=str(old.pk)).exists()
    assert AuditEvent.objects.filter(action="enrollment.create", object_id=str(new.pk)).exists()


def test_conditional_promotion_keeps_its_debts_and_a_repeat_year_stays_in_the_grade(world, nxt, order):
    choices = {world.pupil.pk: (D.CONDITIONAL, [world.subject.pk])}
    [d] = service.promote_class(world.director, order_id=order.pk, class_id=world.klass.pk, choices=choices)
    assert list(d.debts.all()) == [world.subject]
    assert Enrollment.objects.get(pupil=world.pupil, school_class__year=nxt).start_reason == "conditional"
    F.ClassFactory(year=nxt, grade=5, letter="Б")
    [d] = service.promote_class(world.director, order_id=order.pk, class_id=world.other_class.pk,
                                choices={world.other_pupil.pk: (D.REPEATED, [])})  # fmt: skip
    assert str(d.to_class) == "5Б" and d.to_class.year == nxt


def test_conditional_without_debts_is_refused(world, order):
    with pytest.raises(ServiceError, match="отметьте её предметы"):
        service.promote_class(world.director, order_id=order.pk, class_id=world.klass.pk,
                              choices={world.pupil.pk: (D.CONDITIONAL, [])})  # fmt: skip
    assert not PromotionDecision.objects.exists()


def test_a_pupil_is_not_promoted_twice(world, order):
    service.promote_class(world.director, order_id=order.pk, class_id=world.klass.pk)
    with pytest.raises(ServiceError, match="уже внесены"):
        service.promote_class(world.director, order_id=order.pk, class_id=world.klass.pk)
    with pytest.raises(ServiceError, match="второй раз ученика не переводят"):
        service.promote_class(world.director, order_id=order.pk, class_id=world.klass.pk,
                              choices={world.pupil.pk: (D.PROMOTED, [])})  # fmt: skip
    assert Enrollment.objects.filter(pupil=world.pupil).count() == 2


def test_the_whole_school_at_once_resumes_where_it_stopped(world, nxt, order):
    service.promote_class(world.director, order_id=order.pk, class_id=world.klass.pk)
    decisions = service.promote_school(world.director, order_id=order.pk)
    assert [d.pupil for d in decisions] == [world.other_pupil]
    assert Enrollment.objects.get(pupil=world.other_pupil, school_class__year=nxt).school_class.letter == "Б"
    with pytest.raises(ServiceError, match="уже внесены"):
        service.promote_school(world.director, order_id=order.pk)


def test_one_refusal_writes_nothing_for_the_whole_school(world, nxt, order):
    SchoolClass.objects.filter(year=nxt, letter="Б").delete()  # 5Б has nowhere to go
    with pytest.raises(ServiceError, match="нет класса в новом учебном году"):
        service.promote_school(world.director, order_id=order.pk)
    assert not PromotionDecision.objects.exists()
    assert Enrollment.objects.get(pupil=world.pupil).end is None


def test_a_pupil_already_enrolled_in_the_new_year_is_named(world, nxt, order):
    six_a = SchoolClass.objects.get(year=nxt, grade=6, letter="А")
    Enrollment.objects.filter(pupil=world.pupil, school_class=world.klass).update(end=date(2027, 5, 31))
    F.EnrollmentFactory(school_class=six_a, pupil=world.pupil, start=date(2027, 9, 1))
    with pytest.raises(ServiceError, match="Иванова Мария .* уже зачислен"):
        service.promote_class(world.director, order_id=order.pk, class_id=world.klass.pk)


def test_the_secretary_may_not_promote(world, order):
    secretary = F.UserFactory(school=world.school)
    F.RoleFactory(user=secretary, role=RoleAssignment.Role.SECRETARY)
    with pytest.raises(NotAllowed):
        service.promote_class(secretary, order_id=order.pk, class_id=world.klass.pk)


# --- the pages -------------------------------------------------------------------------------


def test_the_class_page_proposes_and_confirms(world, nxt, order, client_for):
    _year_mark(world, world.pupil, "2")
    client = client_for(world.director)
    url = reverse("journal:promotion_class", kwargs={"order": order.pk, "pk": world.klass.pk})
    html = client.get(url).content.decode()
    assert '<option value="conditional" selected>' in html
    response = client.post(
        url, {f"decision_{world.pupil.pk}": "conditional", f"debts_{world.pupil.pk}": [world.subject.pk]}
    )
    assert response.status_code == 302
    d = PromotionDecision.objects.get(pupil=world.pupil)
    assert d.decision == D.CONDITIONAL and list(d.debts.all()) == [world.subject]


def test_a_refusal_on_the_class_page_keeps_the_choices(world, order, client_for):
    url = reverse("journal:promotion_class", kwargs={"order": order.pk, "pk": world.klass.pk})
    response = client_for(world.director).post(url, {f"decision_{world.pupil.pk}": "graduated"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Выпустить можно только из 9 или 11 класса" in html
    assert '<option value="graduated" selected>' in html
    assert not PromotionDecision.objects.exists()


def test_the_order_page_refuses_without_a_next_year(world, client_for):
    url = reverse("journal:promotion_order_add", kwargs={"pk": world.year.pk})
    response = client_for(world.director).post(url, {"number": "112-о", "date": "2027-05-28"})
    assert response.status_code == 422
    assert "Следующего учебного года после 2026/2027 ещё нет" in response.content.decode()
    assert 'value="112-о"' in response.content.decode()


def test_the_director_home_card_leads_to_the_promotion(world, client_for):
    with time_machine.travel(datetime(2027, 6, 2, 12, tzinfo=ZoneInfo("Europe/Moscow"))):
        html = client_for(world.director).get(reverse("home")).content.decode()
    assert reverse("journal:promotion") in html
    assert reverse("journal:setup_new_year") not in html
