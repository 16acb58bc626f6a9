"""Overleg en afspraken for the demo municipality Lindeveld.

Two overleg types:

* the *afstemmingsoverleg straf–zorg* of the Zorg- en Veiligheidshuis, chaired by demo-veiligthuis,
  on Tuesday and Thursday at 10:00, with four weeks of held meetings (one cancelled), and
* the *wijk-casusoverleg Lindeveld-Centrum*, chaired by demo-teamleider, on Wednesday at 14:00.

The history (past meetings, their agendas, discussion records and agreements) is written with plain
inserts and dated in the past: the services refuse past dates, as they should for real use. Today's
actions go through the services: a case waiting for the chair's triage, a case registered from a
verwijsindex match and admitted onto the next meeting, and the coming weeks of meetings generated
from the recurrence (which carries the open agreements onto the next agenda). Agreements exist in
every state: open, open and due soon, overdue, done on time, done late and cancelled.
"""

from keten.seeding.overleg_demo.data import STRAF_ZORG, WIJK
from keten.seeding.overleg_demo.profile import seed_overleg_demo

__all__ = ["STRAF_ZORG", "WIJK", "seed_overleg_demo"]
