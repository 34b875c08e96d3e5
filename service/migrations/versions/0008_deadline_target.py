"""a clock copies whether its calendar days roll (ESC-2, ERR-2) and a local target in another unit, with both dates (PET-2, PUB-13)

Revision ID: 0008_deadline_target
Revises: 0007_deadline_outcome
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_deadline_target'
down_revision = '0007_deadline_outcome'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rolls', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('target_amount', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('target_unit', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('ceiling_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('target_due_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_column('target_due_on')
        batch_op.drop_column('ceiling_due_on')
        batch_op.drop_column('target_unit')
        batch_op.drop_column('target_amount')
        batch_op.drop_column('rolls')
