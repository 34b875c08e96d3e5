"""the leader-mailbox letters and replies published to everyone (MBX-4), for the public list

Revision ID: 0020_published_reply
Revises: 0019_public_access
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020_published_reply'
down_revision = '0019_public_access'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('published_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('letter', sa.Text(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_published_reply_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_reply')),
    sa.UniqueConstraint('instance_id', name=op.f('uq_published_reply_instance_id'))
    )
    with op.batch_alter_table('published_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_reply_published_on'), ['published_on'], unique=False)


def downgrade():
    with op.batch_alter_table('published_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_reply_published_on'))
    op.drop_table('published_reply')
