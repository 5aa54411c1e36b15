from django.db import migrations, models
from django.db.models import F


def running_jobs_beat_at_their_start(apps, schema_editor):
    # Jobs left running by a worker of the old code: as if their last heartbeat was their start.
    ReportJob = apps.get_model("reports", "ReportJob")
    db = schema_editor.connection.alias  # the owner that migrates, not the runtime `default`
    ReportJob.objects.using(db).filter(status="running", heartbeat_at__isnull=True).update(heartbeat_at=F("started_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_archive_protection"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="отметка обработчика"),
        ),
        migrations.RunPython(running_jobs_beat_at_their_start, migrations.RunPython.noop),
    ]
