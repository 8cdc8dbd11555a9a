"""Demo courses for ``seed_demo``: a catalogue, three courses in Bahasa Indonesia, a video, learners at varied progress."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from wagtail.models import Collection, Page
from wagtail.rich_text import RichText
from wagtailmedia.models import Media

from courses import services
from courses.models import (
    CompetencyKind,
    CompletionRule,
    CourseCategory,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    EnrolmentMode,
    LessonPage,
    LessonProgress,
    ModulePage,
    TrainingMode,
)
from courses.permissions import grant_course_page_permissions
from lms.models import HomePage
from people.models import UnitKerja

DEMO_VIDEO = Path(__file__).resolve().parent / "demo_media" / "pengantar-pelayanan-publik.mp4"
DEMO_VIDEO_TITLE = "Pengantar Pelayanan Publik Prima (video demo)"


def _p(text: str) -> RichText:
    return RichText(text)


def _lesson(title, slug, *, rule=CompletionRule.MARK_DONE, minutes=10, body=(), required=True):
    return {"title": title, "slug": slug, "rule": rule, "minutes": minutes, "body": list(body), "required": required}


def _course_plans(video: Media) -> list[dict]:
    return [
        {
            "slug": "pelayanan-publik-prima",
            "title": "Pelayanan Publik Prima",
            "category": "Pelayanan Publik",
            "summary": "Standar, sikap dan keterampilan untuk memberi pelayanan publik yang cepat, ramah dan "
            "dapat dipertanggungjawabkan.",
            "objectives": "<ul><li>Menjelaskan asas dan standar pelayanan publik menurut UU 25/2009.</li>"
            "<li>Menerapkan sikap pelayanan prima di loket dan daring.</li>"
            "<li>Menangani pengaduan masyarakat sesuai prosedur.</li></ul>",
            "kind": CompetencyKind.TEKNIS,
            "mode": TrainingMode.NON_KLASIKAL,
            "jp": 4,
            "enrolment": EnrolmentMode.OPEN,
            "sequential": False,
            "modules": [
                (
                    "Dasar-dasar Pelayanan Publik",
                    "dasar-dasar",
                    False,
                    [
                        _lesson(
                            "Pengantar Pelayanan Publik Prima",
                            "pengantar",
                            rule=CompletionRule.VIDEO,
                            minutes=5,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Tonton video singkat berikut. Materi dianggap selesai setelah Anda "
                                        "menonton sedikitnya 90% video.</p>"
                                    ),
                                ),
                                (
                                    "video",
                                    {
                                        "video": video,
                                        "embed_url": "",
                                        "caption": "Pengantar pelayanan publik prima",
                                        "transcript": _p(
                                            "<p>Pelayanan publik adalah kegiatan dalam rangka pemenuhan "
                                            "kebutuhan pelayanan sesuai peraturan perundang-undangan.</p>"
                                        ),
                                    },
                                ),
                            ],
                        ),
                        _lesson(
                            "Asas dan Standar Pelayanan (UU 25/2009)",
                            "standar-pelayanan",
                            minutes=15,
                            body=[
                                ("heading", {"text": "Asas pelayanan publik", "size": "h2"}),
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Pelayanan publik diselenggarakan berdasarkan asas kepentingan umum, "
                                        "kepastian hukum, kesamaan hak, keseimbangan hak dan kewajiban, "
                                        "keprofesionalan, partisipatif, persamaan perlakuan, keterbukaan, "
                                        "akuntabilitas, fasilitas dan perlakuan khusus bagi kelompok rentan, "
                                        "ketepatan waktu, serta kecepatan, kemudahan dan keterjangkauan.</p>"
                                    ),
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "tip",
                                        "title": "Ingat",
                                        "text": _p("<p>Standar pelayanan wajib dipublikasikan di tempat layanan.</p>"),
                                    },
                                ),
                                ("heading", {"text": "Komponen standar pelayanan", "size": "h3"}),
                                (
                                    "paragraph",
                                    _p(
                                        "<ol><li>Persyaratan</li><li>Sistem, mekanisme dan prosedur</li>"
                                        "<li>Jangka waktu penyelesaian</li><li>Biaya/tarif</li>"
                                        "<li>Produk pelayanan</li><li>Penanganan pengaduan, saran dan "
                                        "masukan</li></ol>"
                                    ),
                                ),
                            ],
                        ),
                    ],
                ),
                (
                    "Budaya Pelayanan Prima",
                    "budaya-pelayanan",
                    True,
                    [
                        _lesson(
                            "Sikap dan Etika Petugas Layanan",
                            "sikap-petugas",
                            rule=CompletionRule.OPEN,
                            minutes=10,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Senyum, salam, sapa, sopan dan santun (5S) adalah dasar "
                                        "pelayanan prima. Petugas mendengarkan dengan empati, "
                                        "menjelaskan dengan bahasa yang mudah dipahami dan tidak "
                                        "meminta imbalan.</p>"
                                    ),
                                )
                            ],
                        ),
                        _lesson(
                            "Menangani Pengaduan Masyarakat",
                            "pengaduan",
                            minutes=15,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Setiap pengaduan dicatat, diberi nomor, ditindaklanjuti dalam "
                                        "jangka waktu yang ditetapkan dan hasilnya disampaikan kepada "
                                        "pengadu. Gunakan SP4N-LAPOR! untuk pengaduan daring.</p>"
                                    ),
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "Penting",
                                        "text": _p("<p>Jangan membuka identitas pengadu tanpa persetujuannya.</p>"),
                                    },
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        },
        {
            "slug": "manajemen-asn-dan-etika-birokrasi",
            "title": "Manajemen ASN dan Etika Birokrasi",
            "category": "Manajemen ASN",
            "summary": "Kebijakan manajemen ASN menurut UU 20/2023, sistem merit, serta kode etik dan nilai dasar "
            "BerAKHLAK dalam pekerjaan sehari-hari.",
            "objectives": "<ul><li>Memahami pokok-pokok UU 20/2023 tentang ASN.</li>"
            "<li>Menjelaskan sistem merit dalam manajemen ASN.</li>"
            "<li>Menerapkan kode etik dan nilai BerAKHLAK.</li></ul>",
            "kind": CompetencyKind.MANAJERIAL,
            "mode": TrainingMode.NON_KLASIKAL,
            "jp": 6,
            "enrolment": EnrolmentMode.REQUEST,
            "sequential": True,
            "modules": [
                (
                    "Kebijakan Manajemen ASN",
                    "kebijakan",
                    False,
                    [
                        _lesson(
                            "Pokok-pokok UU 20/2023 tentang ASN",
                            "uu-asn",
                            minutes=20,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>UU 20/2023 menegaskan ASN sebagai profesi yang terdiri atas PNS dan "
                                        "PPPK, serta mewajibkan pengembangan kompetensi bagi setiap ASN.</p>"
                                    ),
                                ),
                            ],
                        ),
                        _lesson(
                            "Sistem Merit",
                            "sistem-merit",
                            minutes=15,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Sistem merit adalah kebijakan dan manajemen ASN berdasarkan "
                                        "kualifikasi, kompetensi dan kinerja secara adil dan wajar tanpa "
                                        "membedakan latar belakang.</p>"
                                    ),
                                ),
                            ],
                        ),
                    ],
                ),
                (
                    "Etika dan Integritas",
                    "etika",
                    False,
                    [
                        _lesson(
                            "Kode Etik dan Kode Perilaku ASN",
                            "kode-etik",
                            minutes=15,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Kode etik menjaga martabat dan kehormatan ASN: jujur, bertanggung "
                                        "jawab, berintegritas tinggi, cermat dan disiplin.</p>"
                                    ),
                                ),
                            ],
                        ),
                        _lesson(
                            "Nilai Dasar BerAKHLAK",
                            "berakhlak",
                            minutes=10,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Berorientasi Pelayanan, Akuntabel, Kompeten, Harmonis, Loyal, "
                                        "Adaptif dan Kolaboratif.</p>"
                                    ),
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        },
        {
            "slug": "literasi-digital-untuk-asn",
            "title": "Literasi Digital untuk ASN",
            "category": "Teknologi Informasi",
            "summary": "Keamanan akun, kata sandi yang kuat dan kebiasaan digital yang aman bagi ASN.",
            "objectives": "<ul><li>Membuat dan menjaga kata sandi yang kuat.</li>"
            "<li>Mengenali pesan penipuan (phishing).</li></ul>",
            "kind": CompetencyKind.TEKNIS,
            "mode": TrainingMode.NON_KLASIKAL,
            "jp": 2,
            "enrolment": EnrolmentMode.ASSIGNED,
            "sequential": False,
            "modules": [
                (
                    "Keamanan Digital",
                    "keamanan-digital",
                    False,
                    [
                        _lesson(
                            "Kata Sandi yang Kuat",
                            "kata-sandi",
                            minutes=10,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Gunakan frasa sandi yang panjang, berbeda untuk setiap layanan, dan "
                                        "aktifkan verifikasi dua langkah.</p>"
                                    ),
                                ),
                                (
                                    "video",
                                    {
                                        "video": None,
                                        "embed_url": "https://www.youtube.com/watch?v=aEmF3Iylvr4",
                                        "caption": "Video pendukung (YouTube)",
                                        "transcript": _p(""),
                                    },
                                ),
                            ],
                        ),
                        _lesson(
                            "Mengenali Phishing",
                            "phishing",
                            rule=CompletionRule.OPEN,
                            minutes=10,
                            body=[
                                (
                                    "paragraph",
                                    _p(
                                        "<p>Periksa alamat pengirim, jangan mengklik tautan mencurigakan, dan "
                                        "laporkan kepada pengelola TIK instansi.</p>"
                                    ),
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        },
    ]


def _demo_video() -> Media:
    media = Media.objects.filter(title=DEMO_VIDEO_TITLE).first()
    if media is None:
        with DEMO_VIDEO.open("rb") as handle:
            media = Media(
                title=DEMO_VIDEO_TITLE,
                type="video",
                duration=6,
                width=320,
                height=180,
                collection=Collection.get_first_root_node(),
            )
            media.file.save(DEMO_VIDEO.name, File(handle), save=False)
            media.save()
    return media


def _child(parent: Page, model, slug: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Create the catalogue, courses and demo progress. Running it again changes nothing."""
    home = HomePage.objects.first()
    if home is None:
        return {}
    index, _created = _child(
        home,
        CourseIndexPage,
        "katalog",
        title="Katalog Kursus",
        intro="<p>Kursus belajar mandiri untuk ASN Provinsi Jambi. Selesaikan kursus untuk mengumpulkan JP.</p>",
    )
    grant_course_page_permissions()
    video = _demo_video()
    user_model = get_user_model()
    trainer = user_model.objects.filter(username="pengajar").first()
    courses = {}
    for plan in _course_plans(video):
        category, _ = CourseCategory.objects.get_or_create(
            name=plan["category"], defaults={"slug": plan["category"].lower().replace(" ", "-")}
        )
        course, created = _child(
            index,
            CoursePage,
            plan["slug"],
            title=plan["title"],
            summary=plan["summary"],
            learning_objectives=plan["objectives"],
            category=category,
            competency_kind=plan["kind"],
            training_mode=plan["mode"],
            jp_value=plan["jp"],
            enrolment_mode=plan["enrolment"],
            sequential_modules=plan["sequential"],
        )
        if created and trainer is not None:
            course.trainers.add(trainer)
            course.save_revision().publish()
        for module_title, module_slug, locked, lessons in plan["modules"]:
            module, _ = _child(
                course,
                ModulePage,
                module_slug,
                title=module_title,
                locked_until_previous=locked,
                intro=f"<p>Modul ini membahas {module_title.lower()}.</p>",
            )
            for lesson in lessons:
                _child(
                    module,
                    LessonPage,
                    lesson["slug"],
                    title=lesson["title"],
                    body=lesson["body"],
                    estimated_minutes=lesson["minutes"],
                    completion_rule=lesson["rule"],
                    required=lesson["required"],
                )
        courses[plan["slug"]] = course
    _seed_progress(courses)
    if stdout is not None:
        stdout.write(
            f"  courses: {CoursePage.objects.count()} courses, {LessonPage.objects.count()} lessons, "
            f"{Enrolment.objects.count()} enrolments"
        )
    return {"index": index, "courses": courses}


def _lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def _complete(user, lesson: LessonPage) -> None:
    """Complete one lesson as its rule asks (the video rule: the whole demo video watched)."""
    progress = services.lesson_open(user=user, lesson=lesson)
    if lesson.completion_rule == CompletionRule.MARK_DONE:
        services.lesson_mark_done(user=user, lesson=lesson)
    elif lesson.completion_rule == CompletionRule.VIDEO:
        duration = progress.video_duration_seconds or 6
        LessonProgress.objects.filter(pk=progress.pk).update(
            watched_intervals=[[0, duration]],
            video_watched_seconds=duration,
            video_fraction=1.0,
            last_position_seconds=duration,
        )
        services.lesson_progress_refresh(user=user, lesson=lesson)


def _seed_progress(courses: dict) -> None:
    """Learners at varied progress, only the first time (an existing enrolment means already seeded)."""
    user_model = get_user_model()
    learners = list(
        user_model.objects.filter(groups__name="Peserta", asn_profile__isnull=False)
        .exclude(username__in=["pengajar", "supervisor"])
        .order_by("asn_profile__nip")[:24]
    )
    peserta = user_model.objects.filter(username="peserta").first()
    prima = courses["pelayanan-publik-prima"]
    manajemen = courses["manajemen-asn-dan-etika-birokrasi"]
    digital = courses["literasi-digital-untuk-asn"]
    if Enrolment.objects.filter(course__in=[prima, manajemen, digital]).exists():
        return
    prima_lessons = _lessons(prima)
    admin = user_model.objects.filter(is_superuser=True).order_by("pk").first()
    others = [learner for learner in learners if learner != peserta]
    for position, learner in enumerate(others[:16]):
        services.enrolment_create(user=learner, course=prima)
        # 0, 1, 2, 3 or all 4 lessons done, in turn.
        done = len(prima_lessons) if position % 5 == 4 else position % 5
        for lesson in prima_lessons[:done]:
            _complete(learner, lesson)
    for learner in others[16:20]:
        services.enrolment_create(user=learner, course=manajemen)  # waiting in the trainers' queue
    if peserta is not None:
        services.enrolment_create(user=peserta, course=prima)
        _complete(peserta, prima_lessons[0])
        services.enrolment_create(user=peserta, course=manajemen)
    if admin is not None:
        health = UnitKerja.objects.filter(code="15.03").first()
        if health is not None:
            services.course_assign(course=digital, by=admin, units=[health])
