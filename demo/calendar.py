"""The demo school's calendar: the usual Russian pattern of quarters, halves and holidays."""

from datetime import date, timedelta


def academic_year_bounds(today: date) -> tuple[date, date]:
    """Sept 1 – May 31 of the school year containing `today` (summer belongs to the year just ended)."""
    y = today.year if today.month >= 9 else today.year - 1
    return date(y, 9, 1), date(y + 1, 5, 31)


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def school_calendar(start: date):
    """Quarters, halves and holidays in the usual Russian pattern for the year starting `start`."""
    y = start.year
    autumn = _on_or_after(date(y, 10, 24), 5)  # a Saturday
    winter = (date(y, 12, 29), _on_or_after(date(y + 1, 1, 8), 6))
    spring = _on_or_after(date(y + 1, 3, 21), 5)
    first_grade = _on_or_after(date(y + 1, 2, 14), 5)
    end = date(y + 1, 5, 31)
    holidays = [
        ("Осенние каникулы", autumn, autumn + timedelta(days=8), ""),
        ("Зимние каникулы", winter[0], winter[1], ""),
        ("Дополнительные каникулы для первоклассников", first_grade, first_grade + timedelta(days=8), "1"),
        ("Весенние каникулы", spring, spring + timedelta(days=8), ""),
    ]
    quarters = [
        (start, autumn - timedelta(days=1)),
        (autumn + timedelta(days=9), winter[0] - timedelta(days=1)),
        (winter[1] + timedelta(days=1), spring - timedelta(days=1)),
        (spring + timedelta(days=9), end),
    ]
    halves = [(start, winter[0] - timedelta(days=1)), (winter[1] + timedelta(days=1), end)]
    return quarters, halves, holidays
