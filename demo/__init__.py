"""The demo data app: a realistic Russian school (or a small one for tests, or a district).

Its own Django app (no models, no migrations) for `manage.py seed_demo` and
`manage.py demo_logins`. The generator's entry points are in demo.seeding; this
package imports nothing so that Django can load the app before the models.
"""
