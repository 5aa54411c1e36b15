"""URLs of the records procedures (issue 4): КТП, объяснительные, замены, причины
пропусков, сбои и временные журналы. Included into journal/urls.py."""

from django.urls import path

from .views_records import absences, corrections, outages, plans, substitutions

urlpatterns = [
    # КТП
    path("records/assignments/<int:pk>/plan/", plans.plan, name="plan"),
    path("records/assignments/<int:pk>/plan/import/", plans.plan_import, name="plan_import"),
    path("records/assignments/<int:pk>/plan/import/confirm/", plans.plan_import_confirm, name="plan_import_confirm"),
    path("records/assignments/<int:pk>/plan/fill/", plans.plan_fill, name="plan_fill"),
    path("records/plan-items/<int:pk>/edit/", plans.plan_item_edit, name="plan_item_edit"),
    path("records/plan-items/<int:pk>/move/", plans.plan_item_move, name="plan_item_move"),
    path("records/plan-items/<int:pk>/delete/", plans.plan_item_delete, name="plan_item_delete"),
    # объяснительные
    path("records/corrections/", corrections.correction_list, name="corrections"),
    path("records/corrections/<int:pk>/", corrections.correction_detail, name="correction"),
    path("records/corrections/<int:pk>/approve/", corrections.correction_approve, name="correction_approve"),
    path("records/corrections/<int:pk>/reject/", corrections.correction_reject, name="correction_reject"),
    path("records/corrections/<int:pk>/pdf/", corrections.correction_pdf, name="correction_pdf"),
    path("records/lessons/<int:pk>/correction/", corrections.correction_lesson_new, name="correction_lesson_new"),
    path(
        "records/assignments/<int:pk>/periods/<int:period>/correction/",
        corrections.correction_period_new,
        name="correction_period_new",
    ),
    path("records/lessons/<int:pk>/unlock/", corrections.lesson_unlock, name="lesson_unlock"),
    # замены
    path("records/substitutions/", substitutions.substitution_log, name="substitutions"),
    path("records/substitutions/new/", substitutions.substitution_new, name="substitution_new"),
    path("records/substitutions/<int:pk>/revoke/", substitutions.substitution_revoke, name="substitution_revoke"),
    # причины пропусков
    path("records/classes/<int:pk>/absences/", absences.absence_reasons, name="absence_reasons"),
    # сбои и временный журнал
    path("records/outages/", outages.outage_list, name="outages"),
    path("records/outages/<int:pk>/", outages.outage_detail, name="outage"),
    path("records/outages/<int:pk>/close/", outages.outage_close, name="outage_close"),
    path("records/outages/<int:pk>/import/", outages.temp_import, name="temp_import"),
    path("records/outages/<int:pk>/import/confirm/", outages.temp_import_confirm, name="temp_import_confirm"),
    path("records/classes/<int:pk>/day-blank/<str:day>/pdf/", outages.day_blank_pdf, name="day_blank_pdf"),
    path("records/classes/<int:pk>/day-blank/<str:day>/xlsx/", outages.day_blank_xlsx, name="day_blank_xlsx"),
]
