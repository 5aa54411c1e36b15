"""What a client reads from the register's answer to a cell save (static/js/grid.js does the
same): shared by the bench (bench/cases_journal.py) and the peak load (loadtest/), which
must not import the app."""

import re


def version_of(body, work_id):
    """The saved mark's version: the register's cell lists its works (data-ws) and their
    value:version (data-m) in the same order; the old cell has data-v."""
    ws = re.search(rb'data-ws="([\d,]*)"', body)
    if ws:
        ids = ws.group(1).decode().split(",")
        items = re.search(rb'data-m="([^"]*)"', body).group(1).decode().split("|")
        return int(items[ids.index(str(work_id))].split(":")[1])
    return int(re.search(rb'data-v="(\d+)"', body).group(1))
