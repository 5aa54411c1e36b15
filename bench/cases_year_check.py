"""Issue 16: the year-end check page «Закрытие учебного года» for the director (≤ 20 queries)."""

from django.urls import reverse

from bench import case


@case("year_end_check", repeat=10, demo="small")
def year_end_check(ctx):
    from accounts.models import RoleAssignment

    school_role = RoleAssignment.objects.filter(role=RoleAssignment.Role.DIRECTOR).order_by("school_id").first()
    http = ctx.server.session(school_role.user)
    url = reverse("journal:year_end")

    def run():
        http.get(url)

    run.over_http = True
    run.note = "the director's check of the small demo school"
    return run
