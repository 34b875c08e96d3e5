"""account rules (ORG-2): when a password was set and whether it must change, earlier password hashes, failed log-ins for lock-out, named expiring revocable tokens, and account acts (ORG-4)

Revision ID: 0016_account_rules
Revises: 0015_definition_deployed_by
Create Date: 2026-12-01 13:00:00

"""
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '0016_account_rules'
down_revision = '0015_definition_deployed_by'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('api_token') as batch:
        batch.add_column(sa.Column('name', sa.String(100), nullable=False, server_default=''))
        batch.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
    # Existing passwords start ageing and existing tokens expire after the default term from now.
    moment = datetime.now(UTC).replace(tzinfo=None)
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE user_account SET password_changed_at = :t"), {"t": moment})
    bind.execute(sa.text("UPDATE api_token SET expires_at = :t"), {"t": moment + timedelta(days=90)})
    op.create_table(
        'password_history',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('user_account.id', ondelete='CASCADE'), nullable=False),
        sa.Column('password_hash', sa.String(255), nullable=False),
        sa.Column('replaced_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_password_history_user_id', 'password_history', ['user_id'])
    op.create_table(
        'login_failure',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('username', sa.String(64), nullable=False),
        sa.Column('address', sa.String(64), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_login_failure_username', 'login_failure', ['username'])
    op.create_index('ix_login_failure_address', 'login_failure', ['address'])
    op.create_index('ix_login_failure_at', 'login_failure', ['at'])
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


def downgrade():
    op.drop_table('account_event')
    op.drop_table('login_failure')
    op.drop_table('password_history')
    with op.batch_alter_table('api_token') as batch:
        for column in ('revoked_at', 'last_used_at', 'expires_at', 'name'):
            batch.drop_column(column)
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('must_change_password')
        batch.drop_column('password_changed_at')
