"""Service settings from the environment (prefix ``KAINUU_``; ``DATABASE_URL`` for storage)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from matcher.core.paths import DATA_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAINUU_", extra="ignore")

    data_dir: Path = DATA_DIR
    max_batch: int = Field(default=100, ge=1, le=10_000)
    max_batch_results: int = Field(default=2_000, ge=1, le=1_000_000)  # profiles x top per request
    max_body_bytes: int = Field(default=1_000_000, ge=1_000)
    max_import_rows: int = Field(default=1_000, ge=1, le=100_000)
    # rate limits (the `limits` notation; ';' joins several): per client address without a key,
    # per key id, and failed key checks per address; storage "memory://" is per worker process
    rate_limit_anonymous: str = "300/minute"
    rate_limit_key: str = "1200/minute"
    rate_limit_auth_failures: str = "20/minute"
    rate_limit_storage: str = "memory://"
    session_secret: str = Field(default="", description="web session signing secret; empty: generated into "
                                "the state folder beside the SQLite file")
    database_url: str = Field(default="", validation_alias=AliasChoices("DATABASE_URL", "KAINUU_DATABASE_URL"))

    def db_url(self) -> str:
        from .storage import DEFAULT_URL

        return self.database_url or DEFAULT_URL
