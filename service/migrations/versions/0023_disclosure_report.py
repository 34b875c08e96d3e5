"""the figures the office enters for the annual disclosure report (STAT-3, NAT-3, NAT-4)

Revision ID: 0023_disclosure_report
Revises: 0022_case_event_indexes
Create Date: 2026-12-01 17:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_disclosure_report'
down_revision = '0022_case_event_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('disclosure_report_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_disclosure_report_entry_entered_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure_report_entry')),
    sa.UniqueConstraint('year', 'key', name='uq_disclosure_report_entry_year_key')
    )


def downgrade():
    op.drop_table('disclosure_report_entry')
