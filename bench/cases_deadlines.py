"""Issue 7: one full run of every deadline check over every school of the demo."""

from django.utils import timezone

from bench import case


@case("deadline_checks", repeat=5)
def deadline_checks(ctx):
    from accounts.models import School
    from journal.control import run_school_checks

    schools = list(School.objects.order_by("pk"))

    def run():
        # notices are the steady state after the first run; no e-mail from a benchmark
        now = timezone.now()
        for school in schools:
            run_school_checks(school, now, notify_people=False)

    return run
