"""A person at a browser, in plain HTTP: signs in through the real sign-in form (CSRF and all)
and saves a draft return through its form. Shared by tests/test_sqlite_concurrency.py and
bench/sqlite_concurrency.py, which run many of them at once against a live server."""

from __future__ import annotations

import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie


@dataclass
class Answer:
    method: str
    path: str
    status: int
    seconds: float
    body: str = ""
    location: str = ""


class FormFields(HTMLParser):
    """The named fields of one form (by id, or the first form), with the values the page fills in."""

    def __init__(self, form_id: str | None = None):
        super().__init__()
        self.form_id, self.inside, self.done = form_id, False, False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "checkbox", "radio"):
            self.fields[name] = attrs.get("value") or ""
        elif tag == "input" and name and attrs.get("type") in ("checkbox", "radio") and "checked" in attrs:
            self.fields[name] = attrs.get("value") or "on"
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self.fields.setdefault(name, "")
            self._select = name
        elif tag == "option" and "selected" in attrs and getattr(self, "_select", None):
            self.fields[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html: str, form_id: str | None = None) -> dict[str, str]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


@dataclass
class Person:
    """One browser: its own cookies, a new connection per request, every answer kept."""

    host: str
    port: int
    timeout: float = 60.0
    cookies: dict[str, str] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)

    def request(self, method: str, path: str, data: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data) if data is not None else None
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check wants a same-origin Referer or Origin.
            headers["Origin"] = f"http://{self.host}:{self.port}"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            answer = Answer(method, path, response.status, time.perf_counter() - started, text,
                            response.headers.get("Location", ""))  # fmt: skip
        finally:
            connection.close()
        self.answers.append(answer)
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Answer:
        return self.request("POST", path, data)

    def sign_in(self, username: str, password: str) -> bool:
        page = self.get("/accounts/login/")
        if page.status != 200:
            return False
        fields = form_fields(page.body)
        fields.update(username=username, password=password)
        return self.post("/accounts/login/", fields).status == 302

    def save_draft(self, return_pk: int, changes: dict[str, str]) -> bool:
        """Open the return's form, change some figures and press "Save draft"; True if it said saved."""
        path = f"/returns/return/{return_pk}/edit/"
        page = self.get(path)
        if page.status != 200:
            return False
        fields = form_fields(page.body, "return-form")
        fields.update(changes)
        fields["save"] = ""
        answer = self.post(path, fields)
        return answer.status == 302 and answer.location.rstrip("/").endswith(f"/return/{return_pk}")

    def errors(self) -> list[Answer]:
        return [answer for answer in self.answers if answer.status >= 500]
