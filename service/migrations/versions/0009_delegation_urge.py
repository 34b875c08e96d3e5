"""a task can be delegated (委派) to a colleague who hands back a draft answer, and counts how often it was urged (催办)

Revision ID: 0009_delegation_urge
Revises: 0008_deadline_target
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_delegation_urge'
down_revision = '0008_deadline_target'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delegate_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('delegated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('draft', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('urge_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_urged_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_human_task_delegate_id_user_account'), 'user_account', ['delegate_id'], ['id']
        )
        batch_op.create_index('ix_human_task_delegate_status', ['delegate_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_delegate_status')
        batch_op.drop_constraint(batch_op.f('fk_human_task_delegate_id_user_account'), type_='foreignkey')
        batch_op.drop_column('last_urged_at')
        batch_op.drop_column('urge_count')
        batch_op.drop_column('draft')
        batch_op.drop_column('delegated_at')
        batch_op.drop_column('delegate_id')
