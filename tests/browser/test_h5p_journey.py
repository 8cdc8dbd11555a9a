"""Journey: a learner opens a lesson, the H5P player renders inside it, they answer; the score and the
completion show on their page, in the trainer's results view, and on their course progress."""

import json
import re
import time

import pytest
from django.conf import settings
from django.core.signals import request_started
from django.test import Client

from courses.models import Enrolment, LessonProgress
from h5p import demo_package, services
from h5p.models import H5PResult, H5PState, H5PStatement, Requirement
from people.roles import PENGAJAR, PESERTA
from tests.browser.conftest import close_quietly
from tests.factories import ASNProfileFactory, UnitFactory, UserFactory
from tests.h5p.factories import course_with_h5p, enrol, item, upload

pytestmark = [
    pytest.mark.usefixtures("own_media_root", "fresh_content_types"),
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, user, base_url):
    """Reuse Django's session for the browser (signing in through the form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def test_learner_answers_an_h5p_question_and_the_result_reaches_trainer_and_progress(new_context, live_server):
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

    context = new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, learner, live_server.url)

    page.goto(lesson.url)
    player = page.locator("[data-h5p-player]")
    frame = page.frame_locator("iframe.h5p-player-frame")
    question = frame.get_by_text("Apa kepanjangan dari ASN?")
    question.wait_for()  # the player started lazily and rendered the content type in its sandbox
    player_frame = page.locator("iframe.h5p-player-frame")
    assert player_frame.get_attribute("title") == "Kuis: Apa itu ASN?"
    assert player_frame.get_attribute("sandbox") == "allow-scripts allow-forms"
    # The learner is told what the lesson needs, not how scores travel.
    assert "peramban" not in player.inner_text() and "Luluskan untuk menyelesaikan materi ini." in player.inner_text()
    # Once the player is open, its start button is gone.
    assert not player.get_by_role("button", name="Buka konten interaktif").is_visible()

    frame.get_by_label("Aparatur Sipil Negara").check()
    frame.get_by_role("button", name="Periksa jawaban").click()
    assert frame.get_by_role("status").inner_text() == "Benar!"
    summary = player.locator("[data-h5p-summary]")
    summary.wait_for(state="visible")
    summary.get_by_text("Percobaan: 1").wait_for()
    assert re.sub(r"\s+", " ", summary.inner_text()) == "Selesai Lulus Nilai terbaik: 1 dari 1 Percobaan: 1"

    # The server recorded the question (inside the content) and the whole activity, once each.
    result = H5PResult.objects.get(user=learner, content=content)
    assert (result.attempts, result.best_raw, result.best_max, result.success) == (1, 1, 1, True)
    verbs = sorted(H5PStatement.objects.filter(user=learner).values_list("verb", "is_top_level"))
    assert verbs == [("answered", False), ("completed", True)]
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at is not None
    assert Enrolment.objects.get(user=learner).percent == 100

    # H5P saves the player's state a few seconds after "completed" (the frame hands it to the page,
    # which POSTs it with its CSRF token).
    for _ in range(40):
        if H5PState.objects.filter(user=learner, content=content).exists():
            break
        page.wait_for_timeout(250)
    assert '"answered":true' in H5PState.objects.get(user=learner, content=content).data

    # Coming back: the answer is restored.
    page.reload()
    frame = page.frame_locator("iframe.h5p-player-frame")
    frame.get_by_text("Apa kepanjangan dari ASN?").wait_for()
    assert frame.get_by_label("Aparatur Sipil Negara").is_checked()
    assert frame.get_by_role("status").inner_text() == "Benar!"
    player.get_by_text("Percobaan: 1").wait_for()
    assert H5PResult.objects.get(user=learner, content=content).attempts == 1, "resuming is not an attempt"

    # The course page shows the course completed, with its JP.
    page.goto(tree.course.url)
    progress = page.locator("main").inner_text()
    assert "Anda menyelesaikan kursus ini pada" in progress and "2 JP tercatat" in progress
    assert not errors, errors
    close_quietly(context)

    # The trainer sees the learner's attempt, best score and completion, filtered by unit.
    trainer_context = new_context(viewport={"width": 1280, "height": 900})
    trainer_page = trainer_context.new_page()
    sign_in(trainer_page, trainer, live_server.url)
    trainer_page.goto(f"/admin/h5p/results/?content={content.pk}&unit={unit.pk}")
    table = trainer_page.locator("table.listing")
    row_text = table.locator("tbody tr").first.inner_text()
    assert "Siti Rahma, S.Kep." in row_text and "Dinas Kesehatan" in row_text
    assert "1 / 1" in row_text and "Ya" in row_text
    assert "dilaporkan oleh peramban" in table.locator("thead").inner_text()
    close_quietly(trainer_context)


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
    page.frame_locator("iframe.h5p-player-frame").get_by_text("Apa kepanjangan dari ASN?").wait_for()
    assert sum("main.bundle.js" in url for url in requested) == 1
    prefix = f"/h5p/{content.pk}/v/{content.version}/t/"
    assert any(prefix in url and url.endswith("/h5p.json") for url in requested)


def test_the_player_starts_when_its_script_arrives_late(page, live_server):
    """On a slow phone the page answers the frame's "ready" while the frame may still be fetching
    the H5P player script: the content must still start (it once failed with a TypeError and hung
    on "Memuat…" when the answer came first)."""
    learner = UserFactory(username="lambat", roles=[PESERTA])
    content = item(title="Kuis lambat")
    tree = course_with_h5p([(content, Requirement.COMPLETED)], slug="lambat", title="Kursus lambat")
    enrol(learner, tree.course)
    sign_in(page, learner, live_server.url)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def slow(route):
        time.sleep(1.5)  # the bundle arrives well after the bridge has said "ready"
        route.continue_()

    page.route("**/h5p-standalone/main.bundle.js", slow)
    page.goto(tree.lessons[0].url)
    page.frame_locator("iframe.h5p-player-frame").get_by_text("Apa kepanjangan dari ASN?").wait_for()
    assert not errors, errors


# A content type written as an attacker would: from inside the player it tries to reach the page
# that shows it, the viewer's cookies and CSRF token, and to change data with the viewer's session.
PROBE_JS = """
var H5P = H5P || {};
H5P.Probe = (function () {
  function Probe(params, contentId) { this.contentId = contentId; }
  Probe.prototype.attach = function ($container) {
    var out = document.createElement('ul');
    out.id = 'probe';
    $container.get(0).appendChild(out);
    function report(name, value) {
      var line = document.createElement('li');
      line.setAttribute('data-probe', name);
      line.textContent = name + ': ' + value;
      out.appendChild(line);
    }
    function attempt(name, read) {
      try { report(name, 'READ ' + String(read()).slice(0, 80)); }
      catch (error) { report(name, 'threw ' + error.name); }
    }
    attempt('parent-document', function () { return window.parent.document.body.innerHTML; });
    attempt('top-document', function () { return window.top.document.cookie; });
    attempt('parent-globals', function () { return JSON.stringify(Object.keys(window.parent.lmsH5P || {})); });
    attempt('cookie', function () { return document.cookie; });
    attempt('storage', function () { return window.indexedDB.open('x') && 'opened'; });
    var body = new URLSearchParams({ data: JSON.stringify({ stolen: true }) });
    var forged = JSON.stringify({
      id: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
      actor: { mbox: 'mailto:user-PROBE_USER@lms.invalid' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
      object: { id: location.origin + '/h5p/PROBE_ITEM/' },
      result: { success: true, completion: true, score: { raw: 1, max: 1 } }
    });
    var requests = [
      fetch('/h5p/PROBE_ITEM/state/', { method: 'POST', credentials: 'include', body: body }),
      fetch('/h5p/PROBE_ITEM/xapi/', { method: 'POST', credentials: 'include', mode: 'no-cors',
        headers: { 'Content-Type': 'text/plain' }, body: forged }),
      fetch('/h5p/PROBE_ITEM/state/', { method: 'GET', credentials: 'include' }).then(function (r) { return r.text(); })
    ];
    Promise.all(requests.map(function (request) {
      return request.then(function (r) { return typeof r === 'string' ? 'body ' + r.slice(0, 60) : 'status ' + r.status; },
        function (error) { return 'threw ' + error.name; });
    })).then(function (outcomes) {
      outcomes.forEach(function (outcome, index) { report('fetch-' + index, outcome); });
      report('done', 'yes');
    });
  };
  return Probe;
})();
"""


def probe_package(*, item_id: int, user_id: int) -> bytes:
    """A valid package whose library runs PROBE_JS (ids filled in, so its forged requests are aimed
    at the real item and viewer)."""
    entries = demo_package.package_entries(title="Probe")
    entries = {name: data for name, data in entries.items() if not name.startswith(demo_package.LIBRARY_FOLDER)}
    h5p_json = json.loads(entries["h5p.json"])
    h5p_json["mainLibrary"] = "H5P.Probe"
    h5p_json["preloadedDependencies"] = [{"machineName": "H5P.Probe", "majorVersion": 1, "minorVersion": 0}]
    entries["h5p.json"] = json.dumps(h5p_json).encode()
    entries["H5P.Probe-1.0/library.json"] = json.dumps(
        {
            "title": "Probe",
            "machineName": "H5P.Probe",
            "majorVersion": 1,
            "minorVersion": 0,
            "patchVersion": 0,
            "runnable": 1,
            "embedTypes": ["iframe"],
            "preloadedJs": [{"path": "probe.js"}],
        }
    ).encode()
    script = PROBE_JS.replace("PROBE_ITEM", str(item_id)).replace("PROBE_USER", str(user_id))
    entries["H5P.Probe-1.0/probe.js"] = script.encode()
    return demo_package.zip_entries(entries)


def test_package_script_cannot_reach_the_page_the_cookies_or_the_session(new_context, live_server):
    """The preview a superuser opens runs the package in a sandbox: every reach outside fails, and
    the server shows that no request carried the session (nothing stored, nothing recorded)."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(username="admin-bpsdm", password="x", email="a@b.c")
    content = item(title="Paket mencurigakan")
    services.content_replace(item=content, package=upload(probe_package(item_id=content.pk, user_id=admin.pk)))
    content.refresh_from_db()

    context = new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, admin, live_server.url)
    arrived = []  # what reached the server: method, path, whether a session came with it, Origin

    def record(sender, environ, **kwargs):
        cookies = environ.get("HTTP_COOKIE", "")
        arrived.append(
            (
                environ["REQUEST_METHOD"],
                environ["PATH_INFO"],
                settings.SESSION_COOKIE_NAME in cookies,
                environ.get("HTTP_ORIGIN"),
            )
        )

    request_started.connect(record)
    try:
        page.goto(f"/h5p/{content.pk}/")
        frame = page.frame_locator("iframe.h5p-player-frame")
        frame.locator("[data-probe=done]").wait_for()
    finally:
        request_started.disconnect(record)
    probes = {line.get_attribute("data-probe"): line.inner_text() for line in frame.locator("[data-probe]").all()}

    assert probes["parent-document"] == "parent-document: threw SecurityError"
    assert probes["top-document"] == "top-document: threw SecurityError"
    assert probes["parent-globals"] == "parent-globals: threw SecurityError"
    assert probes["cookie"] == "cookie: threw SecurityError"
    assert probes["storage"] == "storage: threw SecurityError"
    # The state POST went out but without the session; its answer is unreadable to the frame.
    assert probes["fetch-0"] == "fetch-0: threw TypeError"
    assert probes["fetch-2"] == "fetch-2: threw TypeError"  # no reading of the viewer's saved state either
    # The forged requests did reach the server, without the session and from origin "null".
    forged = [row for row in arrived if row[0] == "POST"]
    assert sorted(path for _method, path, _session, _origin in forged) == [
        f"/h5p/{content.pk}/state/",
        f"/h5p/{content.pk}/xapi/",
    ]
    assert all(session is False and origin == "null" for _method, _path, session, origin in forged), forged
    # The page's own request for the state (its GET, with the session) did carry it: the check above can fail.
    assert (("GET", f"/h5p/{content.pk}/state/", True, None)) in arrived
    # Server side: nothing was stored or recorded for the superuser.
    assert not H5PState.objects.filter(user=admin).exists()
    assert not H5PStatement.objects.filter(user=admin).exists()
    assert not H5PResult.objects.filter(user=admin).exists()
    # The page itself was not changed by the frame.
    assert page.locator("h1").inner_text() == "Paket mencurigakan"
    close_quietly(context)
