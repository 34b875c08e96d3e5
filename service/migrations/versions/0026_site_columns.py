"""the register of the website's columns: owner, kind, interval, last update (COL-1..4)

Revision ID: 0026_site_columns
Revises: 0024_scheduled_case
Create Date: 2026-12-01 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_site_columns'
down_revision = '0024_scheduled_case'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_column',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('path', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('interval_days', sa.Integer(), nullable=True),
    sa.Column('content_plan', sa.Text(), nullable=False),
    sa.Column('last_update', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_site_column_department_id_department')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_site_column_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_column')),
    sa.UniqueConstraint('path', name=op.f('uq_site_column_path'))
    )
    op.create_index(op.f('ix_site_column_department_id'), 'site_column', ['department_id'], unique=False)
    op.create_index(op.f('ix_site_column_status'), 'site_column', ['status'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_site_column_status'), table_name='site_column')
    op.drop_index(op.f('ix_site_column_department_id'), table_name='site_column')
    op.drop_table('site_column')
