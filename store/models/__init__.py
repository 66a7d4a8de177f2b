"""The ORM models, one module per area; import them from here."""

from store.models.audit_log import AuditLogEntry, ChangeSource
from store.models.audits import AuditAssignment, AuditStatus, AuditType
from store.models.base import Base, utc_now
from store.models.baselines import ImportBaseline
from store.models.board import BoardPackLink, BoardUpdate, Impact, Rag, ReviewStatus
from store.models.budget import SendBudget
from store.models.calendar import CalendarEvent, EventKind
from store.models.calls import (
    CallAckLink,
    CallExport,
    CallRecipient,
    CallStatus,
    InspectionCall,
)
from store.models.cases import Case, CaseCategory
from store.models.conversations import ConversationReference, ConversationType
from store.models.draws import AuditDraw
from store.models.findings import (
    AuditFinding,
    AuditFollowUp,
    AuditModeration,
    CallAudit,
    CallAuditCard,
    ModerationStatus,
    ReportExport,
)
from store.models.knowledge import AnswerFeedback, UnansweredQuestion
from store.models.outbox import (
    OutboxChannel,
    OutboxMessage,
    OutboxStatus,
    ReminderPreference,
    Snooze,
)
from store.models.people import Staff, StaffRole, Team
from store.models.plan import Action, ActionStatus, ExtensionRequest, ExtensionStatus
from store.models.recommendations import PriorityArea, Recommendation, RecommendationSource

__all__ = [
    "Action",
    "AnswerFeedback",
    "ActionStatus",
    "AuditAssignment",
    "AuditDraw",
    "AuditFinding",
    "AuditFollowUp",
    "AuditLogEntry",
    "AuditModeration",
    "AuditStatus",
    "AuditType",
    "Base",
    "BoardPackLink",
    "BoardUpdate",
    "CalendarEvent",
    "CallAckLink",
    "CallAudit",
    "CallAuditCard",
    "CallExport",
    "CallRecipient",
    "CallStatus",
    "Case",
    "CaseCategory",
    "ChangeSource",
    "ConversationReference",
    "ConversationType",
    "EventKind",
    "ExtensionRequest",
    "ExtensionStatus",
    "ImportBaseline",
    "Impact",
    "InspectionCall",
    "ModerationStatus",
    "OutboxChannel",
    "OutboxMessage",
    "OutboxStatus",
    "PriorityArea",
    "Rag",
    "Recommendation",
    "RecommendationSource",
    "ReminderPreference",
    "ReviewStatus",
    "ReportExport",
    "SendBudget",
    "Snooze",
    "Staff",
    "StaffRole",
    "Team",
    "UnansweredQuestion",
    "utc_now",
]
