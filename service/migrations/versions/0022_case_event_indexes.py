"""case history indexed by time and by person, for the audit log's newest-first list and its person filter

Revision ID: 0022_case_event_indexes
Revises: 0021_audit_chain
Create Date: 2026-12-01 16:25:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_case_event_indexes'
down_revision = '0021_audit_chain'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX, not batch_alter_table: on SQLite a batch operation rebuilds the table and
    # would drop the append-only triggers 0021 made.
    op.create_index('ix_case_event_at', 'case_event', ['at'], unique=False)
    op.create_index('ix_case_event_actor_at', 'case_event', ['actor_id', 'at'], unique=False)


def downgrade():
    op.drop_index('ix_case_event_actor_at', table_name='case_event')
    op.drop_index('ix_case_event_at', table_name='case_event')
