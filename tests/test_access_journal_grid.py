"""Runs the journal grid rows of the access matrix for every persona and for an anonymous visitor."""

import pytest
from django.urls import reverse

from .access_matrix.journal_grid import ROWS

PERSONAS = ["teacher", "class_teacher", "parent", "other_parent", "pupil", "deputy", "director", "admin", "outsider"]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.name}:{r.method}:{i}" for i, r in enumerate(ROWS)])
def test_journal_grid_access(world, client, row):
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    data = row.data(world) if row.data else None
    got = {}
    for persona in PERSONAS:
        client.force_login(world.personas[persona])
        resp = client.post(url, data) if row.method == "POST" else client.get(url)
        got[persona] = resp.status_code
        client.logout()
    assert got == {p: row.status_for(p) for p in PERSONAS}
    resp = client.post(url, data) if row.method == "POST" else client.get(url)
    assert resp.status_code == 302 and "/login/" in resp["Location"]
