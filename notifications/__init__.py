"""Outbound channels (SMS now; push, WeChat and the outbox worker later) and their fakes."""
