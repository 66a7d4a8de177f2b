"""The edge on the Bot Framework SDK for Python (botbuilder 4.17, archived upstream)."""
