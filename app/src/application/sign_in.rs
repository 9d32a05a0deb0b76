//! A beneficiary's sign-in without a password: a one-time code sent to the
//! mobile number (within the number's abuse limits and the hourly SMS budget),
//! checked to start a session; and signing out.

use awn_domain::{
    identity::SaudiMobile,
    locale::Language,
    sign_in::{ResendRefusal, parse_code},
};
use awn_storage::{
    Database,
    accounts::{self, CodeIssue, CodeVerification},
    now_unix_seconds,
};

use crate::{
    error::AppError,
    sign_in::{CodeProblem, MobileProblem},
    state::AppContext,
};

/// The number a pending challenge's code went to; `None` for an unknown or
/// finished challenge.
pub async fn challenge_mobile(database: &Database, challenge_token: &str) -> Result<Option<SaudiMobile>, AppError> {
    Ok(accounts::challenge_mobile(database, challenge_token).await?)
}

/// Sends a code to `mobile`, in `language`, unless the number waited too
/// little, had its codes for the hour or the day, or the SMS budget is used up.
/// Answers the new challenge's token (for the browser's cookie).
pub async fn send_code(
    context: &AppContext,
    mobile: &SaudiMobile,
    language: Language,
) -> Result<Result<String, MobileProblem>, AppError> {
    let budget = context.settings.sms_budget_per_hour;
    let issued = accounts::issue_sign_in_code(&context.database, mobile, now_unix_seconds(), budget, |code| {
        crate::notices::sign_in_code(mobile, code, language)
    })
    .await?;
    Ok(match issued {
        CodeIssue::Issued(challenge) => Ok(challenge.challenge_token),
        CodeIssue::Refused(ResendRefusal::TooSoon { wait_seconds }) => Err(MobileProblem::TooSoon { wait_seconds }),
        CodeIssue::Refused(ResendRefusal::HourlyLimit { wait_seconds }) => {
            Err(MobileProblem::HourlyLimit { wait_seconds })
        }
        CodeIssue::Refused(ResendRefusal::DailyLimit { wait_seconds }) => {
            Err(MobileProblem::DailyLimit { wait_seconds })
        }
        CodeIssue::BudgetExhausted => Err(MobileProblem::ServiceBusy),
    })
}

/// Checks `raw_code` against the challenge; when it matches, starts a new
/// session (replacing `previous_session`, if any) and answers its token.
pub async fn verify_code(
    context: &AppContext,
    challenge_token: &str,
    raw_code: &str,
    language: Language,
    previous_session: Option<&str>,
) -> Result<Result<String, CodeProblem>, AppError> {
    let Some(code) = parse_code(raw_code) else { return Ok(Err(CodeProblem::Malformed)) };
    let outcome = accounts::verify_sign_in_code_for(
        &context.database,
        challenge_token,
        &code,
        now_unix_seconds(),
        language,
        previous_session,
        context.settings.beneficiary_session,
    )
    .await?;
    Ok(match outcome {
        CodeVerification::SignedIn { session_token, .. } => Ok(session_token),
        CodeVerification::Refused(check) => Err(CodeProblem::Refused(check)),
        CodeVerification::UnknownChallenge => Err(CodeProblem::NoChallenge),
    })
}

/// Ends the session `session_token`; or, with `everywhere` (the signed-in
/// beneficiary's account), every session of that account.
pub async fn sign_out(database: &Database, session_token: &str, everywhere: Option<i64>) -> Result<(), AppError> {
    match everywhere {
        Some(account) => {
            accounts::end_all_sessions(database, accounts::BENEFICIARY, account).await?;
        }
        None => accounts::end_session(database, session_token).await?,
    }
    Ok(())
}
