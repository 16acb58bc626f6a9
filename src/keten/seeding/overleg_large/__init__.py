"""Overleg en afspraken for the large profile (Amstelmere): two years of meetings.

Per municipality an afstemmingsoverleg straf–zorg (Tuesday and Thursday 10:00), an MDA++ triage
(Monday 13:00) and one wijk-casusoverleg per wijkteam (Wednesday 14:00; 22 at scale 1). For every
overleg two years of held meetings (a few cancelled) and six weeks of planned ones are written
with bulk inserts: cases arrive, are admitted (some declined), come back every other meeting for a
while and leave with a follow-up; each discussion leaves a record and one or two agreements,
owned by an attendee or by their organisation, most done (some late), some cancelled, some open
and overdue.

For the benchmarks: bench-professional attends the straf–zorg meetings and owns a share of their
agreements (the "my agreements" dashboard), and the next planned straf–zorg meeting has exactly
:data:`BENCH_CASES` cases, each with open agreements (the meeting page).
"""

from keten.seeding.overleg_large.data import BENCH_CASES, STRAF_ZORG_NAME
from keten.seeding.overleg_large.profile import bench_meeting, seed_overleg_large

__all__ = ["BENCH_CASES", "STRAF_ZORG_NAME", "bench_meeting", "seed_overleg_large"]
