"""Issue 5: a parent's week view and marks-by-subject view; issue 20: the family home; over HTTP."""

from django.urls import reverse

from bench import case


def _parent_and_child():
    from accounts import roles as R
    from demo.logins import demo_accounts

    accounts = dict(demo_accounts())
    parent = accounts[R.PARENT]
    child = parent.children_links.order_by("-child__enrollments__school_class__grade").first().child
    return parent, child


@case("diary_week")
def diary_week(ctx):
    parent, child = _parent_and_child()
    http = ctx.server.session(parent)
    url = reverse("diary:week", kwargs={"pupil_id": child.pk})

    def run():
        http.get(url)

    run.over_http = True
    return run


@case("diary_subject")
def diary_subject(ctx):
    parent, child = _parent_and_child()
    http = ctx.server.session(parent)
    url = reverse("diary:marks", kwargs={"pupil_id": child.pk})

    def run():
        http.get(url)

    run.over_http = True
    return run


@case("family_home")
def family_home(ctx):
    """Issue 20: the parent's home page, her children's news (≤ 10 queries)."""
    parent, _child = _parent_and_child()
    http = ctx.server.session(parent)
    url = reverse("home")

    def run():
        http.get(url)

    run.over_http = True
    return run
