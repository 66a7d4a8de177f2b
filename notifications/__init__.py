"""Scheduled and broadcast messages: the scheduler, planners, outbox and sender."""
