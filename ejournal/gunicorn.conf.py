"""Gunicorn settings for every start of the web server: `make run` (scripts/serve.sh), the
fault tests, the bench and the systemd unit of docs/DEPLOY.md.

Threads, not sync workers: a sync worker serves one connection at a time from accept to
close, so a few idle browser keep-alive connections (or slow clients) hold all of them
and everyone else waits ("WORKER TIMEOUT … no URI read"). A gthread worker parks idle
and kept-alive connections in its poller and hands a connection to a thread only when a
request has arrived, so idle connections cost a file descriptor, not a worker.
The figures behind the choice are in docs/DEPLOY.md ("Web workers"); bench row
`cell_save_50_idle` measures it.
"""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
worker_class = "gthread"
# One process per core keeps CPU-bound pages (PDF, XLSX) parallel; threads cover waiting on
# PostgreSQL. At most workers × threads database connections (the pool below) must stay well
# under PostgreSQL's max_connections (100 by default).
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "8"))
# Each worker's threads share a pool of at most `threads` PostgreSQL connections (Django's
# psycopg pool, ejournal/settings/databases.py). Set here, before the workers fork and
# import the app; the Celery worker and beat never read this file and keep CONN_MAX_AGE.
os.environ.setdefault("DB_POOL", str(threads))
# Connections one worker accepts at once (idle or not); beyond that the kernel queues them.
worker_connections = int(os.environ.get("WEB_CONNECTIONS", "1000"))
keepalive = 5  # seconds a kept-alive connection may stay idle before the worker closes it (nginx: 4 s, docs/DEPLOY.md)
timeout = 60  # the worker's own heartbeat to the arbiter; requests run in threads meanwhile
graceful_timeout = 30
# A long-running process returns the memory a big export took.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None  # empty: no access log
loglevel = "warning"
