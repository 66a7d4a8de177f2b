"""The edge: the only place an SDK is imported; inbound turns and deliveries as our own types."""
