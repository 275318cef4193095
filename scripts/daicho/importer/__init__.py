"""Import a city's registers from its Excel workbooks and CSV files.

reader (files → grids of cells) → layout (header row or 単票 labels) → values (cells as offices
write them) → mapping (headers → fields) → records (rows → checked records) → writer.
"""

from daicho.importer.mapping import MappingError, read_user_map
from daicho.importer.records import Batch, Planned, plan
from daicho.importer.writer import write

TARGETS = ("contract", "disclosure", "filebook", "jimu")

__all__ = ["TARGETS", "Batch", "MappingError", "Planned", "plan", "read_user_map", "write"]
