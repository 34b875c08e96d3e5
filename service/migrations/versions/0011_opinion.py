"""opinions (审批意见) get a table of their own: step, department, author, time, verdict and words

Revision ID: 0011_opinion
Revises: 0010_task_viewed
Create Date: 2026-12-01 12:00:00

Opinions given before this revision are only in the history (task_completed and task_transferred
lines). Which answers of a step are opinions, and how their values read, is known only from the
diagram's forms, so they are not copied here: `flask --app service backfill-opinions` derives them
with the same rules a completion uses now.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_opinion'
down_revision = '0010_task_viewed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opinion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('step', sa.String(length=200), nullable=False),
    sa.Column('task_spec', sa.String(length=200), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('verdict', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_opinion_author_id_user_account')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_opinion_department_id_department')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_opinion_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['task_id'], ['human_task.id'], name=op.f('fk_opinion_task_id_human_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opinion'))
    )
    with op.batch_alter_table('opinion', schema=None) as batch_op:
        batch_op.create_index('ix_opinion_instance_at', ['instance_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_opinion_task_id'), ['task_id'], unique=False)


def downgrade():
    with op.batch_alter_table('opinion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opinion_task_id'))
        batch_op.drop_index('ix_opinion_instance_at')

    op.drop_table('opinion')
