"""Static files are served compressed by the app itself (WhiteNoise), from one scan of the
static root per process (ejournal/middleware.py `StaticFilesMiddleware`)."""

from django.test import Client

from ejournal.middleware import StaticFilesMiddleware


def test_a_script_is_served_compressed_with_its_type_and_cache_time():
    response = Client().get("/static/js/grid.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"].startswith("text/javascript")
    assert "max-age=60" in response["Cache-Control"]


def test_a_second_handler_reuses_the_first_scan_of_the_static_root():
    first = StaticFilesMiddleware(lambda request: None)
    second = StaticFilesMiddleware(lambda request: None)
    assert "/static/js/grid.js" in first.files
    assert second.files.keys() == first.files.keys()
    # The same file objects: the second did not stat and read the 600 files again.
    assert all(second.files[url] is static for url, static in first.files.items())
