"""The edge on the Microsoft 365 Agents SDK for Python, botbuilder's successor."""
