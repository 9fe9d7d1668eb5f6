"""What is wrong with a workbook: every error at once, each with its sheet, row and column."""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from erp.errors import DomainError


@dataclass(frozen=True)
class WorkbookError:
    """One wrong cell (or header, or file). `row` is the Excel row number: the header is
    row 1, the first data row is 2; 0 means the file as a whole."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.sheet or _("workbook")]
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)


class WorkbookInvalid(DomainError):
    """The workbook was refused; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[WorkbookError]):
        self.errors = list(errors)
        message = ngettext(
            "The workbook has %(count)d error; nothing was imported.",
            "The workbook has %(count)d errors; nothing was imported.",
            len(self.errors),
        ) % {"count": len(self.errors)}
        super().__init__(message, details=[e.as_dict() for e in self.errors])
