"""Response headers of the whole project (issue 18, "Headers").

- `ContentSecurityPolicyMiddleware`: django-csp's, on HTML pages. The policy
  (CONTENT_SECURITY_POLICY in the settings) allows scripts, styles, fonts and requests
  from our own origin only: no inline script, no on…= handler, no style attribute
  (static/js/app.js wires the pages by data attributes). PDFs and spreadsheets go
  without it: a browser's PDF viewer is a plugin that `object-src 'none'` would stop.
- `PrivateCacheMiddleware`: `Cache-Control: no-store, private` on every response to a
  signed-in user and on every file, so a diary page or a report stays in no shared
  school computer's cache and no proxy's.
"""

from csp.middleware import CSPMiddleware
from django.http import FileResponse

NO_STORE = "no-store, private"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)


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
