"""Dutch working days for meldcode deadlines: the shared helper lives in ``keten.core.workdays``."""

from keten.core.workdays import add_working_days, is_working_day, working_days_between

__all__ = ["add_working_days", "is_working_day", "working_days_between"]
