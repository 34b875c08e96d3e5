"""a deadline may carry a date it must not pass (a proposal's transfer document, PRO-1)

Revision ID: 0004_deadline_latest_on
Revises: 0003_screening_terms
Create Date: 2026-11-30 02:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_deadline_latest_on'
down_revision = '0003_screening_terms'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('latest_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_column('latest_on')
