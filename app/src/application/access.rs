//! Who may do what: the permission check every staff use case starts from.
//!
//! A staff use case takes an [`Authorized<C>`] for its capability `C` (for
//! example `Authorized<can::AssignRequest>`). Only [`require`] builds one, after
//! checking the session, the role's permission and, for personal data, the
//! privacy-policy acceptance (B2): a use case called without its check does not
//! compile, and neither does one called with the check of another permission.

use std::{marker::PhantomData, ops::Deref};

use awn_domain::staff::{Permission, role_allows};
use awn_storage::{
    Database, accounts, now_unix_seconds, privacy_policy,
    staff::{self, STAFF, StaffAccount},
};

use crate::error::AppError;

/// A permission named as a type, so the compiler can tell one check from another.
pub trait Capability: sealed::Sealed {
    const PERMISSION: Permission;
}

mod sealed {
    pub trait Sealed {}
}

/// One type per [`Permission`]: `can::ViewQueue` is the capability of viewing the queue.
pub mod can {
    use super::{Capability, Permission, sealed::Sealed};

    macro_rules! capabilities {
        ($($name:ident),+ $(,)?) => {
            $(
                #[doc = concat!("The capability of [`Permission::", stringify!($name), "`].")]
                #[derive(Debug, Clone, Copy)]
                pub struct $name;
                impl Sealed for $name {}
                impl Capability for $name {
                    const PERMISSION: Permission = Permission::$name;
                }
            )+

            #[cfg(test)]
            pub(super) const EVERY: &[Permission] = &[$(Permission::$name),+];
        };
    }

    capabilities!(
        ViewQueue,
        RecordIntake,
        ViewBeneficiaryFile,
        VerifyRequest,
        ReferToResearch,
        RecordStudy,
        DecideRequest,
        CompleteRegistration,
        RecordService,
        CloseRequest,
        AssignRequest,
        MessageBeneficiary,
        AnswerInquiry,
        PublishFaq,
        HandleComplaint,
        ViewLibrary,
        ManageLibrary,
        ViewReports,
        ExportReports,
        ManageStaff,
        ManageSupportKinds,
        ManageSettings,
        ViewAuditLog,
        RecordDisclosure,
        HandlePrivacyReport,
        PublishPrivacyPolicy,
        AnswerDataRequest,
        SendNews,
        ManageSurveys,
        ViewSatisfaction,
        InviteToSurvey,
        ManageImprovements,
        RecordConsent,
        ViewMyWork,
        ManageSupporters,
        ManageMembers,
        ResolveDuplicates,
        ManageVolunteers,
        EditHousehold,
    );
}

/// A signed-in, active staff account whose role allows `C`, and which accepted
/// the policy in force if `C` touches personal data. Reads as the account.
#[derive(Debug)]
pub struct Authorized<C: Capability> {
    staff: StaffAccount,
    capability: PhantomData<C>,
}

impl<C: Capability> Deref for Authorized<C> {
    type Target = StaffAccount;

    fn deref(&self) -> &StaffAccount {
        &self.staff
    }
}

impl<C: Capability> Authorized<C> {
    /// The same account's capability `D` too, if its role allows it (and, for
    /// personal data, it accepted the policy in force).
    pub async fn also<D: Capability>(&self, database: &Database) -> Result<Option<Authorized<D>>, AppError> {
        match check::<D>(database, self.staff.clone()).await {
            Ok(authorized) => Ok(Some(authorized)),
            Err(AppError::Forbidden | AppError::PolicyNotAccepted) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// The staff member of `session_token`, if they may do `C`.
pub async fn require<C: Capability>(
    database: &Database,
    session_token: Option<&str>,
) -> Result<Authorized<C>, AppError> {
    let account = staff_of_session(database, session_token).await?.ok_or(AppError::StaffSignInRequired)?;
    check::<C>(database, account).await
}

async fn check<C: Capability>(database: &Database, account: StaffAccount) -> Result<Authorized<C>, AppError> {
    let permission = C::PERMISSION;
    if !role_allows(account.role, permission) {
        tracing::warn!(staff = account.id, permission = permission.code(), "refused by the permission matrix");
        return Err(AppError::Forbidden);
    }
    if permission.involves_personal_data() && !policy_status(database, &account).await?.1 {
        return Err(AppError::PolicyNotAccepted);
    }
    Ok(Authorized { staff: account, capability: PhantomData })
}

/// The active staff account a session token belongs to, if any.
pub async fn staff_of_session(database: &Database, token: Option<&str>) -> Result<Option<StaffAccount>, AppError> {
    let Some(token) = token else { return Ok(None) };
    let owner = accounts::session_owner(database, token, now_unix_seconds()).await?;
    match owner {
        Some(owner) if owner.account_kind == STAFF => {
            Ok(staff::by_id(database, owner.account_id).await?.filter(|account| account.active))
        }
        _ => Ok(None),
    }
}

/// The version of the privacy policy in force and whether `account` accepted it.
pub async fn policy_status(database: &Database, account: &StaffAccount) -> Result<(Option<String>, bool), AppError> {
    let Some(current) = privacy_policy::current(database).await? else {
        // Nothing published yet: there is nothing to accept.
        return Ok((None, true));
    };
    let accepted = staff::has_accepted(database, account.id, &current.version).await?;
    Ok((Some(current.version), accepted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_has_its_capability() {
        assert_eq!(can::EVERY, Permission::ALL.as_slice());
    }
}
