# Issue 15, point 4: subgroups formed on the class page, with dated memberships.

import django.contrib.postgres.constraints
import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

import journal.models.structure


def memberships_from_enrollment(apps, schema_editor):
    """Existing memberships had no dates: each starts at the pupil's first enrollment in
    the group's class (the year's start when there is none) and stays open."""
    GroupMembership = apps.get_model("journal", "GroupMembership")
    Enrollment = apps.get_model("journal", "Enrollment")
    db = schema_editor.connection.alias  # the owner that migrates, not the runtime `default`
    first = (
        Enrollment.objects.using(db)
        .filter(pupil_id=OuterRef("pupil_id"), school_class_id=OuterRef("group__school_class_id"))
        .order_by("start")
        .values("start")[:1]
    )
    year_start = (
        apps.get_model("journal", "Group")
        .objects.using(db)
        .filter(pk=OuterRef("group_id"))
        .values("school_class__year__start")[:1]
    )
    for pk, start in (
        GroupMembership.objects.using(db)
        .filter(start__isnull=True)
        .annotate(first=Coalesce(Subquery(first), Subquery(year_start)))
        .values_list("pk", "first")
    ):
        GroupMembership.objects.using(db).filter(pk=pk).update(start=start)


# The membership's split is its group's, kept so by the database: the exclusion constraint
# «one group of a split on a day» needs it on the membership row.
SPLIT_TRIGGERS = """
CREATE FUNCTION journal_groupmembership_split() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.split_id := (SELECT g.split_id FROM journal_group g WHERE g.id = NEW.group_id);
    RETURN NEW;
END $$;
CREATE TRIGGER journal_groupmembership_split BEFORE INSERT OR UPDATE ON journal_groupmembership
    FOR EACH ROW EXECUTE FUNCTION journal_groupmembership_split();

CREATE FUNCTION journal_group_split_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE journal_groupmembership SET split_id = NEW.split_id WHERE group_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER journal_group_split_follow AFTER UPDATE OF split_id ON journal_group
    FOR EACH ROW WHEN (OLD.split_id IS DISTINCT FROM NEW.split_id) EXECUTE FUNCTION journal_group_split_follow();
"""

DROP_SPLIT_TRIGGERS = """
DROP TRIGGER journal_group_split_follow ON journal_group;
DROP FUNCTION journal_group_split_follow();
DROP TRIGGER journal_groupmembership_split ON journal_groupmembership;
DROP FUNCTION journal_groupmembership_split();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0008_input_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="GroupSplit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=40, verbose_name="название")),
                (
                    "school_class",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="splits",
                        to="journal.schoolclass",
                        verbose_name="класс",
                    ),
                ),
            ],
            options={
                "verbose_name": "деление класса на группы",
                "verbose_name_plural": "деления классов на группы",
                "ordering": ["name"],
                "constraints": [models.UniqueConstraint(fields=("school_class", "name"), name="group_split_unique")],
            },
        ),
        migrations.AddField(
            model_name="group",
            name="split",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="groups",
                to="journal.groupsplit",
                verbose_name="деление",
            ),
        ),
        migrations.RemoveField(model_name="group", name="pupils"),
        migrations.AlterModelOptions(
            name="groupmembership",
            options={"ordering": ["start"], "verbose_name": "состав группы", "verbose_name_plural": "составы групп"},
        ),
        migrations.AlterField(
            model_name="groupmembership",
            name="pupil",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="group_memberships",
                to=settings.AUTH_USER_MODEL,
                verbose_name="ученик",
            ),
        ),
        migrations.AddField(
            model_name="groupmembership",
            name="split",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="journal.groupsplit",
                verbose_name="деление",
            ),
        ),
        migrations.AddField(
            model_name="groupmembership",
            name="start",
            field=models.DateField(null=True, verbose_name="в группе с"),
        ),
        migrations.AddField(
            model_name="groupmembership",
            name="end",
            field=models.DateField(blank=True, null=True, verbose_name="в группе по"),
        ),
        migrations.RunPython(memberships_from_enrollment, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="groupmembership",
            name="start",
            field=models.DateField(verbose_name="в группе с"),
        ),
        migrations.RunSQL(SPLIT_TRIGGERS, DROP_SPLIT_TRIGGERS),
        migrations.RemoveConstraint(model_name="groupmembership", name="group_member_unique"),
        migrations.AddIndex(
            model_name="groupmembership",
            index=models.Index(fields=["pupil", "start"], name="group_member_pupil_idx"),
        ),
        migrations.AddConstraint(
            model_name="groupmembership",
            constraint=models.CheckConstraint(
                condition=Q(("end__isnull", True), ("end__gte", F("start")), _connector="OR"),
                name="group_member_range",
                violation_error_message="Дата выхода из группы не может быть раньше даты входа в неё.",
            ),
        ),
        migrations.AddConstraint(
            model_name="groupmembership",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                expressions=[
                    (
                        journal.models.structure.DateRange("start", "end", models.Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                    ("group", RangeOperators.EQUAL),
                    ("pupil", RangeOperators.EQUAL),
                ],
                name="group_member_no_overlap",
                violation_error_message="Ученик уже состоит в этой группе в эти дни.",
            ),
        ),
        migrations.AddConstraint(
            model_name="groupmembership",
            constraint=django.contrib.postgres.constraints.ExclusionConstraint(
                condition=Q(("split__isnull", False)),
                expressions=[
                    (
                        journal.models.structure.DateRange("start", "end", models.Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                    ("split", RangeOperators.EQUAL),
                    ("pupil", RangeOperators.EQUAL),
                ],
                name="group_member_one_of_split",
                violation_error_message="Ученик не может быть в двух группах одного деления в один день.",
            ),
        ),
    ]
