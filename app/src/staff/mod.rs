//! The staff workspace (`/staff`): sign-in, the privacy-policy acceptance every
//! account gives before it sees personal data (B2), the queue of requests and the
//! case page where each step of the workflow is recorded (A10–A14).
//!
//! Every server function here starts with `authorize::<can::Permission>()`: the
//! role's permissions come from the one matrix in `awn_domain::staff`, and the UI
//! hiding a button is never what protects anything.

pub mod account;
pub mod alerts;
pub mod audit;
pub mod bar;
pub mod beneficiary;
pub mod calendar;
pub mod case;
#[cfg(feature = "ssr")]
pub mod charts;
pub mod complaints;
pub mod feedback;
pub mod improvements;
pub mod inquiries;
pub mod intake;
pub mod labels;
pub mod library;
pub mod news;
pub mod party_consents;
pub mod policy;
pub mod privacy;
pub mod queue;
pub mod registers;
pub mod reports;
pub mod satisfaction;
pub mod sign_in;
pub mod surveys;
pub mod volunteers;
pub mod work;

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
    /// Notices in "my work" not read yet.
    pub unread_notices: i64,
}

impl StaffSession {
    pub fn may(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }
}

/// The workspace's sections, each with the permission that opens it, in the
/// order of the navigation bar.
pub const SECTIONS: [(Permission, &str); 20] = [
    (Permission::ViewQueue, "/staff"),
    (Permission::ViewMyWork, "/staff/work"),
    (Permission::RecordIntake, "/staff/intake"),
    (Permission::AnswerInquiry, "/staff/inquiries"),
    (Permission::HandleComplaint, "/staff/complaints"),
    (Permission::ViewLibrary, "/staff/library"),
    (Permission::ViewReports, "/staff/reports"),
    (Permission::ViewAuditLog, "/staff/audit"),
    (Permission::HandlePrivacyReport, "/staff/privacy-reports"),
    (Permission::RecordDisclosure, "/staff/disclosures"),
    (Permission::AnswerDataRequest, "/staff/data-requests"),
    (Permission::PublishPrivacyPolicy, "/staff/privacy-policy"),
    (Permission::SendNews, "/staff/news"),
    (Permission::ViewSatisfaction, "/staff/satisfaction"),
    (Permission::ManageSurveys, "/staff/surveys"),
    (Permission::ManageImprovements, "/staff/improvements"),
    (Permission::ManageVolunteers, "/staff/volunteers"),
    (Permission::ManageSettings, "/staff/calendar"),
    (Permission::ManageSupporters, "/staff/supporters"),
    (Permission::ManageMembers, "/staff/members"),
];

/// The sections this staff member may open.
pub fn workspace_links(session: &StaffSession) -> Vec<(Permission, &'static str)> {
    SECTIONS.into_iter().filter(|(permission, _)| session.may(*permission)).collect()
}

/// The staff member of this request, if they may do `C`: the permission check of
/// every staff server function.
#[cfg(feature = "ssr")]
pub async fn authorize<C: crate::application::access::Capability>()
-> Result<crate::application::access::Authorized<C>, crate::error::AppError> {
    let context = crate::state::app_context()?;
    crate::application::access::require::<C>(&context.database, crate::session::session_token().as_deref()).await
}

/// The signed-in, active staff account, if any (for pages any staff member sees).
#[cfg(feature = "ssr")]
pub async fn current_staff() -> Result<Option<awn_storage::staff::StaffAccount>, crate::error::AppError> {
    let context = crate::state::app_context()?;
    crate::application::access::staff_of_session(&context.database, crate::session::session_token().as_deref()).await
}
