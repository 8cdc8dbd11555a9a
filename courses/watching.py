"""Video-interval maths of the lesson heartbeat: what parts of a video a learner has really played.

Pure functions on lists of ``(start, end)`` seconds; no database, no Django.
"""

from __future__ import annotations

import math

MAX_INTERVALS = 200
MERGE_GAP_SECONDS = 0.5


def parse_intervals(text: str, *, limit: int = MAX_INTERVALS) -> list[tuple[float, float]]:
    """``"0-12.5,30-41"`` → [(0, 12.5), (30, 41)]; malformed parts are skipped."""
    intervals = []
    for part in (text or "").split(",")[:limit]:
        start, sep, end = part.partition("-")
        if not sep:
            continue
        try:
            start_value, end_value = float(start), float(end)
        except ValueError:
            continue
        if math.isfinite(start_value) and math.isfinite(end_value) and end_value > start_value >= 0:
            intervals.append((start_value, end_value))
    return intervals


def normalise_intervals(intervals, *, duration: float) -> list[list[float]]:
    """Clamp to [0, duration], sort and merge (gaps under half a second close)."""
    clamped = sorted(
        (max(0.0, start), min(end, duration)) for start, end in intervals if min(end, duration) > max(0.0, start)
    )
    merged: list[list[float]] = []
    for start, end in clamped:
        if merged and start <= merged[-1][1] + MERGE_GAP_SECONDS:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    rounded = ([round(start, 2), round(end, 2)] for start, end in merged)
    return [[start, end] for start, end in rounded if end > start]


def covered_seconds(intervals) -> float:
    return sum(end - start for start, end in intervals)


def merge_watched(existing, incoming, *, duration: float, budget: float) -> list[list[float]]:
    """The union of what was watched before and what the player reports now, adding at most
    ``budget`` seconds of new coverage (earliest first): a heartbeat cannot claim more playing
    than the time that passed since the previous one allows. Union makes retries harmless."""
    before = normalise_intervals(existing, duration=duration)
    new_parts = []
    for start, end in normalise_intervals(incoming, duration=duration):
        cursor = start
        for old_start, old_end in before:
            if old_end <= cursor or old_start >= end:
                continue
            if old_start > cursor:
                new_parts.append((cursor, old_start))
            cursor = max(cursor, old_end)
        if cursor < end:
            new_parts.append((cursor, end))
    accepted = []
    remaining = max(0.0, budget)
    for start, end in sorted(new_parts):
        if remaining <= 0:
            break
        length = min(end - start, remaining)
        accepted.append((start, start + length))
        remaining -= length
    merged = normalise_intervals([*map(tuple, before), *accepted], duration=duration)
    if len(merged) > MAX_INTERVALS:  # keep the row small: drop the shortest pieces' gaps
        merged = merged[:MAX_INTERVALS]
    return merged
