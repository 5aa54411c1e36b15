"""Download names of documents (docs/DESIGN.md §4.5): Latin, with the class, period and date.

`svodnaya-vedomost_8A_1-chetvert_2026-12-03.pdf`: the kind's slug, the class (or the
journal's class and subject), the period or month, the day it was built. Latin so that
every browser and mail client keeps the name; the Cyrillic letter of «8А» becomes «A».
"""

import re

from django.utils import timezone

SLUGS = {
    "attendance_month": "poseshchaemost",
    "preliminary": "predvaritelnyi-otchet",
    "class_period": "otchet-klassnogo-rukovoditelya",
    "class_results": "itogi-uspevaemosti",
    "summary_marks": "svodnaya-vedomost",
    "summary_attendance": "svodnaya-poseshchaemost",
    "movement": "dvizhenie-uchashchikhsya",
    "pupil_results": "itogovye-dannye",
    "class_journal": "klassnyi-zhurnal",
    "subject_preliminary": "predvaritelnyi-otchet-uchitelya",
    "subject_results": "itogi-po-predmetu",
    "subject_summary": "svodnaya-po-predmetu",
    "journal_pages": "stranitsy-zhurnala",
    "movement_dynamics": "dinamika-dvizheniya",
    "class_sizes": "napolnyaemost",
    "control": "kontrolnyi-otchet",
    "school_summaries": "svodnye-vedomosti",
    "activity": "aktivnost",
}

_NOT_SLUG = re.compile(r"[^A-Za-z0-9]+")


def latin(text) -> str:
    """«1 четверть» → «1-chetvert», «8А» → «8A» (GOST-like, ASCII only)."""
    import iuliia

    out = iuliia.WIKIPEDIA.translate(str(text))
    return _NOT_SLUG.sub("-", out).strip("-")


def _period_label(period) -> str:
    from .builders.common import period_name

    return latin(period_name(period))


def document_name(kind_code, obj, params, ext, *, day=None) -> str:
    """The file name of the report `kind_code` over `obj` (class, journal or year) with `params`."""
    from journal.models import AcademicYear, SchoolClass, TeachingAssignment

    parts = [SLUGS.get(kind_code, latin(kind_code))]
    if isinstance(obj, SchoolClass):
        parts.append(latin(obj))
    elif isinstance(obj, TeachingAssignment):
        parts.append(latin(obj.group or obj.school_class))
        parts.append(latin(obj.subject.short_name or obj.subject.name))
    elif isinstance(obj, AcademicYear):
        parts.append(latin(obj.name))
    if params.get("period") is not None:
        parts.append(_period_label(params["period"]))
    elif params.get("month") is not None:
        parts.append(f"{params['month']:%Y-%m}")
    elif params.get("day") is not None:
        parts.append(f"na-{params['day']:%Y-%m-%d}")
    parts.append(f"{day or timezone.localdate():%Y-%m-%d}")
    return "_".join(p for p in parts if p) + f".{ext}"
