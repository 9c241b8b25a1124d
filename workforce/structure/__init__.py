"""Position structuring (penataan jabatan): bulk reassignment, position moves and conversions, unit
merges and splits — each one transaction, kept in history — and the organisation chart at any date (history.py).

History model: EmployeePlacement rows (valid_from inclusive, valid_to exclusive) and UnitVersion rows.
An employee or unit without rows is read as it is now (an employee since their TMT CPNS); the first
change that touches them writes that baseline row. Effective dates may not be in the future (the
current record changes at once) nor on or before the start of the current period (history would
overlap); any error leaves everything unchanged.
"""

from ..history import org_chart, placement_history, structure_changes
from .placements import employees_reassign, position_convert, position_move
from .units import unit_split, units_merge

# The reads live in history.py; re-exported for callers of this package.
__all__ = [
    "employees_reassign",
    "org_chart",
    "placement_history",
    "position_convert",
    "position_move",
    "structure_changes",
    "unit_split",
    "units_merge",
]
