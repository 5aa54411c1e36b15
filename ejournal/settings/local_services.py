"""Addresses of the project-local services (scripts/services.sh) and Redis URL helpers.

The checkout's own PostgreSQL and Redis listen on Unix sockets under var/ so that
checkouts never collide on a port; Redis clients and the Celery broker spell a socket
address differently, so the settings derive one from the other here.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def redis_with_db(url: str, db: int) -> str:
    """The same Redis server, another database number."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str(db)
        return f"unix://{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def celery_broker_url(redis_url: str) -> str:
    """kombu names a socket `redis+socket://path?virtual_host=db`; redis-py says `unix://path?db=db`."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    db = dict(parse_qsl(parts.query)).get("db", "0")
    return f"redis+socket://{parts.path}?virtual_host={db}"
