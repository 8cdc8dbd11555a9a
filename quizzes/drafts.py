"""What an importer makes of one question before it is saved (a draft) or why it could not (a problem).
Model-free, so the question types (quizzes.qtypes) and the file formats can build drafts without
importing the models."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class OptionDraft:
    text: str
    credit: Decimal = Decimal("0")
    feedback: str = ""
    match: str = ""
    tolerance: Decimal = Decimal("0")


@dataclass
class QuestionDraft:
    qtype: str
    name: str
    text: str  # HTML, already sanitised
    default_mark: Decimal = Decimal("1")
    general_feedback: str = ""
    options: list[OptionDraft] = field(default_factory=list)
    shuffle: bool = True
    case_sensitive: bool = False
    ignore_spaces: bool = False
    correct_true: bool = True
    true_feedback: str = ""
    false_feedback: str = ""
    response_template: str = ""
    grader_info: str = ""
    tags: list[str] = field(default_factory=list)
    category_path: list[str] = field(default_factory=list)
    category_description: str = ""  # of the category at category_path, set where that has none yet
    warnings: list[str] = field(default_factory=list)
    source_line: int = 0  # where the question starts in the file (GIFT), for the import report


@dataclass
class Problem:
    """A question of an imported file that was not imported, and why."""

    index: int
    name: str
    reason: str
    line: int = 0  # where the question starts in the file, when the format has lines
