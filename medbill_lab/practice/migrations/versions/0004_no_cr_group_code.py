"""CAS group code CR is not valid in 5010: the adjustments table no longer accepts it.

The 005010X221A1 835 has four claim adjustment group codes: CO, PR, OA and PI.
CR (correction and reversal) was a 4010 code; in 5010 a reversal is a claim with
CLP02 22.  The check constraint on ``adjustments.group_code`` is narrowed to the
four.  An adjustment already posted with CR would make the upgrade fail with a
message (none can be: the 835 reader and the poster refuse CR).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ck_adjustments_group_code"
FIVE_010 = "group_code IN ('CO', 'PR', 'OA', 'PI')"
WITH_CR = "group_code IN ('CO', 'PR', 'OA', 'PI', 'CR')"


def _replace(condition: str) -> None:
    with op.batch_alter_table("adjustments", schema=None, recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_="check")
        batch_op.create_check_constraint(op.f(NAME), condition)


def upgrade() -> None:
    """Upgrade schema."""
    found = (
        op.get_bind()
        .execute(sa.text("SELECT COUNT(*) FROM adjustments WHERE group_code = 'CR'"))
        .scalar()
    )
    if found:
        raise ValueError(
            f"{found} adjustments have group code CR, which is not valid in 5010; "
            "repost them as CO, PR, OA or PI (a reversal is CLP02 22) before upgrading"
        )
    _replace(FIVE_010)


def downgrade() -> None:
    """Downgrade schema."""
    _replace(WITH_CR)
