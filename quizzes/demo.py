"""Demo quizzes for ``seed_demo``: a question bank in Bahasa Indonesia with every type, a module quiz, a
pre-test and a post-test in "Pelayanan Publik Prima", and attempts so results and statistics show."""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import QueryDict

from courses.models import CoursePage, Enrolment, EnrolmentStatus, LessonPage, ModulePage
from courses.selectors import lesson_access
from courses.services import lesson_mark_done
from quizzes import completion, qtypes, services
from quizzes.models import (
    Attempt,
    AttemptSlot,
    Question,
    QuestionCategory,
    QuestionOption,
    QuizPage,
    QuizQuestion,
    QuizRandomDraw,
    QuizRole,
)

BANK = "Bank Soal Pelayanan Publik"


def _q(**spec) -> dict:
    return spec


def _o(text, credit=0, feedback="", match="", tolerance=0):
    return {"text": text, "credit": credit, "feedback": feedback, "match_text": match, "tolerance": tolerance}


QUESTIONS = {
    "Asas dan Standar": [
        _q(
            name="Dasar hukum pelayanan publik",
            qtype="single",
            text="<p>Undang-undang yang mengatur pelayanan publik adalah …</p>",
            general_feedback="UU Nomor 25 Tahun 2009 tentang Pelayanan Publik.",
            options=[
                _o("UU Nomor 25 Tahun 2009", 100, "Tepat."),
                _o("UU Nomor 5 Tahun 2014", 0, "Itu UU ASN yang lama."),
                _o("UU Nomor 20 Tahun 2023", 0, "Itu UU ASN yang baru."),
                _o("PP Nomor 11 Tahun 2017"),
            ],
        ),
        _q(
            name="Asas pelayanan publik",
            qtype="multiple",
            text="<p>Manakah yang termasuk asas pelayanan publik? Pilih semua yang benar.</p>",
            options=[
                _o("Kepentingan umum", 50, "Benar."),
                _o("Kepastian hukum", 50, "Benar."),
                _o("Kepentingan golongan", -50, "Bukan asas pelayanan publik."),
                _o("Kerahasiaan tarif", -50, "Tarif justru harus transparan."),
            ],
        ),
        _q(
            name="Maklumat pelayanan",
            qtype="truefalse",
            correct_true=True,
            text="<p>Setiap penyelenggara wajib menyusun dan menetapkan maklumat pelayanan.</p>",
            true_feedback="Benar, maklumat pelayanan adalah janji kepada masyarakat.",
            false_feedback="Keliru: maklumat pelayanan wajib ditetapkan.",
        ),
        _q(
            name="Komponen standar pelayanan",
            qtype="matching",
            text="<p>Pasangkan komponen standar pelayanan dengan contohnya.</p>",
            options=[
                _o("Persyaratan", match="Fotokopi KTP"),
                _o("Jangka waktu", match="3 hari kerja"),
                _o("Biaya/tarif", match="Gratis"),
                _o("", match="Kepala dinas"),
            ],
        ),
        _q(
            name="Urutan penanganan pengaduan",
            qtype="ordering",
            text="<p>Urutkan langkah penanganan pengaduan masyarakat.</p>",
            options=[
                _o("Menerima dan mencatat pengaduan"),
                _o("Memverifikasi pengaduan"),
                _o("Menindaklanjuti pengaduan"),
                _o("Memberi tanggapan kepada pelapor"),
            ],
        ),
        _q(
            name="Singkatan SP4N-LAPOR",
            qtype="shortanswer",
            text="<p>Kanal pengaduan nasional disingkat SP4N-… (tulis kata terakhirnya).</p>",
            options=[_o("LAPOR", 100, "Tepat: LAPOR!"), _o("LAPOR!", 100)],
        ),
    ],
    "Pengukuran Kinerja": [
        _q(
            name="Jam pelajaran per tahun",
            qtype="numerical",
            text="<p>Berapa JP pengembangan kompetensi minimal per tahun bagi setiap PNS?</p>",
            options=[_o("20", 100, "Tepat: 20 JP per tahun."), _o("24", 50, "Hampir.", tolerance=0)],
        ),
        _q(
            name="Menit per JP",
            qtype="numerical",
            text="<p>Satu JP setara dengan berapa menit?</p>",
            options=[_o("45", 100, tolerance=0)],
        ),
        _q(
            name="Indeks kepuasan",
            qtype="single",
            text="<p>Survei untuk mengukur kepuasan masyarakat terhadap layanan disebut …</p>",
            options=[_o("Survei Kepuasan Masyarakat (SKM)", 100), _o("Sensus Penduduk"), _o("Survei Angkatan Kerja")],
        ),
        _q(
            name="Waktu layanan",
            qtype="truefalse",
            correct_true=False,
            text="<p>Jangka waktu pelayanan boleh diubah petugas sesuai kesibukannya.</p>",
            false_feedback="Benar: jangka waktu ditetapkan dalam standar pelayanan.",
        ),
    ],
    "Etika ASN": [
        _q(
            name="Nilai dasar BerAKHLAK",
            qtype="multiple",
            text="<p>Manakah yang termasuk nilai dasar ASN BerAKHLAK?</p>",
            options=[_o("Berorientasi Pelayanan", 50), _o("Akuntabel", 50), _o("Eksklusif", -100)],
        ),
        _q(
            name="Gratifikasi",
            qtype="truefalse",
            correct_true=False,
            text="<p>ASN boleh menerima hadiah dari pemohon layanan asalkan nilainya kecil.</p>",
            false_feedback="Tepat: itu gratifikasi dan harus ditolak atau dilaporkan.",
        ),
        _q(
            name="Kode etik",
            qtype="shortanswer",
            text="<p>Lembaga yang mengawasi penerapan sistem merit ASN sejak 2023 adalah Badan Kepegawaian … "
            "(satu kata).</p>",
            options=[_o("Negara", 100)],
        ),
        _q(
            name="Pelayanan prima menurut Anda",
            qtype="essay",
            text="<p>Ceritakan satu pengalaman pelayanan di unit Anda dan bagaimana Anda akan memperbaikinya.</p>",
            grader_info="Nilai penuh bila menyebut masalah, penyebab, dan langkah perbaikan yang konkret.",
            default_mark=Decimal("4"),
        ),
    ],
}


def _category(name: str, parent: QuestionCategory | None) -> QuestionCategory:
    if parent is None:
        existing = QuestionCategory.get_root_nodes().filter(name=name).first()
        return existing or QuestionCategory.add_root(name=name)
    existing = parent.get_children().filter(name=name).first()
    if existing:
        return existing
    parent.refresh_from_db()
    return parent.add_child(name=name)


def seed_bank(trainer=None) -> dict[str, Question]:
    root = _category(BANK, None)
    questions = {}
    for category_name, specs in QUESTIONS.items():
        category = _category(category_name, root)
        for spec in specs:
            spec = dict(spec)
            options = spec.pop("options", [])
            question = Question.objects.filter(category=category, name=spec["name"]).first()
            if question is None:
                question = Question(category=category, created_by=trainer, **spec)
                question.options = [QuestionOption(sort_order=i, **option) for i, option in enumerate(options)]
                question.tags.set(["demo", category_name.split()[0].lower()])
                question.save()
            questions[question.name] = question
    return questions


def _quiz(parent, slug: str, *, questions=(), draws=(), **fields) -> tuple[QuizPage, bool]:
    existing = QuizPage.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    quiz = QuizPage(slug=slug, **fields)
    quiz.quiz_questions = [QuizQuestion(question=q, sort_order=i) for i, q in enumerate(questions)]
    quiz.random_draws = [QuizRandomDraw(sort_order=i, **draw) for i, draw in enumerate(draws)]
    parent.add_child(instance=quiz)
    quiz.save_revision().publish()
    return quiz, True


def answer_fields(slot: AttemptSlot, *, right: bool, rng: random.Random) -> dict[str, list[str]]:
    """Form fields a learner would send for one question, answering it right or wrong (demo and bench)."""
    data = slot.version.data
    return qtypes.for_data(data).demo_answer(data, slot.layout, f"q{slot.number}", right=right, rng=rng)


def take(quiz: QuizPage, user, *, ability: float, rng: random.Random) -> Attempt:
    """One attempt answered with the given chance of each answer being right, then submitted."""
    attempt = services.attempt_start(quiz=quiz, user=user, seed=rng.randint(0, 10**6))
    slots = list(attempt.slots.select_related("version").order_by("number"))
    post = QueryDict(mutable=True)
    for slot in slots:
        for name, values in answer_fields(slot, right=rng.random() < ability, rng=rng).items():
            post.setlist(name, values)
    services.attempt_save(attempt_id=attempt.pk, user=user, seq=1, post=post, slot_numbers=[s.number for s in slots])
    return services.attempt_submit(attempt_id=attempt.pk, user=user)


@transaction.atomic
def seed(*, stdout=None) -> dict:
    """Idempotent: the bank, the quizzes and the attempts are created once."""
    user_model = get_user_model()
    trainer = user_model.objects.filter(username="pengajar").first()
    questions = seed_bank(trainer)
    course = CoursePage.objects.filter(slug="pelayanan-publik-prima").first()
    if course is None:
        return {"questions": questions}
    module = ModulePage.objects.child_of(course).order_by("path").first()
    etika = QuestionCategory.objects.get(name="Etika ASN")
    standard = [
        questions[name]
        for name in (
            "Dasar hukum pelayanan publik",
            "Asas pelayanan publik",
            "Maklumat pelayanan",
            "Komponen standar pelayanan",
            "Urutan penanganan pengaduan",
            "Singkatan SP4N-LAPOR",
        )
    ]
    measured = [
        questions[name] for name in ("Jam pelajaran per tahun", "Menit per JP", "Indeks kepuasan", "Waktu layanan")
    ]
    same_test = {"questions": standard + measured, "questions_per_page": 5}  # pre- and post-test ask alike
    pretest, _ = _quiz(
        course,
        "pre-test",
        title="Pre-test Pelayanan Publik Prima",
        quiz_role=QuizRole.PRETEST,
        required=False,
        attempts_allowed=1,
        **same_test,
        review_right_answers=False,
        review_feedback=False,
        intro="<p>Ukur pengetahuan awal Anda sebelum mulai belajar. Nilai tidak memengaruhi kelulusan.</p>",
    )
    module_quiz, _ = _quiz(
        module,
        "kuis-modul-1",
        title="Kuis Modul: Dasar-dasar Pelayanan Publik",
        questions=standard + [questions["Pelayanan prima menurut Anda"]],
        time_limit_minutes=20,
        pass_mark=Decimal("70"),
        questions_per_page=3,
        review_right_answers=True,
        draws=[{"category": etika, "count": 2, "include_subcategories": True, "tag_names": "", "mark": Decimal("1")}],
        intro="<p>Kerjakan setelah mempelajari materi modul 1. Waktu 20 menit.</p>",
    )
    posttest, _ = _quiz(
        course,
        "post-test",
        title="Post-test Pelayanan Publik Prima",
        quiz_role=QuizRole.POSTTEST,
        paired_pretest=pretest,
        attempts_allowed=2,
        **same_test,
        pass_mark=Decimal("70"),
        time_limit_minutes=30,
        intro="<p>Tes akhir kursus. Nilai minimum kelulusan 70.</p>",
    )
    if not Attempt.objects.filter(quiz__in=[pretest, module_quiz, posttest]).exists():
        _seed_attempts(course, pretest, module_quiz, posttest, trainer)
    if stdout is not None:
        stdout.write(
            f"  quizzes: {Question.objects.count()} questions, {QuizPage.objects.count()} quizzes, "
            f"{Attempt.objects.count()} attempts"
        )
    return {"questions": questions, "pretest": pretest, "module_quiz": module_quiz, "posttest": posttest}


def _seed_attempts(course, pretest, module_quiz, posttest, trainer) -> None:
    rng = random.Random(2026)  # the same demo every time
    learners = [
        enrolment.user
        for enrolment in Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE)
        .exclude(user__username="peserta")
        .select_related("user")
        .order_by("user__username")[:14]
    ]
    for index, learner in enumerate(learners):
        ability = 0.25 + 0.05 * index  # weaker to stronger learners: item statistics have something to show
        take(pretest, learner, ability=ability, rng=rng)
        if index % 4 != 3:
            attempt = take(module_quiz, learner, ability=min(0.95, ability + 0.3), rng=rng)
            essay = attempt.slots.filter(needs_grading=True).first()
            if essay is not None and trainer is not None and index % 3:
                services.essay_grade(
                    slot_id=essay.pk, mark=Decimal(rng.choice([2, 3, 4])), comment="Cukup baik.", grader=trainer
                )
        if index % 3 != 2:
            # The post-test opens once every module is complete: finish the lessons that are open first.
            for lesson in LessonPage.objects.live().descendant_of(course).order_by("path"):
                if lesson_access(user=learner, lesson=lesson).allowed:
                    lesson_mark_done(user=learner, lesson=lesson)
            if completion.may_take(user=learner, quiz=posttest, course_id=course.pk):
                take(posttest, learner, ability=min(0.98, ability + 0.35), rng=rng)
