"""Service settings from the environment (prefix ``KAINUU_``; ``DATABASE_URL`` for storage)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from matcher.paths import DATA_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAINUU_", extra="ignore")

    data_dir: Path = DATA_DIR
    max_batch: int = Field(default=100, ge=1, le=10_000)
    max_body_bytes: int = Field(default=1_000_000, ge=1_000)
    max_import_rows: int = Field(default=1_000, ge=1, le=100_000)
    session_secret: str = Field(default="", description="web session signing secret; empty: generated into "
                                "the state folder beside the SQLite file")
    database_url: str = Field(default="", validation_alias=AliasChoices("DATABASE_URL", "KAINUU_DATABASE_URL"))

    def db_url(self) -> str:
        from .storage import DEFAULT_URL

        return self.database_url or DEFAULT_URL
