"""the cases the service opens by itself, one row per occurrence so each opens once (issue 14)

Revision ID: 0024_scheduled_case
Revises: 0023_disclosure_report
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_scheduled_case'
down_revision = '0023_disclosure_report'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('scheduled_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('occurrence', sa.String(length=200), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_scheduled_case_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_case')),
    sa.UniqueConstraint('source', 'occurrence', name=op.f('uq_scheduled_case_source'))
    )
    op.create_index(op.f('ix_scheduled_case_instance_id'), 'scheduled_case', ['instance_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_scheduled_case_instance_id'), table_name='scheduled_case')
    op.drop_table('scheduled_case')
