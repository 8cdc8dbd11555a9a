"""Issue 11 Low #10: the site, the Wagtail admin and the H5P player work under the Content-Security-
Policy. Every `securitypolicyviolation` event, in any frame, and every console message about the policy
is a failure. The pages are the demo data (`seed_demo`), visited as learner and as Admin BPSDM."""

import io
import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.browser.conftest import PHONE, close_quietly

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("own_media_root", "fresh_content_types")]

LISTEN = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolation && window.__cspViolation({
    directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile + ':' + event.lineNumber,
    sample: event.sample, document: event.documentURI,
  });
}, true);
"""


@pytest.fixture
def demo(own_media_root):
    from courses.models import CoursePage

    call_command("seed_demo", stdout=io.StringIO())
    # These tests are about the policy, not the pre-test gate: every lesson opens for the learner.
    CoursePage.objects.update(pretest_before_modules=False)


class Watched:
    """A browser page whose CSP violations (events in every frame, console reports) are collected."""

    def __init__(self, browser, base_url, viewport):
        self.context = browser.new_context(viewport=viewport, base_url=base_url, timezone_id="Asia/Jakarta")
        self.violations: list[dict] = []
        self.context.expose_binding("__cspViolation", lambda source, report: self.violations.append(report))
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.page.on("console", self._console)
        self.base_url = base_url

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.violations.append({"console": message.text})

    def sign_in(self, username):
        from django.contrib.auth import get_user_model

        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])

    def visit(self, url, expect_status=(200,)):
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        assert response.status in expect_status, url
        # Policies are enforced with CSP headers: check each document really had one.
        assert "content-security-policy" in response.headers, url
        return response

    def assert_clean(self, where):
        self.page.wait_for_timeout(300)  # violation events are queued as tasks
        assert not self.violations, f"{where}: {json.dumps(self.violations, ensure_ascii=False, indent=1)}"

    def close(self):
        close_quietly(self.context)


def lesson_urls():
    from courses.models import LessonPage
    from quizzes.models import QuizPage

    lessons = [lesson.url for lesson in LessonPage.objects.live().order_by("path")]
    quizzes = [quiz.url for quiz in QuizPage.objects.live().order_by("path")]
    return lessons, quizzes


def test_learner_pages_run_under_the_policy(browser, live_server, demo):
    lessons, quizzes = lesson_urls()
    watched = Watched(browser, live_server.url, PHONE)
    try:
        watched.visit("/")
        watched.visit("/masuk/")
        watched.visit("/halaman-yang-tidak-ada/", expect_status=(404,))
        watched.assert_clean("signed out")

        watched.sign_in("peserta")
        for url in ["/", "/dasbor/", "/katalog/", "/katalog-kursus/"]:
            watched.visit(url)
            watched.assert_clean(url)
        for url in lessons:
            watched.visit(url, expect_status=(200, 403))  # 403: a lesson still locked for this learner
            watched.assert_clean(url)

        # A quiz attempt: start it, answer, move on (the attempt script saves answers by fetch()).
        watched.visit(quizzes[0])
        start = watched.page.locator("form[action*='/mulai/'] button[type=submit]")
        if start.count():
            start.first.click()
            watched.page.wait_for_url(re.compile(r"/kuis/percobaan/\d+/"))
            choice = watched.page.locator("input[type=radio], input[type=checkbox]")
            if choice.count():
                choice.first.check()
                watched.page.wait_for_timeout(1500)
        watched.assert_clean("quiz attempt")
    finally:
        watched.close()


def test_the_h5p_player_runs_under_the_policy(browser, live_server, demo):
    lesson = next(_lessons_with_h5p(), None)
    assert lesson is not None, "the demo places H5P content in a lesson"
    watched = Watched(browser, live_server.url, PHONE)
    try:
        watched.sign_in("peserta")
        watched.visit(lesson.url)
        start = watched.page.locator("[data-h5p-start]")
        if start.count() and start.first.is_visible():
            start.first.click()
        frame = watched.page.locator("[data-h5p-player] iframe").first
        frame.wait_for(state="attached")
        assert "allow-same-origin" not in (frame.get_attribute("sandbox") or "allow-same-origin")
        watched.page.wait_for_timeout(3000)
        watched.assert_clean("H5P player")
    finally:
        watched.close()


def _lessons_with_h5p():
    from courses.models import LessonPage

    for lesson in LessonPage.objects.live().order_by("path"):
        if any(block.block_type == "h5p" for block in lesson.body):
            yield lesson


def test_the_wagtail_admin_runs_under_its_policy(browser, live_server, demo):
    from courses.models import CourseIndexPage, LessonPage
    from quizzes.models import QuizPage

    catalogue = CourseIndexPage.objects.first()
    lesson = LessonPage.objects.order_by("path").first()
    quiz = QuizPage.objects.order_by("path").first()
    watched = Watched(browser, live_server.url, {"width": 1280, "height": 900})
    try:
        watched.sign_in("admin")
        for url in [
            "/admin/",
            f"/admin/pages/{catalogue.pk}/",
            f"/admin/pages/{quiz.pk}/edit/",
            "/admin/snippets/people/asnprofile/",
            "/admin/snippets/quizzes/question/",
            "/admin/snippets/quizzes/question/add/",
            "/admin/laporan/",
            "/admin/laporan/penyelesaian/",
            "/admin/laporan/jp/",
            "/admin/laporan/kuis/",
            "/admin/reports/site-history/",
            "/admin/reports/locked/",
            "/admin/images/",
            "/admin/images/multiple/add/",
            "/admin/documents/multiple/add/",
            "/admin/kuis/",
            "/admin/users/",
        ]:
            watched.visit(url)
            watched.assert_clean(url)

        # The page editor: add a StreamField block, open the image chooser and its upload tab.
        page = watched.page
        watched.visit(f"/admin/pages/{lesson.pk}/edit/")
        page.locator(".c-sf-add-button").first.click()
        page.locator("[role=option]", has_text="Gambar").first.click()
        page.locator("button[data-chooser-action-choose]:visible").first.click()
        page.get_by_role("heading", name="Pilih sebuah gambar").wait_for()
        page.get_by_role("tab", name="Unggah").click()
        page.locator("input[type=file]:visible").first.wait_for()
        watched.assert_clean("page editor with the image chooser")
    finally:
        watched.close()
