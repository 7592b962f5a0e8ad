"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date.date().isoformat()}

Rules (docs/writing-migrations.md): no import of gxschema.models; reversible;
expand, then migrate data in batches, then contract in a later release.
Say here why the change is needed and which services see it.
"""
<%
    # Alembic hands the imports over sorted as one string; the online operations
    # (gxschema.online) are first-party and go in a group of their own, as ruff wants.
    extra = imports.splitlines() if imports else []
    library = [line for line in extra if not line.startswith("from gxschema")]
    ours = [line for line in extra if line.startswith("from gxschema")]
%>
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
% for line in library:
${line}
% endfor
% if ours:

% for line in ours:
${line}
% endfor
% endif

revision: str = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
