"""The role × URL matrix: every URL pattern of the site, walked from the resolver, is declared here, and
every staff URL is opened by each role with another course's and another unit's data in the database.

- A URL pattern that is not declared fails ``test_every_url_pattern_is_declared``: a new staff screen
  cannot ship without someone saying who may open it.
- For each role, every declared admin URL is requested (GET, with the ids of course A / unit X
  objects); the roles named in an entry's ``ok`` must get the page (200), every other role must not,
  no response may be a server error, and no page a role can open may show a learner, H5P item,
  override or essay outside that role's scope (``FORBIDDEN``), on any URL, Wagtail's own included.
- ``sees`` names roles whose page must show course A's learner: the positive control that proves the
  markers are really looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.lms.world import (
    ADMIN,
    ANON,
    LEARNER_SUPERVISOR,
    ROLES,
    SUPERVISOR_X,
    TRAINER_A,
    TRAINER_B,
    build_world,
)

TRAINERS = {TRAINER_A, TRAINER_B}
SUPERVISORS = {SUPERVISOR_X, LEARNER_SUPERVISOR}
STAFF = TRAINERS | SUPERVISORS | {ADMIN}


# --------------------------------------------------------------------------------------------------
# Declarations


@dataclass(frozen=True)
class Expect:
    """``ok``: roles that open the URL (200) with course A / unit X objects in its arguments; everyone
    else is refused (login, permission message, 403, 404 or 405). ``sees``: roles whose page must show
    course A's learner. ``get=False``: declared and scoped by other tests (see ``why``), not opened here."""

    ok: frozenset = frozenset()
    sees: frozenset = frozenset()
    get: bool = True
    why: str = ""
    query: str = ""


def expect(ok=(), sees=(), **kwargs) -> Expect:
    return Expect(ok=frozenset(ok), sees=frozenset(sees), **kwargs)


NOBODY_BUT_ADMIN = expect({ADMIN})
READ_ONLY_WRITE = expect(why="read-only records: the policy refuses add, edit and delete, even to Admin BPSDM")


GENERATED: set[str] = set()
VIEWSET_NAMESPACES: set[str] = set()


def _generated(namespace: str, entries: dict) -> dict:
    GENERATED.update(entries)
    VIEWSET_NAMESPACES.add(namespace)
    return entries


def _model_viewset(
    namespace: str, *, listing, detail, sees=(), writes=(ADMIN,), adds=None, deletes=None, read_only=False
) -> dict:
    """The URLs a Wagtail ModelViewSet/SnippetViewSet makes, with who may open each for object A.
    ``adds``: who may create one (of their own courses'); ``writes``: who may change object A;
    ``deletes``: who may delete it (when not the same)."""
    write = READ_ONLY_WRITE if read_only else expect(writes)
    add = READ_ONLY_WRITE if read_only else expect(writes if adds is None else adds)
    entries = {
        f"{namespace}:{name}": expect(listing, sees=sees) for name in ("index", "index_results", "list", "list_results")
    }
    entries.update({f"{namespace}:{name}": add for name in ("add", "new")})
    entries.update({f"{namespace}:{name}": write for name in ("edit", "copy")})
    entries[f"{namespace}:delete"] = write if read_only or deletes is None else expect(deletes)
    entries.update({f"{namespace}:inspect": expect(detail, sees=detail)})
    # Wagtail lets history and usage be seen by whoever may change the object.
    entries.update({f"{namespace}:{name}": write for name in ("history", "history_results", "usage")})
    return _generated(namespace, entries)


def _chooser(namespace: str, *, listing, chosen, creates=(ADMIN,), sees=()) -> dict:
    """A snippet chooser: its listing, choosing object A (one, or several: then an empty answer for
    those who may not choose it), and its create form."""
    return _generated(
        namespace,
        {
            f"{namespace}:choose": expect(listing, sees=sees),
            f"{namespace}:choose_results": expect(listing, sees=sees),
            f"{namespace}:chosen": expect(chosen),
            f"{namespace}:chosen_multiple": expect(listing, sees=sees, query="id=A"),
            f"{namespace}:create": expect(creates),
        },
    )


def _snippet(model: str, *, listing, chosen, sees=(), writes=(ADMIN,), adds=None) -> dict:
    """A snippet's viewset and its chooser (``wagtailsnippets_<model>``, ``wagtailsnippetchoosers_<model>``):
    the chooser lists to whoever the listing does, and creates for whoever may add one."""
    return {
        **_model_viewset(f"wagtailsnippets_{model}", listing=listing, detail=(), sees=sees, writes=writes, adds=adds),
        **_chooser(
            f"wagtailsnippetchoosers_{model}",
            listing=listing,
            chosen=chosen,
            creates=writes if adds is None else adds,
            sees=sees,
        ),
    }


# Who may see learner A (enrolled in course A, in unit X): Admin BPSDM, course A's trainer, unit X's supervisor.
SEES_LEARNER_A = {ADMIN, TRAINER_A, SUPERVISOR_X}
# Who may change course A's data (grade, regrade, override, assign): Admin BPSDM and course A's trainer.
MANAGES_A = {ADMIN, TRAINER_A}
REPORT_VIEWERS = STAFF
# The question bank is the province's, shared by every trainer: any trainer lists, chooses and changes it.
SHARED_BY_TRAINERS = {"listing": TRAINERS | {ADMIN}, "chosen": TRAINERS | {ADMIN}, "writes": TRAINERS | {ADMIN}}
# Any trainer may add one; each sees, chooses and changes those of their own courses.
PER_COURSE = {
    "listing": TRAINERS | {ADMIN},
    "chosen": MANAGES_A,
    "sees": MANAGES_A,
    "writes": MANAGES_A,
    "adds": TRAINERS | {ADMIN},
}

OURS: dict[str, Expect] = {
    # --- reports ------------------------------------------------------------------------------
    "reports:overview": expect(REPORT_VIEWERS),
    "reports:completion": expect(REPORT_VIEWERS),
    "reports:completion_results": expect(REPORT_VIEWERS),
    "reports:enrolments": expect(REPORT_VIEWERS, sees=SEES_LEARNER_A),
    "reports:enrolments_results": expect(REPORT_VIEWERS, sees=SEES_LEARNER_A),
    "reports:participants": expect(REPORT_VIEWERS - {TRAINER_B}, sees=SEES_LEARNER_A),
    "reports:participants_results": expect(REPORT_VIEWERS - {TRAINER_B}, sees=SEES_LEARNER_A),
    "reports:jp": expect(REPORT_VIEWERS),
    "reports:jp_results": expect(REPORT_VIEWERS),
    "reports:quizzes": expect(REPORT_VIEWERS, sees=SEES_LEARNER_A),
    "reports:quizzes_results": expect(REPORT_VIEWERS, sees=SEES_LEARNER_A),
    "reports:siasn": expect(REPORT_VIEWERS),
    "reports:siasn_results": expect(REPORT_VIEWERS),
    "reports:person": expect(SEES_LEARNER_A, sees=SEES_LEARNER_A),
    # --- quizzes: results, grading, import/export -------------------------------------------------
    "quizzes_admin:index": expect(TRAINERS | SUPERVISORS | {ADMIN}),
    "quizzes_admin:results": expect(SEES_LEARNER_A | {LEARNER_SUPERVISOR}, sees=SEES_LEARNER_A),
    "quizzes_admin:statistics": expect(MANAGES_A),
    "quizzes_admin:regrade": expect(MANAGES_A),
    "quizzes_admin:gains": expect(
        why="needs a pre-/post-test pair; scoped by tests/quizzes (quiz_gains uses the same results_scope)",
        get=False,
    ),
    "quizzes_admin:attempt": expect(SEES_LEARNER_A, sees=SEES_LEARNER_A),
    "quizzes_admin:grading_queue": expect(TRAINERS | {ADMIN}, sees=MANAGES_A),
    "quizzes_admin:grade_essay": expect(MANAGES_A, sees=MANAGES_A),
    # The question bank is the province's, shared by every trainer: questions belong to no course.
    "quizzes_admin:import": expect(TRAINERS | {ADMIN}),
    "quizzes_admin:export": expect(TRAINERS | {ADMIN}),
    # --- courses: enrolment requests, assigning -----------------------------------------------------
    "courses_admin:requests": expect(TRAINERS | {ADMIN}),
    "courses_admin:assign": expect(MANAGES_A),
    # --- people -----------------------------------------------------------------------------------
    "roster_import:index": NOBODY_BUT_ADMIN,
    "roster_import:template_csv": NOBODY_BUT_ADMIN,
    "roster_import:template_xlsx": NOBODY_BUT_ADMIN,
    # Codes for the people of the supervised subtree (the unit choices and the rows are scoped:
    # tests/accounts/test_activation_codes.py).
    "activation_codes:index": expect(SUPERVISORS | {ADMIN}),
    **_snippet("people_asnprofile", listing=STAFF, chosen=SEES_LEARNER_A, sees=SEES_LEARNER_A),
    # Work units are the public organisation chart: every staff member sees them, only admins change them.
    **_snippet("people_unitkerja", listing=STAFF, chosen=STAFF),
    # --- question bank (shared), overrides (per course) --------------------------------------------
    **_snippet("quizzes_question", **SHARED_BY_TRAINERS),
    **_snippet("quizzes_questioncategory", **SHARED_BY_TRAINERS),
    # Any trainer may add an override, on a quiz of their own courses (the form offers no other).
    **_snippet("quizzes_quizoverride", **PER_COURSE),
    # --- H5P: items (per course), results and statements (per course and learner) -----------------
    # Any trainer may upload an item; they see and change those they uploaded or that their courses use.
    **_snippet("h5p_h5pcontent", **PER_COURSE),
    **_model_viewset("h5p_results", listing=TRAINERS | {ADMIN}, detail=(), sees=MANAGES_A, read_only=True),
    **_model_viewset("h5p_statements", listing=TRAINERS | {ADMIN}, detail=(), sees=MANAGES_A, read_only=True),
    # --- courses: enrolments and JP ledger (read-only), categories ---------------------------------
    **_model_viewset("enrolment", listing=TRAINERS | {ADMIN}, detail=MANAGES_A, sees=MANAGES_A, read_only=True),
    **_model_viewset("jpcredit", listing=TRAINERS | {ADMIN}, detail=MANAGES_A, sees=MANAGES_A, read_only=True),
    **_model_viewset(
        "coursecategory", listing=TRAINERS | {ADMIN}, detail=(), writes=TRAINERS | {ADMIN}, deletes={ADMIN}
    ),
    # --- the Wagtail page tree: course A's pages, by the page permission policy ----------------------
    "wagtailadmin_pages:edit": expect(MANAGES_A),
    "wagtailadmin_pages:add_subpage": expect(MANAGES_A),
    "wagtailadmin_pages:history": expect(MANAGES_A),
    "wagtailadmin_explore": expect(MANAGES_A),
    "wagtailadmin_explore_results": expect(MANAGES_A),
    "wagtailadmin_pages:usage": expect(MANAGES_A),
    "wagtailadmin_pages:unpublish": expect(MANAGES_A),
    "wagtailadmin_pages:move": expect(MANAGES_A),
    "wagtailadmin_pages:delete": expect(why="a course with modules is not a leaf: nobody without bulk delete"),
    # The copy form opens for whoever may edit the page; copying it into the catalogue then needs add
    # permission there, which only Admin BPSDM has (tests/lms/test_scoping.py posts it).
    "wagtailadmin_pages:copy": expect(MANAGES_A),
    # --- certificates ------------------------------------------------------------------------
    **_model_viewset("certificate_templates", listing={ADMIN}, detail=()),
    "certificate_templates:preview": NOBODY_BUT_ADMIN,
    **_model_viewset("certificate_rules", listing={ADMIN}, detail=()),
    **_model_viewset("certificates", listing=STAFF, detail=SEES_LEARNER_A, sees=SEES_LEARNER_A, read_only=True),
    "certificates:download": expect(SEES_LEARNER_A),
    "certificates:revoke": NOBODY_BUT_ADMIN,
    "certificates:reissue": expect(get=False, why="POST only: tests/certificates/test_certificates.py"),
}

# Wagtail's own screens (images, documents, media, users, settings, workflows…): governed by Wagtail's
# permissions. Opened by every role like ours; they must not fail and must not show anyone's learners.
WAGTAIL_NAMESPACES = {
    "wagtailadmin_pages",
    "wagtailadmin_api",
    "wagtailadmin_collections",
    "wagtailadmin_editing_sessions",
    "wagtailadmin_reports",
    "wagtailadmin_workflows",
    "wagtaildocs",
    "wagtaildocs_chooser",
    "wagtailembeds",
    "wagtailforms",
    "wagtailimages",
    "wagtailimages_chooser",
    "wagtailmedia",
    "wagtailredirects",
    "wagtailsettings",
    "wagtailsites",
    "wagtailsnippets",
    "wagtailusers_groups",
    "wagtailusers_users",
}
WAGTAIL_NAMES = {
    "wagtail_bulk_action",
    "wagtailadmin_account",
    "wagtailadmin_block_preview",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_anchor_link",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_choose_page_chosen_multiple",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_dismissibles",
    "wagtailadmin_error_test",
    "wagtailadmin_explore_root",
    "wagtailadmin_home",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_sprite",
    "wagtailadmin_tag_autocomplete",
    "wagtailadmin_tag_model_autocomplete",
    "wagtailcore_authenticate_with_password",
    "wagtailcore_login",
    "wagtaildocs_serve",
    "wagtaildocs_authenticate_with_password",
    "wagtail_serve",
    "admin/test404/",
    "admin/^.*/$",
}
# Wagtail URLs not opened here: they write on GET-less POSTs, sign out, or need tokens.
WAGTAIL_NOT_OPENED = {"wagtailadmin_logout", "wagtailadmin_password_reset_confirm", "wagtailadmin_error_test"}

# Learner and public URLs: outside the staff matrix, scoped to the learner's own rows by the tests of
# each app (tests/courses, tests/quizzes, tests/h5p, tests/people).
LEARNER_AND_PUBLIC = {
    "healthz",
    "set_language",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "activation_start",
    "activation_password",
    "activation_link",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "profile",
    "profile_email",
    "profile_email_confirm",
    "my_certificates",
    "certificate_download",
    "certificate_verify",
    "sso_start",  # 404 unless single sign-on is configured (tests/accounts/test_oidc.py)
    "sso_callback",
    "dashboard",
    "course_catalogue",
    "course_enrol",
    "course_leave",
    "lesson_heartbeat",
    "lesson_mark_done",
    "quiz_start",
    "quiz_attempt",
    "quiz_save",
    "quiz_summary",
    "quiz_submit",
    "quiz_review",
    "h5p:activity",
    "h5p:statement",
    "h5p:state",
    "h5p:file",
    "h5p:player",  # token in the path: access checked per learner (tests/h5p/test_views.py)
    "h5p:token_file",
    "notifications",  # the learner's own notifications only (tests/notifications/test_views.py)
    "notification_read",
    "notifications_read_all",
    "notification_preferences",
    "media",
}


# --------------------------------------------------------------------------------------------------
# Walking the resolver


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the pattern for unnamed ones
    namespace: str
    route: str
    arguments: tuple[str, ...] = field(default=())


def walk(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    patterns = get_resolver().url_patterns if patterns is None else patterns
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            key = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or route)
            names = tuple(pattern.pattern.regex.groupindex)
            found.append(Route(key=key, namespace=namespace, route=route, arguments=names))
    return found


def classify(route: Route) -> str | None:
    """``ours``, ``wagtail`` or ``learner``; ``None`` for an undeclared pattern."""
    if route.key in OURS:
        return "ours"
    if route.namespace.split(":")[0] in WAGTAIL_NAMESPACES or route.key in WAGTAIL_NAMES:
        return "wagtail"
    if route.key in LEARNER_AND_PUBLIC:
        return "learner"
    return None


def undeclared(routes) -> list[str]:
    return sorted({route.key for route in routes if classify(route) is None})


def _url(route: Route, objects: dict, arguments: dict) -> str | None:
    kwargs = {}
    for name in route.arguments:
        if name in ("pk", "object_id"):
            model_key = route.namespace.split(":")[-1].removeprefix("wagtailsnippets_")
            model_key = model_key.removeprefix("wagtailsnippetchoosers_")
            kwargs[name] = objects.get(model_key, 1)
        elif name in arguments:
            kwargs[name] = arguments[name]
        elif name in ("app_label", "content_type_app_name"):
            kwargs[name] = "courses"
        elif name in ("model_name", "content_type_model_name"):
            kwargs[name] = "coursepage"
        elif name == "action":
            kwargs[name] = "delete"
        elif name in ("uidb64", "token", "path", "filename", "secret"):
            return None
        else:
            kwargs[name] = 1
    if "^" in route.route or "(?" in route.route and not route.arguments:
        return None
    try:
        return reverse(route.key, kwargs=kwargs) if ":" in route.key or not route.key.endswith("/") else None
    except Exception:  # noqa: BLE001 - a pattern whose arguments this table cannot fill
        return "/" + re.sub(r"<[^>]+>", "1", route.route)


# --------------------------------------------------------------------------------------------------
# Tests


def test_every_url_pattern_is_declared():
    missing = undeclared(walk())
    assert not missing, "URL patterns nobody declared in tests/lms/test_role_matrix.py:\n" + "\n".join(missing)


def test_a_new_staff_url_that_is_not_declared_fails_the_matrix():
    """The property that keeps new screens scoped: an extra admin URL shows up as undeclared."""
    from django.urls import include, path

    def secret_report(request):  # pragma: no cover - never called
        raise AssertionError

    extra = [path("admin/", include(([path("laporan-baru/", secret_report, name="secret")], "baru")))]
    assert undeclared(walk(extra + get_resolver().url_patterns)) == ["baru:secret"]
    unnamed = [path("admin/tanpa-nama/", secret_report)]
    assert undeclared(walk(unnamed)) == ["admin/tanpa-nama/"]


def test_every_declared_name_still_exists():
    """A declaration for a URL that is gone would make the matrix look fuller than it is (the viewset
    helpers declare every view a viewset may make; of those, each viewset's listing must exist)."""
    keys = {route.key for route in walk()}
    stale = sorted(name for name in OURS if name not in keys and name not in GENERATED)
    assert not stale, stale
    for namespace in VIEWSET_NAMESPACES:
        assert {f"{namespace}:index", f"{namespace}:list", f"{namespace}:choose"} & keys, namespace


def _denied(response) -> bool:
    # 302: to the sign-in page, or to the admin home page with "no permission".
    return response.status_code in (302, 403, 404, 405)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, role):
    world = build_world()
    forbidden, objects, arguments, markers_a = world.forbidden, world.objects, world.arguments, world.markers_a
    if role != ANON:
        client.force_login(world.users[role])
    problems = []
    for route in walk():
        kind = classify(route)
        if kind not in ("ours", "wagtail") or route.key in WAGTAIL_NOT_OPENED:
            continue
        declared = OURS.get(route.key)
        if declared is not None and not declared.get:
            continue
        url = _url(route, objects, arguments)
        if url is None:
            continue
        if declared is not None and declared.query:
            url += "?" + declared.query.replace("A", str(_url_object(route, objects)))
        response = client.get(url)
        status = response.status_code
        if status >= 500:
            problems.append(f"{route.key} {url}: {status}")
            continue
        body = response.content.decode(errors="replace") if status == 200 else ""
        leaked = [marker for marker in forbidden[role] if marker in body]
        if leaked:
            problems.append(f"{route.key} {url}: shows {leaked}")
        if declared is None:
            continue
        if role in declared.ok and status != 200:
            problems.append(f"{route.key} {url}: expected 200, got {status} {response.get('Location', '')}")
        elif role not in declared.ok and not _denied(response):
            problems.append(f"{route.key} {url}: expected refusal, got {status}")
        if role in declared.sees and status == 200 and not any(marker in body for marker in markers_a):
            problems.append(f"{route.key} {url}: course A's learner missing")
    assert not problems, f"{role}:\n" + "\n".join(problems)


def _url_object(route, objects):
    key = route.namespace.split(":")[-1].removeprefix("wagtailsnippetchoosers_")
    return objects.get(key, 1)
