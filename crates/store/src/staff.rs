//! A venue's team: who may sign in, with which role, how a new member
//! joins (a one-time invite link, no email needed), and each member's own
//! password.
//!
//! Two rules hold under concurrency, not only in the form: a tenant always
//! keeps an owner (removing or demoting one locks the tenant's owners
//! first), and an invite link creates one account at most (its row is
//! claimed by the same transaction that inserts the user).

use crate::accounts::StaffUser;
use crate::accounts::{
    checked_email, checked_password, duplicate_email, hash_password_blocking, token_hash, verify,
};
use crate::bookings::instant;
use crate::db::Store;
use crate::error::{Result, StoreError};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use domain::{Role, TenantId, UserId};
use rand::RngCore;

/// How long an invite link can be used.
pub const INVITE_TTL_DAYS: i64 = 7;

/// Open invites a tenant may have at once: enough for a hiring day, few
/// enough that a stolen session cannot mint links without end.
pub const MAX_OPEN_INVITES: i64 = 50;

/// Password work (argon2) of password changes allowed at once.
static PASSWORD_WORK: std::sync::LazyLock<tokio::sync::Semaphore> =
    std::sync::LazyLock::new(|| tokio::sync::Semaphore::new(2));

/// Longest name of a person (and invite note) kept.
pub const MAX_PERSON_NAME: usize = 80;

/// A member of a tenant's team, as the staff page lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Still signs in with a password someone else chose.
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
}

/// An invite link not yet used, revoked or expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub id: i64,
    pub role: Role,
    /// Who it is meant for, as whoever made it wrote ("Andi, evening desk").
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What an invite link's page shows before the account is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteOffer {
    pub tenant_name: String,
    pub role: Role,
    pub note: String,
    pub expires_at: DateTime<Utc>,
}

/// The secret of a new invite link; shown once, never stored.
pub struct InviteToken(String);

impl InviteToken {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The person (and role) asking for a change to the team.
#[derive(Debug, Clone, Copy)]
pub struct Acting {
    pub id: UserId,
    pub role: Role,
}

fn parse_role(role: &str) -> Result<Role> {
    role.parse()
        .map_err(|e| StoreError::Invalid(format!("{e}")))
}

/// A person's name as kept: trimmed, no control or invisible characters,
/// at most [`MAX_PERSON_NAME`] characters. Empty is allowed (the email
/// stands in).
pub(crate) fn checked_person_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.chars().count() > MAX_PERSON_NAME {
        return Err(StoreError::Invalid(format!(
            "a name has at most {MAX_PERSON_NAME} characters"
        )));
    }
    if name.chars().any(crate::resources::invisible) {
        return Err(StoreError::Invalid(
            "a name cannot contain control or invisible characters".into(),
        ));
    }
    Ok(name.to_string())
}

/// Who may hand out or take away `role`: only an owner makes or unmakes
/// owners; owners and admins manage everyone else; front desk nobody.
fn may_manage(acting: Acting, role: Role) -> Result<()> {
    match (acting.role, role) {
        (Role::Owner, _) => Ok(()),
        (Role::Admin, Role::Admin | Role::Staff) => Ok(()),
        (Role::Admin, Role::Owner) => Err(StoreError::Forbidden(
            "only an owner can make or change an owner".into(),
        )),
        (Role::Staff, _) => Err(StoreError::Forbidden(
            "front desk staff cannot change the team".into(),
        )),
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    must_change: i64,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct InviteRow {
    id: i64,
    role: String,
    note: String,
    created_at: i64,
    expires_at: i64,
}

impl Store {
    /// Everyone who can sign in to the tenant, owners first.
    pub async fn team(&self, tenant: TenantId) -> Result<Vec<TeamMember>> {
        let rows = sqlx::query_as::<_, MemberRow>(
            "SELECT id, email, name, role,
                    CAST(CASE WHEN must_change_password THEN 1 ELSE 0 END AS BIGINT) AS must_change,
                    CAST(created_at AS BIGINT) AS created_at
             FROM users WHERE tenant_id = $1
             ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, lower(name), id",
        )
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(TeamMember {
                    id: UserId(row.id),
                    email: row.email,
                    name: row.name,
                    role: parse_role(&row.role)?,
                    must_change_password: row.must_change != 0,
                    created_at: instant(row.created_at)?,
                })
            })
            .collect()
    }

    /// Makes a one-time link for someone to join the tenant as `role`.
    /// The token is returned once; only its hash is kept.
    pub async fn create_invite(
        &self,
        tenant: TenantId,
        acting: Acting,
        role: Role,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(Invite, InviteToken)> {
        may_manage(acting, role)?;
        let note = checked_person_name(note)?;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let expires = now + Duration::days(INVITE_TTL_DAYS);
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let open: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM staff_invites
             WHERE tenant_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(tenant.0)
        .bind(now.timestamp())
        .fetch_one(&mut **tx)
        .await?;
        if open >= MAX_OPEN_INVITES {
            return Err(StoreError::Invalid(format!(
                "there are already {open} open invites: revoke some first"
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO staff_invites (tenant_id, token_hash, role, note, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(tenant.0)
        .bind(token_hash(&token))
        .bind(role.as_str())
        .bind(&note)
        .bind(acting.id.0)
        .bind(now.timestamp())
        .bind(expires.timestamp())
        .fetch_one(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok((
            Invite {
                id,
                role,
                note,
                created_at: instant(now.timestamp())?,
                expires_at: instant(expires.timestamp())?,
            },
            InviteToken(token),
        ))
    }

    /// The tenant's invites that can still be used, newest first.
    pub async fn open_invites(&self, tenant: TenantId, now: DateTime<Utc>) -> Result<Vec<Invite>> {
        let rows = sqlx::query_as::<_, InviteRow>(
            "SELECT id, role, note, created_at, expires_at FROM staff_invites
             WHERE tenant_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2
             ORDER BY created_at DESC, id DESC",
        )
        .bind(tenant.0)
        .bind(now.timestamp())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Invite {
                    id: row.id,
                    role: parse_role(&row.role)?,
                    note: row.note,
                    created_at: instant(row.created_at)?,
                    expires_at: instant(row.expires_at)?,
                })
            })
            .collect()
    }

    /// Makes an open invite unusable. `NotFound` for another tenant's, a
    /// used one or one already revoked.
    pub async fn revoke_invite(
        &self,
        tenant: TenantId,
        acting: Acting,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let role: Option<String> = sqlx::query_scalar(
            "SELECT role FROM staff_invites
             WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL AND revoked_at IS NULL",
        )
        .bind(tenant.0)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let role = parse_role(&role.ok_or(StoreError::NotFound)?)?;
        may_manage(acting, role)?;
        let done = sqlx::query(
            "UPDATE staff_invites SET revoked_at = $1
             WHERE tenant_id = $2 AND id = $3 AND used_at IS NULL AND revoked_at IS NULL",
        )
        .bind(now.timestamp())
        .bind(tenant.0)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// What an invite link offers, if it can still be used.
    pub async fn invite_offer(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<InviteOffer>> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        let row: Option<(String, String, String, i64, i64, String)> = sqlx::query_as(
            "SELECT t.name, i.role, i.note, i.expires_at, c.id, c.role FROM staff_invites i
             JOIN tenants t ON t.id = i.tenant_id
             JOIN users c ON c.id = i.created_by AND c.tenant_id = i.tenant_id
             WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2",
        )
        .bind(token_hash(token))
        .bind(now.timestamp())
        .fetch_optional(&self.pool)
        .await?;
        let Some((tenant_name, role, note, expires, creator, creator_role)) = row else {
            return Ok(None);
        };
        let role = parse_role(&role)?;
        let creator = Acting {
            id: UserId(creator),
            role: parse_role(&creator_role)?,
        };
        if may_manage(creator, role).is_err() {
            return Ok(None);
        }
        Ok(Some(InviteOffer {
            tenant_name,
            role,
            note,
            expires_at: instant(expires)?,
        }))
    }

    /// Creates the account an invite link offers, with the password its new
    /// owner chose, and spends the link. `Ok(None)` when the link cannot be
    /// used (unknown, used, revoked, expired); an email already taken is
    /// refused and leaves the link usable.
    pub async fn accept_invite(
        &self,
        token: &str,
        email: &str,
        name: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<StaffUser>> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        let email = checked_email(email)?;
        let name = checked_person_name(name)?;
        checked_password(password)?;
        let hash = hash_password_blocking(password).await?;
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        let invite: Option<(i64, i64, String, i64, String)> = sqlx::query_as(&format!(
            "SELECT i.id, i.tenant_id, i.role, c.id, c.role FROM staff_invites i
             JOIN users c ON c.id = i.created_by AND c.tenant_id = i.tenant_id
             WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2{}",
            self.backend().for_update(" OF i")
        ))
        .bind(token_hash(token))
        .bind(now.timestamp())
        .fetch_optional(&mut **tx)
        .await?;
        let Some((invite, tenant, role, creator, creator_role)) = invite else {
            return Ok(None);
        };
        // Whoever made the link must still be able to give that role: a
        // link outlives neither its maker's removal nor their demotion.
        let creator = Acting {
            id: UserId(creator),
            role: parse_role(&creator_role)?,
        };
        if may_manage(creator, parse_role(&role)?).is_err() {
            return Ok(None);
        }
        let user: i64 = sqlx::query_scalar(crate::accounts::insert_user_sql(self.backend()))
            .bind(tenant)
            .bind(&email)
            .bind(&name)
            .bind(&role)
            .bind(hash)
            .fetch_one(&mut **tx)
            .await
            .map_err(|e| StoreError::from_write(e, &duplicate_email(&email)))?;
        let spent = sqlx::query(
            "UPDATE staff_invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL",
        )
        .bind(now.timestamp())
        .bind(user)
        .bind(invite)
        .execute(&mut **tx)
        .await?;
        if spent.rows_affected() != 1 {
            return Ok(None);
        }
        tx.commit().await?;
        self.staff_user(UserId(user)).await.map(Some)
    }

    /// Gives a member another role. An owner stays: the tenant's last owner
    /// cannot be demoted, checked with the owners locked.
    pub async fn set_member_role(
        &self,
        tenant: TenantId,
        acting: Acting,
        member: UserId,
        role: Role,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        self.lock_team(&mut tx, tenant).await?;
        let current = self.member_role(&mut tx, tenant, member).await?;
        may_manage(acting, current)?;
        may_manage(acting, role)?;
        if current == role {
            return Ok(());
        }
        if current == Role::Owner {
            self.keep_an_owner(&mut tx, tenant, "demote").await?;
        }
        revoke_invites_of(&mut tx, tenant, member).await?;
        sqlx::query("UPDATE users SET role = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(role.as_str())
            .bind(tenant.0)
            .bind(member.0)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a member: their sessions end with them. Nobody removes
    /// themselves here, and the last owner stays.
    pub async fn remove_member(
        &self,
        tenant: TenantId,
        acting: Acting,
        member: UserId,
    ) -> Result<()> {
        if acting.id == member {
            return Err(StoreError::Invalid(
                "you cannot remove yourself: ask another owner or admin".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        self.lock_team(&mut tx, tenant).await?;
        let current = self.member_role(&mut tx, tenant, member).await?;
        may_manage(acting, current)?;
        if current == Role::Owner {
            self.keep_an_owner(&mut tx, tenant, "remove").await?;
        }
        revoke_invites_of(&mut tx, tenant, member).await?;
        // References to the user (who made an invite, who handles a
        // conversation) let go by their own foreign keys.
        sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
            .bind(tenant.0)
            .bind(member.0)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM users WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(member.0)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Serialises changes to one tenant's team: on PostgreSQL the tenant's
    /// row is locked first, so two owners demoting each other queue instead
    /// of deadlocking on each other's rows (SQLite's write lock already
    /// serialises every writer).
    async fn lock_team(&self, tx: &mut crate::db::WriteTx, tenant: TenantId) -> Result<()> {
        let found: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM tenants WHERE id = $1{}",
            self.backend().for_update("")
        ))
        .bind(tenant.0)
        .fetch_optional(&mut ***tx)
        .await?;
        found.map(|_| ()).ok_or(StoreError::NotFound)
    }

    async fn member_role(
        &self,
        tx: &mut crate::db::WriteTx,
        tenant: TenantId,
        member: UserId,
    ) -> Result<Role> {
        let role: Option<String> = sqlx::query_scalar(&format!(
            "SELECT role FROM users WHERE tenant_id = $1 AND id = $2{}",
            self.backend().for_update("")
        ))
        .bind(tenant.0)
        .bind(member.0)
        .fetch_optional(&mut ***tx)
        .await?;
        parse_role(&role.ok_or(StoreError::NotFound)?)
    }

    /// Refuses to take away an owner when they are the last one. On
    /// PostgreSQL the owners' rows are locked, so two owners demoting each
    /// other at once cannot both succeed; SQLite's write lock already
    /// serialises them.
    async fn keep_an_owner(
        &self,
        tx: &mut crate::db::WriteTx,
        tenant: TenantId,
        verb: &str,
    ) -> Result<()> {
        let owners: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM users WHERE tenant_id = $1 AND role = 'owner'{}",
            self.backend().for_update("")
        ))
        .bind(tenant.0)
        .fetch_all(&mut ***tx)
        .await?;
        if owners.len() <= 1 {
            return Err(StoreError::Invalid(format!(
                "you cannot {verb} the last owner: make someone else an owner first"
            )));
        }
        Ok(())
    }

    /// Changes a user's own password after checking the current one; ends
    /// their other sessions (a leaked password stops working everywhere)
    /// and lifts a required change.
    pub async fn change_password(
        &self,
        tenant: TenantId,
        user: UserId,
        keep_session: Option<&str>,
        current: &str,
        new: &str,
    ) -> Result<()> {
        checked_password(new)?;
        if new == current {
            return Err(StoreError::Invalid(
                "choose a password different from the current one".into(),
            ));
        }
        let stored: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        let stored = stored.ok_or(StoreError::NotFound)?;
        let started = std::time::Instant::now();
        if let Some(wait) = self.guesses.locked(user, started) {
            return Err(StoreError::TooManyGuesses {
                minutes: wait.as_secs().div_ceil(60).max(1),
            });
        }
        // A few checks at once in the whole process: each takes ~19 MiB
        // and a core, and any signed-in session can ask for one.
        let turn = PASSWORD_WORK
            .acquire()
            .await
            .map_err(|_| StoreError::Invalid("the server is shutting down".into()))?;
        let current = current.to_string();
        let matches = tokio::task::spawn_blocking(move || verify(&current, &stored))
            .await
            .unwrap_or(false);
        if !matches {
            self.guesses.failed(user, started);
            return Err(StoreError::Invalid("the current password is wrong".into()));
        }
        self.guesses.forget(user);
        let hash = hash_password_blocking(new).await?;
        drop(turn);
        let mut tx = self.begin_write().await?;
        tx.leaves_searches();
        sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE tenant_id = $3 AND id = $4",
        )
        .bind(hash)
        .bind(false)
        .bind(tenant.0)
        .bind(user.0)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND token_hash <> $3",
        )
        .bind(tenant.0)
        .bind(user.0)
        .bind(keep_session.map(token_hash).unwrap_or_default())
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the name a user goes by on the dashboard (the top bar, the
    /// team page, who handles a conversation).
    pub async fn set_user_name(&self, tenant: TenantId, user: UserId, name: &str) -> Result<()> {
        let name = checked_person_name(name)?;
        if name.is_empty() {
            return Err(StoreError::Invalid("a name is required".into()));
        }
        let done = sqlx::query("UPDATE users SET name = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(&name)
            .bind(tenant.0)
            .bind(user.0)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Marks a user's password as chosen by someone else (the CLI printed
    /// it), so the dashboard asks for a new one at their first sign-in.
    pub async fn require_password_change(&self, tenant: TenantId, user: UserId) -> Result<()> {
        sqlx::query("UPDATE users SET must_change_password = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(true)
            .bind(tenant.0)
            .bind(user.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Revokes the open invite links `member` made: a link must not outlive
/// its maker's removal or a change of their role.
async fn revoke_invites_of(
    tx: &mut crate::db::WriteTx,
    tenant: TenantId,
    member: UserId,
) -> Result<()> {
    sqlx::query(
        "UPDATE staff_invites SET revoked_at = $1
         WHERE tenant_id = $2 AND created_by = $3 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(Utc::now().timestamp())
    .bind(tenant.0)
    .bind(member.0)
    .execute(&mut ***tx)
    .await?;
    Ok(())
}

/// Wrong current passwords per user, so a stolen session cannot guess the
/// password it would need to lock its owner out: five free, then a wait
/// that doubles (one minute, two, … at most fifteen). In memory, per
/// process: a restart forgets, which costs a guesser nothing they could
/// not get by waiting.
#[derive(Debug, Default)]
pub(crate) struct Guesses(
    std::sync::Mutex<std::collections::HashMap<UserId, (u32, std::time::Instant)>>,
);

impl Guesses {
    const FREE: u32 = 5;
    const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(15 * 60);
    /// Users remembered at most (then all are forgotten).
    const MAX_USERS: usize = 10_000;

    fn table(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<UserId, (u32, std::time::Instant)>>
    {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn wait_after(in_a_row: u32) -> std::time::Duration {
        if in_a_row < Self::FREE {
            return std::time::Duration::ZERO;
        }
        let doublings = (in_a_row - Self::FREE).min(10);
        (std::time::Duration::from_secs(60) * 2u32.pow(doublings)).min(Self::MAX_WAIT)
    }

    /// How long `user` must still wait, if at all.
    fn locked(&self, user: UserId, now: std::time::Instant) -> Option<std::time::Duration> {
        let (count, last) = *self.table().get(&user)?;
        let until = last + Self::wait_after(count);
        (until > now).then(|| until - now)
    }

    fn failed(&self, user: UserId, now: std::time::Instant) {
        let mut table = self.table();
        if table.len() >= Self::MAX_USERS {
            table.clear();
        }
        let entry = table.entry(user).or_insert((0, now));
        *entry = (entry.0 + 1, now);
    }

    fn forget(&self, user: UserId) {
        self.table().remove(&user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_guesses_are_free_then_the_wait_doubles_up_to_fifteen_minutes() {
        let guesses = Guesses::default();
        let user = UserId(7);
        let now = std::time::Instant::now();
        for _ in 0..4 {
            guesses.failed(user, now);
        }
        assert_eq!(guesses.locked(user, now), None);
        guesses.failed(user, now);
        assert_eq!(
            guesses.locked(user, now),
            Some(std::time::Duration::from_secs(60))
        );
        guesses.failed(user, now);
        assert_eq!(
            guesses.locked(user, now),
            Some(std::time::Duration::from_secs(120))
        );
        assert_eq!(Guesses::wait_after(30), Guesses::MAX_WAIT);
        guesses.forget(user);
        assert_eq!(guesses.locked(user, now), None);
    }

    fn acting(role: Role) -> Acting {
        Acting {
            id: UserId(1),
            role,
        }
    }

    #[test]
    fn only_owners_touch_owners_and_front_desk_touches_nobody() {
        for role in [Role::Owner, Role::Admin, Role::Staff] {
            assert!(may_manage(acting(Role::Owner), role).is_ok());
            assert!(may_manage(acting(Role::Staff), role).is_err());
        }
        assert!(may_manage(acting(Role::Admin), Role::Owner).is_err());
        assert!(may_manage(acting(Role::Admin), Role::Admin).is_ok());
        assert!(may_manage(acting(Role::Admin), Role::Staff).is_ok());
    }

    #[test]
    fn names_are_trimmed_bounded_and_visible() {
        assert_eq!(checked_person_name("  Andi ").expect("valid"), "Andi");
        assert!(checked_person_name(&"a".repeat(81)).is_err());
        assert!(checked_person_name("An\u{200b}di").is_err());
        assert_eq!(checked_person_name("").expect("valid"), "");
    }
}
