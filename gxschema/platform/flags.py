"""Feature flags: is a feature on for this user?

    from gxschema.platform import flags

    if flags.is_enabled(session, "enable_webhooks", user_id=user.id, roles=user.roles):
        ...

The decision, in order (`evaluate`):

1. no such flag for the tenant, or the flag is disabled (``isEnabled`` false): off;
2. the user is in ``targetUserIds``, or one of `roles` is in ``targetRoles``: on;
3. ``rolloutPercent`` 100: on; 0: off;
4. otherwise the user's `bucket` (0-99) is below ``rolloutPercent``: on. Without a
   user there is no bucket, so a partial rollout is off.

The bucket is ``int(sha256(f"{flag_key}:{user_id}" as UTF-8).hexdigest(), 16) % 100``:
the same number in every process, on every machine and for every Python version
(``hash()`` is salted per process and would not be), and easy to compute in another
language (TypeScript: ``BigInt("0x" + hex) % 100n``). Each flag gets its own buckets,
so the same 10% of users are not the early adopters of every flag; raising a flag's
percentage only ever adds users.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from gxschema.models import FeatureFlag

DEFAULT_TENANT = "global"


def bucket(flag_key: str, user_id: str) -> int:
    """The stable rollout bucket (0-99) of `user_id` for the flag `flag_key`."""
    digest = hashlib.sha256(f"{flag_key}:{user_id}".encode()).hexdigest()
    return int(digest, 16) % 100


def evaluate(
    flag: FeatureFlag | None, *, user_id: str | None = None, roles: Iterable[str] = ()
) -> bool:
    """Whether `flag` (a loaded row, or None when there is none) is on for this user."""
    if flag is None or not flag.is_enabled:
        return False
    if user_id is not None and user_id in (flag.target_user_ids or ()):
        return True
    target_roles = set(flag.target_roles or ())
    if target_roles and any(role in target_roles for role in roles):
        return True
    if flag.rollout_percent >= 100:
        return True
    if flag.rollout_percent <= 0 or user_id is None:
        return False
    return bucket(flag.flag_key, user_id) < flag.rollout_percent


def get(session: Session, key: str, *, tenant_id: str = DEFAULT_TENANT) -> FeatureFlag | None:
    """The flag `key` of `tenant_id`, or None. Flags are looked up per tenant, no fallback."""
    return session.scalars(
        select(FeatureFlag).where(FeatureFlag.tenant_id == tenant_id, FeatureFlag.flag_key == key)
    ).one_or_none()


def is_enabled(
    session: Session,
    key: str,
    *,
    tenant_id: str = DEFAULT_TENANT,
    user_id: str | None = None,
    roles: Iterable[str] = (),
) -> bool:
    """Whether the flag `key` is on for `user_id` with `roles`; an unknown flag is off."""
    return evaluate(get(session, key, tenant_id=tenant_id), user_id=user_id, roles=roles)
