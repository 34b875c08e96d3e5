"""the public's key to a case they submitted: its channel and the hash of its query code

Revision ID: 0019_public_access
Revises: 0018_audit_account_events
Create Date: 2026-12-01 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_public_access'
down_revision = '0018_audit_account_events'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_public_access_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_access')),
    sa.UniqueConstraint('instance_id', name=op.f('uq_public_access_instance_id'))
    )


def downgrade():
    op.drop_table('public_access')
