"""Demo H5P content for ``seed_demo``: the project's own Kuis Singkat packages placed in two demo lessons."""

import json
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from courses.models import LessonPage, LessonProgress
from h5p import demo_package, services, xapi
from h5p.models import H5PContent, H5PResult, Requirement


@dataclass(frozen=True)
class DemoItem:
    """A one-question Kuis Singkat and the demo lesson it is placed in."""

    title: str
    description: str
    lesson_slug: str
    requirement: str
    question: str
    options: tuple[str, ...]
    correct: int  # index into options

    @property
    def content(self) -> dict:
        return demo_package.demo_content(question=self.question, options=self.options, correct=self.correct)


DEMO_ITEMS = [
    DemoItem(
        "Kuis Singkat: Standar Pelayanan",
        "Satu soal untuk memeriksa pemahaman Anda tentang standar pelayanan.",
        "standar-pelayanan",
        Requirement.COMPLETED,
        "Menurut UU 25/2009, siapa yang wajib menyusun dan menetapkan standar pelayanan?",
        ("Penyelenggara pelayanan publik", "Masyarakat pengguna layanan", "Ombudsman Republik Indonesia"),
        correct=0,
    ),
    DemoItem(
        "Kuis Singkat: Nilai Dasar BerAKHLAK",
        "Jawab dengan benar untuk menyelesaikan materi ini.",
        "berakhlak",
        Requirement.PASSED,
        "Huruf A yang pertama dalam BerAKHLAK adalah singkatan dari …",
        ("Adaptif", "Akuntabel", "Amanah"),
        correct=1,
    ),
]


def _item(plan: DemoItem) -> H5PContent:
    existing = H5PContent.objects.filter(title=plan.title).first()
    if existing is not None:
        return existing
    archive = ContentFile(demo_package.build_package(title=plan.title, content=plan.content), name="kuis-singkat.h5p")
    return services.content_create(title=plan.title, description=plan.description, package=archive)


def _place(content: H5PContent, *, lesson_slug: str, requirement: str):
    lesson = LessonPage.objects.filter(slug=lesson_slug).first()
    if lesson is None:
        return None
    placed = any(
        block.get("type") == "h5p" and (block.get("value") or {}).get("item") == content.pk
        for block in lesson.body.raw_data
    )
    if not placed:
        lesson.body.append(("h5p", {"item": content, "requirement": requirement}))
        lesson.save_revision().publish()
    return lesson


DEMO_HOST = "127.0.0.1:8000"  # the address `make run` serves; demo statements name it


def _demo_results(content: H5PContent, lesson) -> None:
    """Browser-reported results for a few learners who already finished the lesson (deterministic ids)."""
    done = (
        LessonProgress.objects.filter(lesson=lesson, completed_at__isnull=False)
        .select_related("user")
        .order_by("user__username")[:3]
    )
    path = reverse("h5p:activity", args=[content.pk])
    for position, progress in enumerate(done):
        user = progress.user
        correct = position != 1
        data = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"lms-demo/{content.pk}/{user.pk}")),
            "actor": {"name": user.display_name, "mbox": xapi.actor_mbox(user), "objectType": "Agent"},
            "verb": {"id": xapi.ADL + "completed", "display": {"en-US": "completed"}},
            "object": {"id": f"http://{DEMO_HOST}{path}", "objectType": "Activity"},
            "result": {
                "score": {"min": 0, "max": 1, "raw": 1 if correct else 0, "scaled": 1 if correct else 0},
                "completion": True,
                "success": correct,
            },
        }
        statement = xapi.parse_statement(json.dumps(data).encode(), activity_path=path, user=user, host=DEMO_HOST)
        result = H5PResult.objects.filter(user=user, content=content).first()
        services.statement_record(user=user, item=content, statement=statement, result=result)


@transaction.atomic
def seed(*, stdout=None) -> None:
    """Create the demo items and place them in their lessons. Running it again changes nothing."""
    placed = 0
    for plan in DEMO_ITEMS:
        content = _item(plan)
        lesson = _place(content, lesson_slug=plan.lesson_slug, requirement=plan.requirement)
        if lesson is not None:
            placed += 1
            _demo_results(content, lesson)
    if stdout is not None:
        stdout.write(f"  h5p: {H5PContent.objects.count()} items, {placed} placed in demo lessons")
