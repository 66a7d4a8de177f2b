"""Conversations: each module turns one kind of request into replies, on plain data."""
