"""One ServiceError base (ejournal.errors): codes, a catalogue of translatable messages,
every app's refusals derived from it, and views that branch on the code."""

from dataclasses import replace
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.compromise import CompromiseError, record_compromise
from accounts.services import AccountError
from accounts.services import NotAllowed as AccountNotAllowed
from ejournal.errors import ServiceError
from journal.services.errors import Conflict, NotAllowed
from journal.services.lessons import PupilNotesError
from reports import params as report_params

from . import factories as F


class Refusal(ServiceError):
    error_messages = {"too_many": _("Слишком много: %(n)s."), "invalid": _("Своя общая причина.")}


def test_messages_come_from_the_catalogue_by_code():
    e = Refusal(code="too_many", n=3)
    assert (e.code, e.message, str(e)) == ("too_many", "Слишком много: 3.", "Слишком много: 3.")
    assert Refusal().message == "Своя общая причина."  # the nearest catalogue wins
    assert Refusal(code="forbidden").message == ServiceError(code="forbidden").message  # inherited
    assert Refusal(code="unknown").message == "Своя общая причина."  # an unknown code: the class's general text
    assert ServiceError("Свой текст.", code="locked").message == "Свой текст."


class Home(ServiceError):
    error_messages = {"home": _("Главная")}  # a message the English catalogue has


def test_catalogue_messages_are_translated_when_read():
    assert NotAllowed().code == "forbidden"
    assert NotAllowed().message == "Недостаточно прав для этого действия."
    with translation.override("ru"):
        e = Home(code="home")
    with translation.override("en"):
        assert e.message == "Home"  # the reader's language, not the raiser's
    with translation.override("ru"):
        assert e.message == "Главная"


def test_every_app_refusal_is_a_service_error_with_a_code():
    for cls in (NotAllowed, Conflict, PupilNotesError, AccountError, AccountNotAllowed, CompromiseError):
        assert issubclass(cls, ServiceError), cls
    assert issubclass(report_params.ParamProblem, ServiceError)
    assert Conflict("x", current_value="5").code == "conflict"
    assert AccountNotAllowed().code == "forbidden"
    assert PupilNotesError({1: "x"}).code == "pupil_notes"


@pytest.mark.django_db
def test_compromise_refusals_carry_codes(world):
    from django.utils import timezone

    with pytest.raises(CompromiseError) as info:
        record_compromise(world.admin, world.admin, learned_at=timezone.now(), reason="x")
    assert info.value.code == "own_account"
    with pytest.raises(CompromiseError) as info:
        record_compromise(world.teacher, world.parent, learned_at=timezone.now(), reason="x")
    assert info.value.code == "forbidden"


def test_report_parameters_report_problems_by_code(db):
    year = F.YearFactory(periods=False)
    kind = report_params.PERIOD
    from reports.registry import KINDS

    period_kind = next(k for k in KINDS.values() if k.param == kind)
    _params, _choices, problems = report_params.parse(period_kind, {"period": "999"}, year=year, scheme="quarter")
    assert [p.code for p in problems] == ["bad_period", report_params.NO_PERIODS]
    month_kind = next(k for k in KINDS.values() if k.param == report_params.MONTH)
    _params, _choices, problems = report_params.parse(month_kind, {"month": "2026-13"}, year=year, scheme="quarter")
    assert [(p.code, p.message) for p in problems] == [
        ("bad_month", "Месяц «2026-13» указан неверно: нужен вид ГГГГ-ММ. Показан текущий месяц.")
    ]


@pytest.mark.django_db
def test_the_report_view_branches_on_the_code_not_the_text(world, client_for, monkeypatch):
    """A class without periods: the report is not built, whatever the message says."""
    year = F.YearFactory(
        school=world.school, name="2027/2028", start=date(2027, 9, 1), end=date(2028, 5, 31), periods=False
    )
    klass = F.ClassFactory(year=year, grade=6, class_teacher=world.class_teacher)
    catalogue = {**report_params.ParamProblem.error_messages, "no_periods": "Периодов пока не завели."}
    monkeypatch.setattr(report_params.ParamProblem, "error_messages", catalogue)
    built = []
    from reports import registry

    kind = registry.KINDS["class_results"]
    monkeypatch.setitem(registry.KINDS, "class_results", replace(kind, build=lambda *a: built.append(a)))
    resp = client_for(world.deputy).get(
        reverse("reports:class_report", kwargs={"pk": klass.pk, "kind": "class_results"})
    )
    assert resp.status_code == 200
    assert built == []
    assert "Периодов пока не завели." in resp.content.decode()
