"""Response headers of the whole project (issue 18, "Headers").

- `ContentSecurityPolicyMiddleware`: django-csp's, on HTML pages. The policy
  (CONTENT_SECURITY_POLICY in the settings) allows scripts, styles, fonts and requests
  from our own origin only: no inline script, no on…= handler, no style attribute
  (static/js/app.js wires the pages by data attributes). PDFs and spreadsheets go
  without it: a browser's PDF viewer is a plugin that `object-src 'none'` would stop.
- `StaticFilesMiddleware`: WhiteNoise, reading the static root once per process.
- `PrivateCacheMiddleware`: `Cache-Control: no-store, private` on every response to a
  signed-in user and on every file, so a diary page or a report stays in no shared
  school computer's cache and no proxy's.
"""

from csp.middleware import CSPMiddleware
from django.db import connection
from django.http import FileResponse
from whitenoise.middleware import WhiteNoiseMiddleware

NO_STORE = "no-store, private"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise stats every file under the static root (600 of them) and builds its
    headers when the middleware is built: 25 ms each time Django builds a handler. A
    server builds one per process, but the test client builds one per client (1,500
    times a suite run). The files are collected before the server starts and never
    change under a running process, so one scan per root serves every handler."""

    _scans: dict = {}

    def add_files(self, root, prefix=None):
        if self.autorefresh:  # development: WhiteNoise looks files up per request
            return super().add_files(root, prefix)
        key = (str(root), prefix, self.max_age, self.charset, self.allow_all_origins)
        if key not in self._scans:
            files, self.files = self.files, {}
            super().add_files(root, prefix)
            self._scans[key], self.files = self.files, files
        self.files.update(self._scans[key])


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or isinstance(response, FileResponse) or response.has_header("Content-Disposition"):
            response["Cache-Control"] = NO_STORE
            if response.has_header("Expires"):
                del response["Expires"]
        return response


class QueryCountHeaderMiddleware:
    """X-Queries: the SQL queries of this request, for the bench's HTTP mode only
    (settings: BENCH_QUERY_HEADER), where the server is a separate gunicorn process."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Queries"] = str(count)
        return response
