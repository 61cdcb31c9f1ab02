"""Column types shared by the models."""

from sqlalchemy import JSON, Enum, String
from sqlalchemy.dialects.postgresql import JSONB


def enum_column(enum_cls, length: int = 32) -> Enum:
    """A StrEnum stored as its value in a VARCHAR; new members need no schema change."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


# Byte-order collation on PostgreSQL so materialised paths sort and prefix-scan like on SQLite.
PathString = String(255).with_variant(String(255, collation="C"), "postgresql")

JSONDoc = JSON().with_variant(JSONB(), "postgresql")
