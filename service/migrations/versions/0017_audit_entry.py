"""the administrative audit log: who changed what, when, before and after (ORG-4)

Revision ID: 0017_audit_entry
Revises: 0016_account_rules
Create Date: 2026-12-01 13:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_audit_entry'
down_revision = '0016_account_rules'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('target_type', sa.String(length=40), nullable=False),
        sa.Column('target_id', sa.String(length=100), nullable=True),
        sa.Column('summary', sa.String(length=500), nullable=False),
        sa.Column('before', sa.JSON(none_as_null=True), nullable=True),
        sa.Column('after', sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_audit_entry_at', 'audit_entry', ['at'])
    op.create_index('ix_audit_entry_actor_id', 'audit_entry', ['actor_id'])
    op.create_index('ix_audit_entry_kind', 'audit_entry', ['kind'])
    op.create_index('ix_audit_entry_target', 'audit_entry', ['target_type', 'target_id'])


def downgrade():
    op.drop_table('audit_entry')
