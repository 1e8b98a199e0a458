"""Alembic migrations for the practice database (run by ``practice_db.init_db``)."""
