//! A staff member's own account: signing in (password, and the authenticator
//! code where the account has one, counted and throttled per client), signing
//! out, accepting the privacy policy in force, confirming a sensitive action
//! with the password again, and changing the password.

use awn_domain::staff::PasswordProblem;
use awn_storage::{
    Database, accounts, now_unix_seconds, privacy_policy,
    staff::{self, PasswordChangeProblem as Refusal, StaffAccount, StaffSignIn, StepUp},
};

use crate::{
    error::AppError, forms::Problem, staff::account::PasswordChangeProblem, staff::sign_in::StaffSignInProblem,
    state::AppContext,
};

/// What a staff member typed to sign in.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    pub username: &'a str,
    pub password: &'a str,
    /// The authenticator code; `None` when left empty.
    pub code: Option<&'a str>,
}

/// Signs in from `client` (the request's address); a new session replaces
/// `previous_session`, if any. Answers the session's token.
pub async fn sign_in(
    context: &AppContext,
    typed: Credentials<'_>,
    client: &str,
    previous_session: Option<&str>,
) -> Result<Result<String, StaffSignInProblem>, AppError> {
    let attempt = staff::SignInAttempt {
        username: typed.username,
        password: typed.password,
        totp_code: typed.code,
        client,
        previous_session_token: previous_session,
        session: context.settings.staff_session,
        now: now_unix_seconds(),
    };
    Ok(match staff::sign_in_from(&context.database, attempt).await? {
        StaffSignIn::SignedIn { session_token, .. } => Ok(session_token),
        StaffSignIn::WrongCredentials => Err(StaffSignInProblem::WrongCredentials),
        StaffSignIn::SecondFactorNeeded => Err(StaffSignInProblem::SecondFactorNeeded),
        StaffSignIn::Throttled { wait_seconds } => Err(StaffSignInProblem::Throttled { wait_seconds }),
    })
}

/// Ends the session `session_token`.
pub async fn sign_out(database: &Database, session_token: &str) -> Result<(), AppError> {
    Ok(accounts::end_session(database, session_token).await?)
}

/// Records that `account` accepted `version` of the privacy policy; only the
/// version in force can be accepted (any other is `NotFound`).
pub async fn accept_policy(database: &Database, account: &StaffAccount, version: &str) -> Result<(), AppError> {
    let current = privacy_policy::current(database).await?.ok_or(AppError::NotFound)?;
    if current.version != version.trim() {
        return Err(AppError::NotFound);
    }
    staff::accept_policy(database, account.id, &current.version, now_unix_seconds()).await?;
    Ok(())
}

/// Checks the password (and code) typed with a sensitive action from `client`,
/// through the sign-in's counting and throttling; `None` when confirmed, else
/// the problem to show on the step-up's password field.
pub async fn confirm_identity(
    database: &Database,
    account: &StaffAccount,
    password: &str,
    code: Option<&str>,
    client: &str,
) -> Result<Option<Problem>, AppError> {
    if password.is_empty() {
        return Ok(Some(Problem::NotConfirmed));
    }
    Ok(match staff::confirm_identity(database, account.id, password, code, client, now_unix_seconds()).await? {
        StepUp::Confirmed => None,
        StepUp::Refused => {
            tracing::warn!(staff = account.id, "a sensitive action's step-up was refused");
            Some(Problem::NotConfirmed)
        }
        StepUp::Throttled { .. } => Some(Problem::TooManyAttempts),
    })
}

/// The new password and its confirmation, with the current one (and the code)
/// that shows it is the account's owner.
#[derive(Debug, Clone, Copy)]
pub struct PasswordChange<'a> {
    pub current_password: &'a str,
    pub new_password: &'a str,
    pub new_password_again: &'a str,
    /// The authenticator code; `None` when left empty.
    pub code: Option<&'a str>,
}

/// Changes `account`'s own password from `client`; every other session of the
/// account ends, `keep_session` stays.
pub async fn change_password(
    database: &Database,
    account: &StaffAccount,
    change: PasswordChange<'_>,
    client: &str,
    keep_session: &str,
) -> Result<Result<(), PasswordChangeProblem>, AppError> {
    if change.new_password != change.new_password_again {
        return Ok(Err(PasswordChangeProblem::Mismatch));
    }
    let changed = staff::change_password(
        database,
        account.id,
        change.current_password,
        change.code,
        change.new_password,
        client,
        keep_session,
        now_unix_seconds(),
    )
    .await?;
    Ok(changed.map_err(|refusal| match refusal {
        Refusal::NotConfirmed => PasswordChangeProblem::NotConfirmed,
        Refusal::Throttled { wait_seconds } => PasswordChangeProblem::Throttled { wait_seconds },
        Refusal::TooGuessable => PasswordChangeProblem::TooGuessable,
        Refusal::Password(PasswordProblem::TooShort) => PasswordChangeProblem::TooShort,
        Refusal::Password(PasswordProblem::TooLong) => PasswordChangeProblem::TooLong,
        Refusal::Password(PasswordProblem::OneCharacterRepeated) => PasswordChangeProblem::OneCharacterRepeated,
        Refusal::Password(PasswordProblem::ContainsUsername) => PasswordChangeProblem::ContainsUsername,
    }))
}
