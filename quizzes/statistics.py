"""Item analysis as Moodle defines it, on each learner's first graded attempt, plus the score distribution.

For question i, with x_i(p) the mark attempt p earned on it, max_i its maximum, T(p) the attempt's total
and X_i(p) = T(p) − x_i(p) the rest of the test:

* facility index F_i = 100 · mean(x_i) / max_i  (how easy: the average share of the mark earned)
* standard deviation SD_i = 100 · sqrt( Σ (x_i − mean x_i)² / (N − 1) ) / max_i
* discrimination index D_i = 100 · r(x_i, X_i), the Pearson correlation between the question's marks
  and the rest-of-test marks (how well it separates strong from weak learners); undefined (None) when
  either varies not at all.

``item_analysis`` takes plain rows, so the numbers are computed in Python from two queries whatever the
number of attempts (see ``quiz_statistics``)."""

import math
import statistics as pystats
from collections import defaultdict
from dataclasses import dataclass, field

from quizzes.models import AttemptSlot, AttemptState, Question, QuestionType


@dataclass
class ItemStats:
    key: object
    name: str
    qtype: str
    attempts: int
    max_mark: float
    facility: float | None
    sd: float | None
    discrimination: float | None

    @property
    def type_label(self) -> str:
        """The question type in words ("Benar/salah"), not its code ("truefalse")."""
        return QuestionType(self.qtype).label if self.qtype in QuestionType.values else self.qtype

    @property
    def negative_discrimination(self) -> bool:
        """Learners who did better on the rest of the quiz did worse on this question: usually a wrong key,
        a misleading option or ambiguous wording. Worth a look before trusting the grades."""
        return self.discrimination is not None and self.discrimination < 0


@dataclass
class QuizStats:
    attempts: int = 0
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    items: list[ItemStats] = field(default_factory=list)
    distribution: list[tuple[str, int]] = field(default_factory=list)

    @property
    def negative_items(self) -> list[ItemStats]:
        return [item for item in self.items if item.negative_discrimination]


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    cov = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    var_x = sum((x - mean_x) ** 2 for x in xs)
    var_y = sum((y - mean_y) ** 2 for y in ys)
    if var_x == 0 or var_y == 0:
        return None
    return cov / math.sqrt(var_x * var_y)


def distribution(percents: list[float], *, bands: int = 10) -> list[tuple[str, int]]:
    """How many attempts fall in each band of 10 points: 0–10, 10–20, … 90–100 (100 counts in the last)."""
    width = 100 / bands
    counts = [0] * bands
    for percent in percents:
        counts[min(bands - 1, max(0, int(percent // width)))] += 1
    return [(f"{int(i * width)}–{int((i + 1) * width)}", counts[i]) for i in range(bands)]


def item_analysis(rows, *, names: dict | None = None) -> QuizStats:
    """``rows``: (attempt id, question key, mark, max mark, type) per question of each first attempt."""
    names = names or {}
    totals: dict[object, float] = defaultdict(float)
    maxima: dict[object, float] = defaultdict(float)
    per_item: dict[object, list[tuple[object, float]]] = defaultdict(list)
    item_max: dict[object, float] = {}
    item_type: dict[object, str] = {}
    for attempt_id, key, mark, max_mark, qtype in rows:
        mark = float(mark or 0)
        totals[attempt_id] += mark
        maxima[attempt_id] += float(max_mark)
        per_item[key].append((attempt_id, mark))
        item_max[key] = max(item_max.get(key, 0.0), float(max_mark))
        item_type[key] = qtype
    result = QuizStats(attempts=len(totals))
    percents = [100 * totals[a] / maxima[a] for a in totals if maxima[a]]
    if percents:
        result.mean = sum(percents) / len(percents)
        result.median = pystats.median(percents)
        result.sd = pystats.stdev(percents) if len(percents) > 1 else None
    result.distribution = distribution(percents)
    for key, marks in per_item.items():
        max_mark = item_max[key]
        xs = [mark for _attempt, mark in marks]
        rest = [totals[attempt] - mark for attempt, mark in marks]
        n = len(xs)
        mean = sum(xs) / n
        facility = 100 * mean / max_mark if max_mark else None
        sd = 100 * math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1)) / max_mark if n > 1 and max_mark else None
        r = pearson(xs, rest)
        result.items.append(
            ItemStats(
                key=key,
                name=names.get(key, str(key)),
                qtype=item_type[key],
                attempts=n,
                max_mark=max_mark,
                facility=facility,
                sd=sd,
                discrimination=100 * r if r is not None else None,
            )
        )
    result.items.sort(key=lambda item: (item.name, str(item.key)))
    return result


def quiz_statistics(*, quiz) -> QuizStats:
    """Item analysis of a quiz over each learner's first attempt that is fully graded. Two queries."""
    rows = list(
        AttemptSlot.objects.filter(
            attempt__quiz=quiz, attempt__number=1, attempt__state=AttemptState.FINISHED
        ).values_list("attempt_id", "question_id", "version_id", "mark", "max_mark", "version__data__type")
    )
    question_ids = {question_id for _a, question_id, *_rest in rows if question_id}
    names = dict(Question.objects.filter(pk__in=question_ids).values_list("pk", "name"))
    return item_analysis(
        [
            (attempt_id, question_id or f"v{version_id}", mark, max_mark, qtype)
            for attempt_id, question_id, version_id, mark, max_mark, qtype in rows
        ],
        names=names,
    )
