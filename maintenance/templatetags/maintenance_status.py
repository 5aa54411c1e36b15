"""The administrator's home page: last backup, last successful drill, their sizes."""

from django import template

from ..models import BackupRun, RestoreDrill

register = template.Library()


@register.inclusion_tag("maintenance/_status.html")
def backup_status():
    return {
        "last_backup": BackupRun.objects.exclude(status=BackupRun.Status.RUNNING).first(),
        "last_ok_backup": BackupRun.objects.filter(status=BackupRun.Status.OK).first(),
        "last_drill": RestoreDrill.objects.first(),
        "last_ok_drill": RestoreDrill.objects.filter(status=RestoreDrill.Status.OK).first(),
    }
