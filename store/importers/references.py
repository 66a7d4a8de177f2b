"""This module resolves the people an import file names by email to their staff ids."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.importers.validation import RowReader
from store.models import Staff


class StaffDirectory:
    """Every person on the roster by email, loaded once per import."""

    def __init__(self, ids_by_email: dict[str, int]) -> None:
        self.ids_by_email = ids_by_email
        self.emails_by_id = {staff_id: email for email, staff_id in ids_by_email.items()}

    @classmethod
    async def load(cls, session: AsyncSession) -> StaffDirectory:
        rows = await session.execute(select(Staff.email, Staff.id))
        return cls({email: staff_id for email, staff_id in rows})

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
