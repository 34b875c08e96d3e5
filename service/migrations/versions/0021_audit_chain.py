"""one tamper-evident audit chain (issue 14): seq and hash on audit entries and case history, the
chain head, and triggers that refuse any change but sealing and any removal

Revision ID: 0021_audit_chain
Revises: 0020_published_reply
Create Date: 2026-12-09 10:00:00

The triggers let a test helper clear the tables: on PostgreSQL when the transaction has set
`govflow.audit_purge` to 'on' (SET LOCAL), on SQLite while the connection holds a temporary table
named govflow_audit_purge. The service does neither. A later batch migration that rebuilds one of
these tables on SQLite must create its triggers again.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_audit_chain'
down_revision = '0020_published_reply'
branch_labels = None
depends_on = None

TABLES = {
    'audit_entry': ('id', 'at', 'actor_id', 'kind', 'target_type', 'target_id', 'summary', 'before', 'after'),
    'case_event': ('id', 'instance_id', 'at', 'actor_id', 'kind', 'task_id', 'details'),
}

POSTGRES_FUNCTION = """
CREATE FUNCTION govflow_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        IF current_setting('govflow.audit_purge', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '% rows are append-only: never deleted', TG_TABLE_NAME;
    END IF;
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'hash') = (to_jsonb(OLD) - 'seq' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% rows are append-only: only seq and hash are set, once', TG_TABLE_NAME;
END
$$
"""


def _sqlite_triggers(table, columns):
    changed = ' OR '.join(f'NEW.{c} IS NOT OLD.{c}' for c in columns)
    return [
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        WHEN NOT EXISTS (SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = 'govflow_audit_purge')
        BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: never deleted'); END""",
        f"""CREATE TRIGGER {table}_seal_once BEFORE UPDATE ON {table}
        WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR NEW.hash IS NULL OR {changed}
        BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: only seq and hash are set, once'); END""",
    ]


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('seq', sa.Integer(), nullable=True))
        op.add_column(table, sa.Column('hash', sa.String(length=64), nullable=True))
        op.create_index(op.f(f'ix_{table}_seq'), table, ['seq'], unique=True)
    chain = op.create_table('audit_chain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain'))
    )
    op.bulk_insert(chain, [{'id': 1, 'seq': 0, 'hash': ''}])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRES_FUNCTION)
        for table in TABLES:
            op.execute(f'CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} '
                       'FOR EACH ROW EXECUTE FUNCTION govflow_append_only()')
            op.execute(f'CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} '
                       'FOR EACH STATEMENT EXECUTE FUNCTION govflow_append_only()')
    else:
        for table, columns in TABLES.items():
            for statement in _sqlite_triggers(table, columns):
                op.execute(statement)


def downgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    for table in TABLES:
        if postgres:
            op.execute(f'DROP TRIGGER {table}_append_only ON {table}')
            op.execute(f'DROP TRIGGER {table}_no_truncate ON {table}')
        else:
            op.execute(f'DROP TRIGGER {table}_no_delete')
            op.execute(f'DROP TRIGGER {table}_seal_once')
    if postgres:
        op.execute('DROP FUNCTION govflow_append_only()')
    op.drop_table('audit_chain')
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_seq'))
            batch_op.drop_column('hash')
            batch_op.drop_column('seq')
