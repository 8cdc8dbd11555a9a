"""Models of the courses app: pages (catalogue, course, module, lesson) and learner progress."""

from courses.models.pages import (
    JP_RANGES,
    CompetencyKind,
    CompletionRule,
    CourseCategory,
    CourseIndexPage,
    CoursePage,
    EnrolmentMode,
    EnrolmentWindow,
    LessonPage,
    ModulePage,
    TrainingMode,
)
from courses.models.progress import (
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    JPCredit,
    JPEntryKind,
    LessonProgress,
    ProgressStatus,
)

__all__ = [
    "JP_RANGES",
    "CompetencyKind",
    "CompletionRule",
    "CourseCategory",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "EnrolmentMode",
    "EnrolmentSource",
    "EnrolmentStatus",
    "EnrolmentWindow",
    "JPCredit",
    "JPEntryKind",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "ProgressStatus",
    "TrainingMode",
]
