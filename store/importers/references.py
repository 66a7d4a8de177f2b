"""This module resolves the people an import file names by email to their staff ids."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.validation import RowReader
from store.models import Staff, StaffRole


class StaffDirectory:
    """Every person on the roster by email, loaded once per import."""

    def __init__(
        self, ids_by_email: dict[str, int], viewers: frozenset[int] = frozenset()
    ) -> None:
        self.ids_by_email = ids_by_email
        self.emails_by_id = {staff_id: email for email, staff_id in ids_by_email.items()}
        # Board and elected members: read-only, so they can be given no work.
        self.viewers = viewers

    @classmethod
    async def load(cls, session: AsyncSession) -> StaffDirectory:
        rows = (await session.execute(select(Staff.email, Staff.id, Staff.role))).all()
        return cls(
            {email: staff_id for email, staff_id, _ in rows},
            frozenset(staff_id for _, staff_id, role in rows if role is StaffRole.VIEWER),
        )

    def staff_id(self, cells: RowReader, column: str) -> int | None:
        """The id of the person named in `column`, recording a problem if they are unknown."""
        email = cells.email(column)
        if email is None:
            return None
        staff_id = self.ids_by_email.get(email)
        if staff_id is None:
            cells.problem(
                column, f"{email} is not on the roster; import them in the staff file first"
            )
        return staff_id

    def refuse_viewer(
        self, cells: RowReader, column: str, staff_id: int | None, work: str
    ) -> int | None:
        """`staff_id`, unless they are a viewer (read-only): then a problem, and None."""
        if staff_id is not None and staff_id in self.viewers:
            cells.problem(
                column,
                f"{self.emails_by_id[staff_id]} is a viewer (read-only) and cannot {work}; "
                "name someone else, or change their role in the staff file first",
            )
            return None
        return staff_id
