"""the inbox's order as an index: (status, due_at, created_at, id) replaces (status, due_at) (issue 15)

Revision ID: 0028_inbox_order_index
Revises: 0027_sweep_queued
Create Date: 2026-12-01 21:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0028_inbox_order_index'
down_revision = '0027_sweep_queued'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.create_index(
            'ix_human_task_status_order',
            ['status', 'due_at', 'created_at', 'id'],
            unique=False,
            postgresql_include=['department_id', 'role', 'barred_user_id', 'assignee_id', 'delegate_id'],
        )
        batch_op.drop_index('ix_human_task_status_due')


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.create_index('ix_human_task_status_due', ['status', 'due_at'], unique=False)
        batch_op.drop_index('ix_human_task_status_order')
