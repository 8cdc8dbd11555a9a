"""Journey: a learner opens a lesson, the H5P player renders inside it, they answer; the score and the
completion show on their page, in the trainer's results view, and on their course progress."""

import re

import pytest
from django.conf import settings
from django.test import Client

from courses.models import Enrolment, LessonProgress
from h5p.models import H5PResult, H5PState, H5PStatement, Requirement
from people.roles import PENGAJAR, PESERTA
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory
from tests.h5p.factories import course_with_h5p, enrol, item

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """The database is restored with its original content type ids; drop ids an earlier flush cached."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def sign_in(page, user, base_url):
    """Reuse Django's session for the browser (signing in through the form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def test_learner_answers_an_h5p_question_and_the_result_reaches_trainer_and_progress(browser, live_server):
    unit = UnitFactory(name="Dinas Kesehatan", code="15.03")
    learner = UserFactory(username="siti", roles=[PESERTA])
    ASNProfileFactory(user=learner, unit=unit, full_name="Siti Rahma, S.Kep.")
    trainer = UserFactory(username="pengajar", roles=[PENGAJAR])
    content = item(title="Kuis: Apa itu ASN?")
    tree = course_with_h5p([(content, Requirement.PASSED)], rule="open", title="Manajemen ASN", slug="manajemen-asn")
    enrol(learner, tree.course)
    tree.course.trainers.add(trainer)  # trainers see the results of the courses that name them
    tree.course.save()
    lesson = tree.lessons[0]

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, learner, live_server.url)

    page.goto(lesson.url)
    player = page.locator("[data-h5p-player]")
    frame = page.frame_locator("iframe.h5p-iframe")
    question = frame.get_by_text("Apa kepanjangan dari ASN?")
    question.wait_for()  # the player started lazily and rendered the content type inside the page
    assert page.locator("iframe.h5p-iframe").get_attribute("title") == "Kuis: Apa itu ASN?"
    assert "Nilai di sini dilaporkan oleh peramban Anda." in player.inner_text()

    frame.get_by_label("Aparatur Sipil Negara").check()
    frame.get_by_role("button", name="Periksa jawaban").click()
    assert frame.get_by_role("status").inner_text() == "Benar!"
    summary = player.locator("[data-h5p-summary]")
    summary.wait_for(state="visible")
    assert re.search(r"Selesai · Lulus · Nilai terbaik: 1 dari 1 · Percobaan: 1", summary.inner_text())

    # The server recorded the question (inside the content) and the whole activity, once each.
    result = H5PResult.objects.get(user=learner, content=content)
    assert (result.attempts, result.best_raw, result.best_max, result.success) == (1, 1, 1, True)
    verbs = sorted(H5PStatement.objects.filter(user=learner).values_list("verb", "is_top_level"))
    assert verbs == [("answered", False), ("completed", True)]
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at is not None
    assert Enrolment.objects.get(user=learner).percent == 100

    # H5P saves the player's state a few seconds after "completed" (CSRF-protected POST from its frame).
    for _ in range(40):
        if H5PState.objects.filter(user=learner, content=content).exists():
            break
        page.wait_for_timeout(250)
    assert '"answered":true' in H5PState.objects.get(user=learner, content=content).data

    # Coming back: the answer is restored.
    page.reload()
    frame = page.frame_locator("iframe.h5p-iframe")
    assert frame.get_by_label("Aparatur Sipil Negara").is_checked()
    assert frame.get_by_role("status").inner_text() == "Benar!"

    # The course page shows the course completed, with its JP.
    page.goto(tree.course.url)
    progress = page.locator("main").inner_text()
    assert "Selesai pada" in progress and "2 JP tercatat" in progress
    assert not errors, errors
    context.close()

    # The trainer sees the learner's attempt, best score and completion, filtered by unit.
    trainer_context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", base_url=live_server.url
    )
    trainer_page = trainer_context.new_page()
    sign_in(trainer_page, trainer, live_server.url)
    trainer_page.goto(f"/admin/h5p/results/?content={content.pk}&unit={unit.pk}")
    table = trainer_page.locator("table.listing")
    row_text = table.locator("tbody tr").first.inner_text()
    assert "Siti Rahma, S.Kep." in row_text and "Dinas Kesehatan" in row_text
    assert "1 / 1" in row_text and "Ya" in row_text
    assert "dilaporkan oleh peramban" in table.locator("thead").inner_text()
    trainer_context.close()


def test_the_player_loads_only_when_it_scrolls_into_view(page, live_server):
    learner = UserFactory(username="budi", roles=[PESERTA])
    content = item(title="Kuis di bawah")
    tree = course_with_h5p([(content, Requirement.COMPLETED)], filler=12, slug="panjang", title="Kursus panjang")
    enrol(learner, tree.course)
    sign_in(page, learner, live_server.url)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(tree.lessons[0].url)
    page.wait_for_load_state("networkidle")
    assert not any("main.bundle.js" in url or "/v/" in url for url in requested), "nothing loads before it is seen"
    page.locator("[data-h5p-player]").scroll_into_view_if_needed()
    page.frame_locator("iframe.h5p-iframe").get_by_text("Apa kepanjangan dari ASN?").wait_for()
    assert sum("main.bundle.js" in url for url in requested) == 1
    assert any(url.endswith(f"/h5p/{content.pk}/v/{content.version}/h5p.json") for url in requested)
