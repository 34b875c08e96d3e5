"""a task records when someone who may act on it first opened it: a completed step may be withdrawn (撤回) only until then

Revision ID: 0010_task_viewed
Revises: 0009_delegation_urge
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_task_viewed'
down_revision = '0009_delegation_urge'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_viewed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_column('first_viewed_at')
