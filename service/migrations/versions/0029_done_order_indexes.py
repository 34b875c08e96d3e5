"""done tasks newest first by index: (department_id, status) and (completed_by_id, status) gain (completed_at, id) (issue 15)

Revision ID: 0029_done_order_indexes
Revises: 0028_inbox_order_index
Create Date: 2026-12-01 22:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0029_done_order_indexes'
down_revision = '0028_inbox_order_index'
branch_labels = None
depends_on = None

WIDER = (
    ('ix_human_task_dept_status', 'ix_human_task_dept_done_order', 'department_id'),
    ('ix_human_task_completed_by_status', 'ix_human_task_completed_by_order', 'completed_by_id'),
)


def upgrade():
    # Each new index starts with the old one's columns, so whatever used the old one can use it.
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        for old, new, first in WIDER:
            batch_op.create_index(new, [first, 'status', 'completed_at', 'id'], unique=False)
            batch_op.drop_index(old)


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        for old, new, first in WIDER:
            batch_op.create_index(old, [first, 'status'], unique=False)
            batch_op.drop_index(new)
