"""a closed deadline says whether it was kept and by how much it was late (abandoned, withdrawn, returned: not met)

Revision ID: 0007_deadline_outcome
Revises: 0006_deadline_waiting
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_deadline_outcome'
down_revision = '0006_deadline_waiting'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_time', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('late_by', sa.Integer(), nullable=True))
    # Clocks closed before this revision were all called met: whether they were kept is not known
    # (their closing moment against the calendar of the time), so they stay without a verdict.


def downgrade():
    # The earlier schema knew only met and cancelled: the other endings read as met again.
    op.execute("UPDATE deadline SET status = 'met' WHERE status IN ('abandoned', 'withdrawn', 'returned')")
    with op.batch_alter_table('deadline', schema=None) as batch_op:
        batch_op.drop_column('late_by')
        batch_op.drop_column('on_time')
