"""what a person handled (已办, and its count on every inbox page) is found by an index, not by reading every task: done tasks pile up for years

Revision ID: 0014_task_completed_by_index
Revises: 0013_attachment
Create Date: 2026-12-01 13:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014_task_completed_by_index'
down_revision = '0013_attachment'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_human_task_completed_by_status', 'human_task', ['completed_by_id', 'status'])


def downgrade():
    op.drop_index('ix_human_task_completed_by_status', table_name='human_task')
