"""who deployed each diagram version and why: the version history names a person and a comment (issue 12)

Deploys from `flask deploy` and boot.sh have no person: deployed_by_id stays empty for them.

Revision ID: 0015_definition_deployed_by
Revises: 0014_task_completed_by_index
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_definition_deployed_by'
down_revision = '0014_task_completed_by_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('process_definition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deployed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('comment', sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_process_definition_deployed_by_id_user_account'), 'user_account', ['deployed_by_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('process_definition', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_process_definition_deployed_by_id_user_account'), type_='foreignkey')
        batch_op.drop_column('comment')
        batch_op.drop_column('deployed_by_id')
