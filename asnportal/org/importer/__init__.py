"""Employee import from a BKN SIASN-style export (CSV or XLSX): validate every row, then all or nothing.

The run has two phases. Validation reads the whole file, checks every row against the rules of
DESIGN.md §4 (NIP per Perka BKN 22/2007, golongan per PNS/PPPK, jenis jabatan and jenjang) and
against the database (unit of the region, supervisor NIPs, NIPs held by another region, supervisor
cycles), and reports progress outside any transaction so the page can show it. Only when no row has
an error does the write phase run: one transaction, bulk upserts on NIP, supervisors in a second pass.
"""

from .exports import errors_xlsx, template_xlsx
from .reading import COLUMNS, EXAMPLE_ROW, ImportFileError, file_kind, parse_rank, read_table
from .validation import error_message
from .writing import ImportRaced, employee_import_run

__all__ = [
    "COLUMNS",
    "EXAMPLE_ROW",
    "ImportFileError",
    "ImportRaced",
    "employee_import_run",
    "error_message",
    "errors_xlsx",
    "file_kind",
    "parse_rank",
    "read_table",
    "template_xlsx",
]
