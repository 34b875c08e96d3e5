"""account acts (password changed/reset, unlock, token created/revoked) move into the audit log; account_event goes

Revision ID: 0018_audit_account_events
Revises: 0017_audit_entry
Create Date: 2026-12-01 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_audit_account_events'
down_revision = '0017_audit_entry'
branch_labels = None
depends_on = None

# The words of each account act (as service/services/audit.KIND_LABELS has them when this was written).
LABELS = {
    'password_changed': '修改密码',
    'password_reset': '重置密码',
    'account_unlocked': '解除锁定',
    'token_created': '新建访问令牌',
    'token_revoked': '撤销访问令牌',
}


def upgrade():
    bind = op.get_bind()
    # Typed columns, so each database hands back a datetime and a dict (SQLite's are text otherwise).
    event = sa.table(
        'account_event', sa.column('id', sa.Integer()), sa.column('at', sa.DateTime()),
        sa.column('actor_id', sa.Integer()), sa.column('user_id', sa.Integer()),
        sa.column('kind', sa.String()), sa.column('details', sa.JSON()),
    )
    user = sa.table('user_account', sa.column('id', sa.Integer()), sa.column('username', sa.String()),
                    sa.column('name', sa.String()))
    query = (
        sa.select(event.c.at, event.c.actor_id, event.c.kind, event.c.details, user.c.username, user.c.name)
        .select_from(event.outerjoin(user, user.c.id == event.c.user_id))
        .order_by(event.c.id)
    )
    rows = bind.execute(query).mappings().all()
    entry = sa.table(
        'audit_entry', sa.column('at', sa.DateTime()), sa.column('actor_id', sa.Integer()),
        sa.column('kind', sa.String()), sa.column('target_type', sa.String()),
        sa.column('target_id', sa.String()), sa.column('summary', sa.String()),
        sa.column('after', sa.JSON(none_as_null=True)),
    )
    moved = [
        {
            'at': row['at'], 'actor_id': row['actor_id'], 'kind': row['kind'], 'target_type': 'user',
            'target_id': row['username'],
            'summary': f"{LABELS.get(row['kind'], row['kind'])}：{row['name'] or '已删除的账号'}"
            + (f"（{row['username']}）" if row['username'] else ''),
            'after': _details(row['details']),
        }
        for row in rows
    ]
    if moved:
        op.bulk_insert(entry, moved)
    op.drop_table('account_event')


def _details(details):
    return details or None


def downgrade():
    # The account acts stay in audit_entry: the table comes back empty, as the code before this used it.
    op.create_table(
        'account_event',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('user_account.id', ondelete='SET NULL'), nullable=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user_account.id', ondelete='SET NULL'), nullable=True),
        sa.Column('kind', sa.String(32), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
    )
    op.create_index('ix_account_event_at', 'account_event', ['at'])
    op.create_index('ix_account_event_user_id', 'account_event', ['user_id'])
