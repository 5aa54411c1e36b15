"""Small pages for a slow connection (issue 20): every family page is under 60 KB of HTML."""

import pytest
from django.urls import reverse

from diary import services

from . import factories as F

pytestmark = pytest.mark.usefixtures("school_day")
LIMIT = 60 * 1024


def test_every_family_page_is_under_60_kb(world, client_for):
    w = world
    for lesson in w.lessons:
        F.HomeworkFactory(lesson=lesson, text="Учебник, параграф 12, упражнения 1–5 " * 5)
        F.MarkFactory(assessment=F.AssessmentFactory(lesson=lesson, work_type=w.work_type), pupil=w.pupil)
    thread = services.start_thread(
        w.teacher, pupil_id=w.pupil.pk, to=f"parent:{w.parent.pk}", subject="Тетрадь", body="Текст " * 500
    )
    pages = [
        reverse("home"),
        reverse("diary:week", args=[w.pupil.pk]),
        reverse("diary:marks", args=[w.pupil.pk]),
        reverse("diary:lesson", args=[w.pupil.pk, w.lessons[0].pk]),
        reverse("diary:inbox"),
        reverse("diary:thread", args=[thread.pk]),
        reverse("diary:announcements"),
        reverse("diary:email_settings"),
        reverse("diary:thread_new"),
    ]
    c = client_for(w.parent)
    for url in pages:
        resp = c.get(url)
        assert resp.status_code == 200, url
        assert len(resp.content) < LIMIT, f"{url}: {len(resp.content)} bytes"
