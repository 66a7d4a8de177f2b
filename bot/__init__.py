"""The service edge: HTTP app, Bot Framework adapter, Teams routing, settings and CLI."""
