"""The one reports page: a form of report type, class (or journal), period or month, format
(docs/DESIGN.md §4.5). A plain GET form that the `choose` view turns into a redirect to the
report's own URL, so it works without script; the choices are the user's scope only, so a
class or journal outside it is a form error, not a report.

The last choice is kept in the session (`LAST`), and so are the latest downloads
(`DOWNLOADS`), listed above the form with the user's recent jobs.
"""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from journal import roles as R

from . import access, registry
from .params import default_month

LAST = "reports.last"
DOWNLOADS = "reports.downloads"
DOWNLOADS_KEPT = 8

FORMATS = (
    ("html", gettext_lazy("на экране")),
    ("pdf", gettext_lazy("PDF")),
    ("xlsx", gettext_lazy("XLSX (таблица)")),
)
SCOPE_GROUPS = (
    (registry.CLASS, gettext_lazy("По классу")),
    (registry.ASSIGNMENT, gettext_lazy("По предмету")),
    (registry.SCHOOL, gettext_lazy("По школе")),
)


def allowed_kinds(user, *, classes, journals):
    """The kinds this user may build: by scope, the roles the registry names (access.py rules)."""
    staff = access.is_school_staff(user)

    def allowed(k):
        if staff:
            return bool(k.roles & R.WHOLE_SCHOOL_READERS)
        if k.scope == registry.CLASS:
            return R.CLASS_TEACHER in k.roles and bool(classes)
        return k.scope == registry.ASSIGNMENT and R.TEACHER in k.roles and bool(journals)

    return [k for k in registry.KINDS.values() if allowed(k)]


class ReportForm(forms.Form):
    report = forms.ChoiceField(label=gettext_lazy("Отчёт"))
    klass = forms.ChoiceField(label=gettext_lazy("Класс"), required=False)
    journal = forms.ChoiceField(label=gettext_lazy("Предмет (журнал)"), required=False)
    period = forms.ChoiceField(label=gettext_lazy("Период"), required=False)
    month = forms.CharField(
        label=gettext_lazy("Месяц"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    date = forms.DateField(
        label=gettext_lazy("На дату"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(label=gettext_lazy("Формат"), choices=FORMATS, initial="html")

    def __init__(self, data=None, *, user, year, **kw):
        super().__init__(data, **kw)
        self.user, self.year = user, year
        staff = access.is_school_staff(user)
        if year is None:
            classes, journals = [], []
        elif staff:
            classes = list(year.classes.order_by("grade", "letter"))
            journals = list(
                access.J.assignments_readable(user)
                .filter(school_class__year=year)
                .select_related("school_class", "group", "subject")
                .order_by("school_class__grade", "school_class__letter", "subject__order", "subject__name")
            )
        else:
            classes = list(access.own_classes(user, year).order_by("grade", "letter"))
            journals = list(access.own_assignments(user, year))
        self.classes = {str(c.pk): c for c in classes}
        self.journals = {str(a.pk): a for a in journals}
        self.kinds = {k.code: k for k in allowed_kinds(user, classes=classes, journals=journals)}
        self.fields["report"].choices = [
            (str(label), [(k.code, k.title) for k in self.kinds.values() if k.scope == scope])
            for scope, label in SCOPE_GROUPS
            if any(k.scope == scope for k in self.kinds.values())
        ]
        # With script, choosing a report asks the page again and shows only the fields that
        # report reads (views.index, HX-Request); without it every field stays.
        self.fields["report"].widget.attrs.update(
            {
                "hx-get": reverse("reports:index"),
                "hx-trigger": "change",
                "hx-include": "closest form",
                "hx-target": "closest form",
                "hx-select": ".rpt-form",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["klass"].choices = [("", "—")] + [(pk, str(c)) for pk, c in self.classes.items()]
        by_class = {}
        for pk, a in self.journals.items():
            by_class.setdefault(str(a.school_class), []).append((pk, f"{a.group or a.school_class} · {a.subject}"))
        self.fields["journal"].choices = [("", "—")] + list(by_class.items())
        periods = (
            sorted(year.periods.all(), key=lambda p: (p.scheme == p.Scheme.YEAR, p.scheme, p.number)) if year else []
        )
        self.periods = {str(p.pk): p for p in periods}
        self.fields["period"].choices = [("", _("текущий (или весь год)"))] + [
            (pk, str(p)) for pk, p in self.periods.items()
        ]
        if year is not None:
            self.fields["month"].initial = f"{default_month(year, timezone.localdate()):%Y-%m}"

    def relevant(self) -> set:
        """The fields the chosen report reads (all of them before a report is chosen)."""
        raw = self.data.get("report") if self.is_bound else self.initial.get("report")
        kind = self.kinds.get(raw)
        if kind is None:
            return set(self.fields)
        out = {"report", "format"}
        out.add({registry.CLASS: "klass", registry.ASSIGNMENT: "journal"}.get(kind.scope, ""))
        out.add(
            {registry.PERIOD: "period", registry.UP_TO: "period", registry.MONTH: "month", registry.DAY: "date"}.get(
                kind.param, ""
            )
        )
        return out - {""}

    def clean(self):
        data = super().clean()
        kind = self.kinds.get(data.get("report"))
        if kind is None:
            return data
        if kind.scope == registry.CLASS and not data.get("klass"):
            self.add_error("klass", _("Выберите класс: этот отчёт строится по классу."))
        if kind.scope == registry.ASSIGNMENT and not data.get("journal"):
            self.add_error("journal", _("Выберите предмет (журнал): этот отчёт строится по журналу учителя."))
        if data.get("format") == "xlsx" and not kind.table:
            self.add_error("format", _("Этот отчёт выгружается только в PDF."))
        if kind.param == registry.MONTH and data.get("month"):
            from ejournal.params import parse_month

            if parse_month(data["month"]) is None:
                self.add_error("month", _("Месяц указан неверно: нужен вид ГГГГ-ММ."))
        data["kind"] = kind
        return data

    def target(self) -> str:
        """The URL of the chosen report (a page, or its file)."""
        d = self.cleaned_data
        kind, fmt = d["kind"], d["format"]
        if kind.long:
            fmt = "html"  # ordered as a job from its page (docs/DESIGN.md §4.5)
        query = {}
        if kind.param in (registry.PERIOD, registry.UP_TO) and d.get("period"):
            query["period"] = d["period"]
        if kind.param == registry.MONTH and d.get("month"):
            query["month"] = d["month"]
        if kind.param == registry.DAY and d.get("date"):
            query["date"] = d["date"].isoformat()
        if kind.long and d["format"] != "html":
            query["format"] = d["format"]
        if kind.scope == registry.CLASS:
            name, args = "reports:class_report", [int(d["klass"]), kind.code]
        elif kind.scope == registry.ASSIGNMENT:
            name, args = "reports:assignment_report", [int(d["journal"]), kind.code]
        else:
            name, args = "reports:school_report", [kind.code]
            query["year"] = self.year.pk
        url = reverse(name if fmt == "html" else f"{name}_file", kwargs=_kwargs(args, fmt))
        return f"{url}?{urlencode(query)}" if query else url

    def remembered(self) -> dict:
        d = self.cleaned_data
        return {
            "report": d["report"],
            "klass": d.get("klass") or "",
            "journal": d.get("journal") or "",
            "period": d.get("period") or "",
            "month": d.get("month") or "",
            "format": d["format"],
        }


def _kwargs(args, fmt):
    kw = {"pk": args[0], "kind": args[1]} if len(args) == 2 else {"kind": args[0]}
    if fmt != "html":
        kw["fmt"] = fmt
    return kw


def initial(request, form_year) -> dict:
    """The last choice of this session, if it still fits the year shown."""
    last = dict(request.session.get(LAST) or {})
    return {k: v for k, v in last.items() if isinstance(v, str)}


def record_download(request, title, url, filename):
    """Keep the latest downloads of the session (newest first) for the reports page."""
    items = [d for d in request.session.get(DOWNLOADS, []) if d.get("url") != url]
    items.insert(0, {"title": str(title)[:300], "url": url, "name": filename, "at": timezone.now().isoformat()})
    request.session[DOWNLOADS] = items[:DOWNLOADS_KEPT]
