"""A region's evening peak (docs/DEPLOY.md "A region's evening peak"): families read
diaries and marks, teachers open their grade pages and save marks, deputies read the
control page and reports. Started by loadtest/peak.py (`make peak`), which signs the
people in and writes LOADTEST_PEOPLE; this file imports nothing of the app.

A teacher's saves go to her own lesson's cells, each with the version the last answer
gave (as the grid does), so a conflict (409) is a real lost update and counts as a failure.
"""

import itertools
import json
import os
import random
import secrets

from locust import HttpUser, between, task

from bench.cells import version_of

PEOPLE = json.load(open(os.environ["LOADTEST_PEOPLE"]))  # noqa: SIM115 (read once at start)
_next = {kind: itertools.count() for kind in PEOPLE}


def _take(kind):
    """The next person of a kind; None when every one is already someone's (teachers)."""
    i = next(_next[kind])
    people = PEOPLE[kind]
    if kind == "teachers":
        return people[i] if i < len(people) else None
    return people[i % len(people)]


class _SignedIn(HttpUser):
    abstract = True
    kind = ""

    def on_start(self):
        self.person = _take(self.kind)
        if self.person is None:
            return
        self.csrf = secrets.token_hex(16)  # Django takes any 32-character token with its cookie
        for name, value in {**self.person["cookies"], "csrftoken": self.csrf}.items():
            self.client.cookies.set(name, value)

    def get(self, url, name):
        with self.client.get(url, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")


class Family(_SignedIn):
    """A parent or pupil after dinner: the week, the marks, the home page."""

    weight = 90
    kind = "families"
    wait_time = between(2, 8)

    @task(5)
    def week(self):
        self.get(self.person["week"], "diary: week")

    @task(3)
    def marks(self):
        self.get(self.person["marks"], "diary: marks by subject")

    @task(2)
    def home(self):
        self.get("/", "home")


class Teacher(_SignedIn):
    """A teacher filling in the day's journal: grade page, lesson page, marks."""

    weight = 9
    kind = "teachers"
    wait_time = between(2, 6)

    @task(2)
    def grid(self):
        if self.person:
            self.get(self.person["grid"], "journal: grade page")

    @task(1)
    def lesson(self):
        if self.person:
            self.get(self.person["lesson"], "journal: lesson page")

    @task(5)
    def save_mark(self):
        if not self.person:
            return
        versions = self.person["versions"]
        pupil = random.choice(list(versions))
        data = {
            "k": "m",
            "p": pupil,
            "v": versions[pupil],
            "value": random.choice("2345"),
            "s": self.person["work"],
            "g": self.person["period"],
            # changing a mark of a past lesson takes a reason (docs/DESIGN.md §3.10)
            "reason": "исправление после проверки",  # i18n: data
        }
        headers = {"HX-Request": "true", "X-CSRFToken": self.csrf, "Referer": self.host + "/"}
        with self.client.post(
            self.person["cell"], data, headers=headers, name="journal: save a mark", catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
                return
            versions[pupil] = version_of(r.content, self.person["work"])


class Deputy(_SignedIn):
    """A deputy director checking the day: control page, reports."""

    weight = 1
    kind = "deputies"
    wait_time = between(5, 15)

    @task
    def page(self):
        url = random.choice(self.person["pages"])
        self.get(url, "deputy: " + url.strip("/").split("/")[0])
