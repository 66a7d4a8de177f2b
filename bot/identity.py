"""This module matches a Teams user to a person on the roster and remembers the match."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from aiohttp import ClientError
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import ChannelAccount
from botframework.connector.models import ErrorResponseException
from msrest.exceptions import HttpOperationError

from store.repositories import audit_log
from store.repositories import staff as staff_repository

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from store.models import Staff

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TeamsUser:
    """Who sent an activity, as Teams describes them."""

    user_id: str
    aad_object_id: str | None = None
    name: str | None = None

    @classmethod
    def from_account(cls, account: ChannelAccount) -> TeamsUser:
        """The sender of an activity."""
        return cls(
            user_id=account.id or "",
            aad_object_id=account.aad_object_id or None,
            name=account.name or None,
        )


class MemberDirectory(Protocol):
    """Looks up a conversation member's email addresses (email first, then UPN)."""

    async def addresses_of(self, user_id: str) -> list[str]: ...


class TeamsMemberDirectory:
    """The member directory of the conversation a turn belongs to, via the Teams roster API."""

    def __init__(self, turn_context: TurnContext) -> None:
        self._turn_context = turn_context

    async def addresses_of(self, user_id: str) -> list[str]:
        try:
            member = await TeamsInfo.get_member(self._turn_context, user_id)
        except (ErrorResponseException, HttpOperationError, ClientError, OSError) as exc:
            # Without the roster API we can only answer as for a guest; the turn goes on.
            logger.warning("Could not look up a conversation member: %s", type(exc).__name__)
            return []
        return [a for a in (member.email, member.user_principal_name) if a]


async def identify(
    session: AsyncSession, user: TeamsUser, directory: MemberDirectory
) -> Staff | None:
    """The roster entry for `user`: by AAD object id, else by email or UPN (remembered).

    The caller owns the transaction; a new match is written to the staff row so the next
    turn finds it by AAD object id without asking Teams.
    """
    if user.aad_object_id:
        staff = await staff_repository.find_by_aad_object_id(session, user.aad_object_id)
        if staff is not None:
            return staff
    if not user.user_id:
        return None
    staff = await staff_repository.find_by_emails(
        session, await directory.addresses_of(user.user_id)
    )
    if staff is not None and user.aad_object_id and staff.aad_object_id != user.aad_object_id:
        if staff.aad_object_id:
            logger.warning("Staff %s has a new AAD object id; keeping the new one", staff.id)
        audit_log.record_change(
            session,
            actor=staff.email,
            entity="staff",
            key=staff.email,
            field="aad_object_id",
            old=staff.aad_object_id,
            new=user.aad_object_id,
        )
        staff.aad_object_id = user.aad_object_id
    return staff
