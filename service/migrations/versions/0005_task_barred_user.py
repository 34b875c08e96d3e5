"""an approval task records the person who may not act on it: the one whose work it approves (four eyes)

Revision ID: 0005_task_barred_user
Revises: 0004_deadline_latest_on
Create Date: 2026-12-01 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_task_barred_user'
down_revision = '0004_deadline_latest_on'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('barred_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_human_task_barred_user_id_user_account'), 'user_account', ['barred_user_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_human_task_barred_user_id_user_account'), type_='foreignkey')
        batch_op.drop_column('barred_user_id')
