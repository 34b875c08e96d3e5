"""a clock may wait on someone outside the staff (a petitioner's request window, the higher organ's review): shown, never escalated

Revision ID: 0006_deadline_waiting
Revises: 0005_task_barred_user
Create Date: 2026-12-08 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_deadline_waiting'
down_revision = '0005_task_barred_user'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_column('waiting')
