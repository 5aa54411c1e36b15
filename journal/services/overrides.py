"""Explicit, audited exceptions to the lesson lock.

Only two procedures may write into a lesson its teacher can no longer change: the
deputy applying an approved объяснительная, and the transfer of a temporary (paper)
journal after an outage. They build a LockOverride naming the lessons and the reason;
the entry services accept it as `override=` and the reason goes into every audit row.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LockOverride:
    reason: str
    lesson_ids: frozenset
    # The deputy applies a teacher's request: she writes a lesson that is not hers.
    on_behalf: bool = False

    def covers(self, lesson) -> bool:
        return lesson.pk in self.lesson_ids
