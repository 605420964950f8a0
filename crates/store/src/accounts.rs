//! Staff accounts: argon2 password hashes and server-side sessions.
//!
//! A session token is 32 random bytes given to the browser once, in a cookie;
//! only its SHA-256 is stored, so a copy of the database cannot be replayed
//! as a login.

use crate::db::{Backend, Store};
use crate::error::{Result, StoreError};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use domain::{Role, TenantId, UserId};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// How long a session lasts without signing in again.
pub const SESSION_TTL_DAYS: i64 = 14;

/// The longest email address there is (RFC 5321 limits a path to 256
/// octets, brackets included): longer ones are refused, never looked up.
pub const MAX_EMAIL_BYTES: usize = 254;

/// Length of a generated password ([`generate_password`]).
pub const GENERATED_PASSWORD_LEN: usize = 20;

/// A random password for a new account, shown to its owner once: 20
/// characters from 56 that cannot be mistaken for each other (no 0/O,
/// 1/l/I), about 116 bits.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..GENERATED_PASSWORD_LEN)
        .map(|_| {
            let i = (rng.next_u32() as usize) % ALPHABET.len();
            ALPHABET[i] as char
        })
        .collect()
}

/// A signed-in staff member, as handlers see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffUser {
    pub id: UserId,
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The interface language the user chose (`en`, `id`), if any.
    pub locale: Option<String>,
    /// Signs in with a password someone else chose (the CLI printed it):
    /// the dashboard shows only the password form until it is changed.
    #[serde(default)]
    pub must_change_password: bool,
}

/// The secret a browser holds for its session. Not `Debug`, so it is never logged.
pub struct SessionToken(String);

impl SessionToken {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub(crate) fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hashes on tokio's blocking pool: argon2 takes a core for a while.
pub(crate) async fn hash_password_blocking(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| StoreError::Invalid(format!("cannot hash password: {e}")))?
}

fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::Invalid(format!("cannot hash password: {e}")))
}

/// A valid hash of a password nobody has, verified when the email is unknown
/// so that unknown users take as long as wrong passwords.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password for unknown users").unwrap_or_default())
}

/// The shortest password a person may set.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Passwords longer than this are refused before any work: no password
/// manager makes one, and hashing it would be work for nothing. Setting,
/// changing and checking a password all hold to it, here and at the
/// server's edges (which refuse earlier, before reading a database).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Whether `password` matches `stored`; an over-long password never does,
/// without being hashed.
pub(crate) fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    tenant_id: i64,
    tenant_name: String,
    email: String,
    name: String,
    role: String,
    locale: Option<String>,
    must_change: i64,
}

impl TryFrom<UserRow> for StaffUser {
    type Error = StoreError;
    fn try_from(row: UserRow) -> Result<Self> {
        Ok(StaffUser {
            id: UserId(row.id),
            tenant_id: TenantId(row.tenant_id),
            tenant_name: row.tenant_name,
            email: row.email,
            name: row.name,
            locale: row.locale,
            must_change_password: row.must_change != 0,
            role: row
                .role
                .parse()
                .map_err(|e| StoreError::Invalid(format!("{e}")))?,
        })
    }
}

/// The email as stored (trimmed, lower case), or why it cannot be one.
pub(crate) fn checked_email(email: &str) -> Result<String> {
    let email = email.trim().to_lowercase();
    // An address that only looks like another (a zero-width space, a
    // bidirectional mark, a line break) would pass for someone else on the
    // team page.
    if email
        .chars()
        .any(|c| c.is_whitespace() || crate::resources::invisible(c))
    {
        return Err(StoreError::Invalid(
            "an email address has no spaces or invisible characters".into(),
        ));
    }
    if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return Err(StoreError::Invalid("an email address is required".into()));
    }
    if email.len() > MAX_EMAIL_BYTES {
        return Err(StoreError::Invalid(format!(
            "an email address has at most {MAX_EMAIL_BYTES} characters"
        )));
    }
    Ok(email)
}

pub(crate) fn checked_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::Invalid(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(StoreError::Invalid(format!(
            "a password has at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    Ok(())
}

pub(crate) fn duplicate_email(email: &str) -> String {
    format!("a user with the email {email} already exists")
}

/// The statement that adds a user (binds: tenant, email, name, role,
/// password hash) and returns its id. History names staff by id, so an id
/// must never pass from a removed member to a newcomer: SQLite would reuse
/// the highest id after its row is deleted, so there the id is chosen above
/// every id in use and every id retired (`retired_user_ids`, filled by a
/// trigger on delete); PostgreSQL's identity column never reuses one.
pub(crate) fn insert_user_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "INSERT INTO users (id, tenant_id, email, name, role, password_hash)
             VALUES ((SELECT COALESCE(MAX(m), 0) + 1 FROM
                        (SELECT MAX(id) AS m FROM users
                         UNION ALL SELECT MAX(id) FROM retired_user_ids)),
                     $1, $2, $3, $4, $5)
             RETURNING id"
        }
        Backend::Postgres => {
            "INSERT INTO users (tenant_id, email, name, role, password_hash)
             VALUES ($1, $2, $3, $4, $5) RETURNING id"
        }
    }
}

const USER_COLUMNS: &str =
    "u.id, u.tenant_id, t.name AS tenant_name, u.email, u.name, u.role, u.locale,
     CAST(CASE WHEN u.must_change_password THEN 1 ELSE 0 END AS BIGINT) AS must_change";

impl Store {
    /// Creates a staff account with an argon2 hash of `password`.
    pub async fn create_user(
        &self,
        tenant: TenantId,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<UserId> {
        let email = checked_email(email)?;
        checked_password(password)?;
        let hash = hash_password_blocking(password).await?;
        let id: i64 = sqlx::query_scalar(insert_user_sql(self.backend()))
            .bind(tenant.0)
            .bind(&email)
            .bind(name.trim())
            .bind(role.as_str())
            .bind(hash)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, &duplicate_email(&email)))?;
        Ok(UserId(id))
    }

    /// The user whose email and password match, or `None` for a wrong
    /// password and an unknown email alike (both cost one argon2 check).
    /// An email longer than [`MAX_EMAIL_BYTES`] is `None` at once.
    pub async fn verify_login(&self, email: &str, password: &str) -> Result<Option<StaffUser>> {
        if email.len() > MAX_EMAIL_BYTES {
            return Ok(None);
        }
        let email = email.trim().to_lowercase();
        let row: Option<(String,)> =
            sqlx::query_as("SELECT password_hash FROM users WHERE email = $1")
                .bind(&email)
                .fetch_optional(&self.pool)
                .await?;
        let known = row.is_some();
        let password = password.to_string();
        // On the blocking pool, the decoy too (its first use hashes it).
        let matches = tokio::task::spawn_blocking(move || match &row {
            Some((hash,)) => verify(&password, hash),
            None => verify(&password, decoy_hash()),
        })
        .await
        .unwrap_or(false);
        if !(known && matches) {
            return Ok(None);
        }
        let row = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = $1"
        ))
        .bind(&email)
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(row.try_into()?))
    }

    /// A user by id, as a session would see them.
    pub(crate) async fn staff_user(&self, id: UserId) -> Result<StaffUser> {
        sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_into()
    }

    /// Starts a session for `user`; the returned token goes into the cookie.
    pub async fn create_session(
        &self,
        user: &StaffUser,
        now: DateTime<Utc>,
    ) -> Result<SessionToken> {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        // Sweep expired sessions here, where sessions are made, so the table
        // stays small without a separate job.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.timestamp())
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, tenant_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash(&token))
            .bind(user.id.0)
            .bind(user.tenant_id.0)
            .bind(now.timestamp())
            .bind((now + Duration::days(SESSION_TTL_DAYS)).timestamp())
            .execute(&self.pool)
            .await?;
        Ok(SessionToken(token))
    }

    /// The staff member a session token belongs to, if it is live.
    pub async fn session_user(&self, token: &str, now: DateTime<Utc>) -> Result<Option<StaffUser>> {
        let row = sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM sessions s
             JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id
             JOIN tenants t ON t.id = u.tenant_id
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        ))
        .bind(token_hash(token))
        .bind(now.timestamp())
        .fetch_optional(&self.pool)
        .await?;
        row.map(StaffUser::try_from).transpose()
    }

    /// Ends a session (logout). Unknown tokens are ignored.
    pub async fn delete_session(&self, token: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Remembers the interface language a user chose (`en` or `id`).
    pub async fn set_user_locale(
        &self,
        tenant: TenantId,
        user: UserId,
        locale: &str,
    ) -> Result<()> {
        if !matches!(locale, "en" | "id") {
            return Err(StoreError::Invalid(format!(
                "unknown language {locale:?}: use en or id"
            )));
        }
        let changed = sqlx::query("UPDATE users SET locale = $1 WHERE tenant_id = $2 AND id = $3")
            .bind(locale)
            .bind(tenant.0)
            .bind(user.0)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
