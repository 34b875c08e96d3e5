"""抄送: a case copied to readers with the step it came from, a note and when each reader read it

Revision ID: 0012_case_copy
Revises: 0011_opinion
Create Date: 2026-12-01 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_case_copy'
down_revision = '0011_opinion'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_case_copy_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['task_id'], ['human_task.id'], name=op.f('fk_case_copy_task_id_human_task')),
    sa.ForeignKeyConstraint(['sender_id'], ['user_account.id'], name=op.f('fk_case_copy_sender_id_user_account')),
    sa.ForeignKeyConstraint(['recipient_id'], ['user_account.id'], name=op.f('fk_case_copy_recipient_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_copy'))
    )
    with op.batch_alter_table('case_copy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_copy_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index('ix_case_copy_recipient_read', ['recipient_id', 'read_at'], unique=False)
        batch_op.create_index(
            'uq_case_copy_unread',
            ['instance_id', 'recipient_id'],
            unique=True,
            postgresql_where=sa.text('read_at IS NULL'),
            sqlite_where=sa.text('read_at IS NULL'),
        )


def downgrade():
    with op.batch_alter_table('case_copy', schema=None) as batch_op:
        batch_op.drop_index('uq_case_copy_unread')
        batch_op.drop_index('ix_case_copy_recipient_read')
        batch_op.drop_index(batch_op.f('ix_case_copy_instance_id'))
    op.drop_table('case_copy')
