//! The staff workspace (`/staff`): sign-in, the privacy-policy acceptance every
//! account gives before it sees personal data (B2), the queue of requests and the
//! case page where each step of the workflow is recorded (A10–A14).
//!
//! Every server function here starts with `access::require(permission)`: the
//! role's permissions come from the one matrix in `awn_domain::staff`, and the UI
//! hiding a button is never what protects anything.

pub mod case;
pub mod intake;
pub mod labels;
pub mod queue;
pub mod sign_in;

use awn_domain::staff::{Permission, StaffRole};
use serde::{Deserialize, Serialize};

/// What the workspace knows of the signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSession {
    pub display_name: String,
    pub role: StaffRole,
    pub permissions: Vec<Permission>,
    /// The privacy policy in force, and whether this account accepted it.
    pub policy_version: Option<String>,
    pub policy_accepted: bool,
}

impl StaffSession {
    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

#[cfg(feature = "ssr")]
pub mod access {
    //! Who is signed in to the workspace and what they may do: checked on the
    //! server at the start of every staff server function.
    use awn_domain::staff::{Permission, role_allows};
    use awn_storage::{
        accounts, now_unix_seconds, privacy_policy,
        staff::{self, STAFF, StaffAccount},
    };

    use crate::{error::AppError, preferences::read_cookie, session::SESSION_COOKIE, state::app_context};

    /// The signed-in, active staff account, if any.
    pub async fn current_staff() -> Result<Option<StaffAccount>, AppError> {
        let Some(token) = read_cookie(SESSION_COOKIE) else { return Ok(None) };
        let context = app_context()?;
        let owner = accounts::session_owner(&context.database, &token, now_unix_seconds()).await?;
        match owner {
            Some(owner) if owner.account_kind == STAFF => Ok(staff::by_id(&context.database, owner.account_id)
                .await?
                .filter(|account| account.active)),
            _ => Ok(None),
        }
    }

    /// The version of the privacy policy in force and whether `account` accepted it.
    pub async fn policy_status(account: &StaffAccount) -> Result<(Option<String>, bool), AppError> {
        let context = app_context()?;
        let Some(current) = privacy_policy::current(&context.database).await? else {
            // Nothing published yet: there is nothing to accept.
            return Ok((None, true));
        };
        let accepted = staff::has_accepted(&context.database, account.id, &current.version).await?;
        Ok((Some(current.version), accepted))
    }

    /// The signed-in staff member, if their role allows `permission` and, for
    /// anything touching personal data, they accepted the policy in force.
    pub async fn require(permission: Permission) -> Result<StaffAccount, AppError> {
        let account = current_staff().await?.ok_or(AppError::StaffSignInRequired)?;
        if !role_allows(account.role, permission) {
            tracing::warn!(staff = account.id, permission = permission.code(), "refused by the permission matrix");
            return Err(AppError::Forbidden);
        }
        if permission.involves_personal_data() && !policy_status(&account).await?.1 {
            return Err(AppError::PolicyNotAccepted);
        }
        Ok(account)
    }
}

#[cfg(feature = "ssr")]
pub mod personal_data {
    //! The one way staff read a beneficiary's personal data: each read writes its
    //! audit entry (who, whose, what, when, why) before the data is returned, so
    //! nothing is shown that was not recorded.
    use awn_storage::{
        audit::{self, AuditEntry},
        casework::{self, CaseFile, QueueFilter, QueueItem},
        now_unix_seconds,
        staff::StaffAccount,
    };

    use crate::{error::AppError, state::app_context};

    /// Why staff open data in the workspace: handling the case.
    pub const PURPOSE_CASEWORK: &str = "casework";

    pub async fn case_file(staff: &StaffAccount, request_id: i64, purpose: &str) -> Result<CaseFile, AppError> {
        let context = app_context()?;
        let file = casework::case_file(&context.database, request_id).await?.ok_or(AppError::NotFound)?;
        audit::record(
            &context.database,
            AuditEntry {
                staff_id: staff.id,
                action: "case.view",
                beneficiary_id: Some(file.beneficiary_id),
                request_id: Some(request_id),
                reason: purpose,
            },
            now_unix_seconds(),
        )
        .await?;
        Ok(file)
    }

    /// The queue shows names and ID numbers, so listing it is a read too.
    pub async fn queue(
        staff: &StaffAccount,
        filter: &QueueFilter,
        purpose: &str,
        limit: i64,
    ) -> Result<Vec<QueueItem>, AppError> {
        let context = app_context()?;
        let now = now_unix_seconds();
        let items = casework::queue(&context.database, filter, now, limit).await?;
        audit::record(
            &context.database,
            AuditEntry { staff_id: staff.id, action: "queue.view", beneficiary_id: None, request_id: None, reason: purpose },
            now,
        )
        .await?;
        Ok(items)
    }
}
