"""Every reports/ row of the access matrix, requested as every persona and anonymously."""

import pytest
from django.urls import reverse

from tests.access_matrix.reports import ROWS

PERSONAS = ["teacher", "class_teacher", "parent", "other_parent", "pupil", "deputy", "director", "admin", "outsider"]


@pytest.mark.parametrize("i", range(len(ROWS)), ids=lambda i: f"{ROWS[i].name}-{i}")
def test_reports_access_row(i, world, client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    row = ROWS[i]
    for persona in PERSONAS + [None]:
        client.logout()
        if persona:
            client.force_login(world.personas[persona])
        url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
        data = row.data(world) if row.data else None
        resp = client.post(url, data) if row.method == "POST" else client.get(url)
        if persona is None:
            assert resp.status_code == 302 and "/login/" in resp["Location"], (url, resp.status_code)
            continue
        expected = row.status_for(persona)
        assert resp.status_code == expected, (row.name, row.note, persona, url, resp.status_code)
