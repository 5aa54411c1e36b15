import os

from django.core.wsgi import get_wsgi_application

from .checks import refuse_insecure_start

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
application = get_wsgi_application()
# gunicorn runs no system checks: refuse here to serve on the development key.
refuse_insecure_start()
