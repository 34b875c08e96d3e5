"""the sweep marks the clocks and timers it handed out, so it does not publish them again (issue 15)

Revision ID: 0027_sweep_queued
Revises: 0026_site_columns
Create Date: 2026-12-01 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027_sweep_queued'
down_revision = '0026_site_columns'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queued_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timers_queued_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('process_instance', schema=None) as batch_op:
        batch_op.drop_column('timers_queued_at')
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_column('queued_at')
