"""The summary sheets of all classes on a real worker: one task per class, joined with pypdf
(issue 19, docs/DESIGN.md §4.5)."""

import io
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports import jobs, summaries
from reports.models import ReportJob

from .test_report_documents import assert_print_frame, pdf_pages, rc  # noqa: F401 (rc: the fixture class)

pytestmark = pytest.mark.celery_worker


@pytest.mark.usefixtures("rc")
def test_a_worker_renders_the_classes_as_tasks_and_joins_them(
    worker_thread, transactional_db, world, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    seen = []
    part = summaries.build_part

    def spy(job_id, class_id):  # the progress each class's task leaves behind
        part(job_id, class_id)
        seen.append(ReportJob.objects.get(pk=job_id).progress)

    summaries.build_part = spy
    try:
        job = jobs.start_job(world.deputy, "school_summaries", {"object": world.year.pk}, title="Сводные")
        with worker_thread():
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
                    break
                time.sleep(0.2)
    finally:
        summaries.build_part = part
    assert job.status == ReportJob.Status.DONE, job.error
    # 5А and 5Б, each rendered by its own task: the first leaves the job half done.
    assert seen[0] < 100 and seen[-1] == 100 and len(seen) == 2
    assert jobs.verify_file(job)
    with job.file.open("rb") as f:
        content = f.read()
    pages = pdf_pages(content)
    assert len(pages) == 2
    assert_print_frame(pages)  # «Стр. i из 2» stamped over the whole, one page per class
    assert "Класс: 5А" in pages[0] and "Класс: 5Б" in pages[1]
    assert "1 четверть 4 1 1 1 0 1 75,0 50,0 60,9 4,00" in pages[0].splitlines()
    assert len(PdfReader(io.BytesIO(content)).pages) == 2
    assert not (Path(settings.MEDIA_ROOT) / "reports" / "parts" / str(job.pk)).exists()
