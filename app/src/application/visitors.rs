//! A visitor's consent choice (the banner): which optional categories they
//! allow, recorded against the privacy policy in force.

use awn_domain::consent::{ConsentMethod, VisitorChoice};
use awn_storage::{Database, consent, now_unix_seconds, privacy_policy, secrets};

use crate::error::AppError;

/// Records the visitor's choice under the policy version in force; a visitor
/// without an id yet (`None`) gets a new one. Answers the visitor's id.
pub async fn record_choice(
    database: &Database,
    visitor_id: Option<String>,
    method: ConsentMethod,
    choice: VisitorChoice,
) -> Result<String, AppError> {
    let visitor_id = visitor_id.unwrap_or_else(secrets::new_token);
    let policy_version = privacy_policy::current(database).await?.map(|policy| policy.version).unwrap_or_default();
    consent::record_visitor_choice(database, &visitor_id, choice, &policy_version, method, now_unix_seconds()).await?;
    Ok(visitor_id)
}
