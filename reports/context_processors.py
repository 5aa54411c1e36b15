from django.utils.functional import SimpleLazyObject

WATCH = "reports.watch"  # reports.views.watch: the jobs this session ordered


def ready_jobs(request):
    """The menu's «Отчёты» badge: jobs ordered in this session that are done and not yet
    downloaded. No query at all unless the session ordered a job (docs/DESIGN.md §4.5)."""
    session = getattr(request, "session", None)
    ids = session.get(WATCH) if session is not None else None
    if not ids:
        return {}

    def load():
        from .models import ReportJob

        return list(
            ReportJob.objects.filter(pk__in=ids, created_by=request.user, status=ReportJob.Status.DONE).only(
                "pk", "title"
            )
        )

    return {"nav_ready_jobs": SimpleLazyObject(load)}
