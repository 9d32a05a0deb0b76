//! A beneficiary's complaints and objections (A2): where one stands, as the
//! beneficiary and staff read it.

use serde::{Deserialize, Serialize};

crate::code_table! {
    /// Where a complaint stands, as the beneficiary reads it. Its code is the
    /// complaint's stored status.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ComplaintStage {
        Received = "open",
        InReview = "in_review",
        Resolved = "resolved",
    }
}

impl ComplaintStage {
    /// The stage of a stored status; anything unknown reads as received.
    pub fn from_status(status: &str) -> Self {
        Self::from_code(status).unwrap_or(ComplaintStage::Received)
    }
}

/// The staff complaints list: where a complaint's form goes back to unless it
/// was sent from a beneficiary's file.
pub const STAFF_COMPLAINTS_PATH: &str = "/staff/complaints";

/// Where a staff complaint form sends the browser back to: the beneficiary's
/// file it was sent from (a safe path of this site), else the complaints list.
pub fn staff_return_path(from: Option<&str>) -> &str {
    match from {
        Some(path) if path.starts_with("/staff/beneficiaries/") && !path.contains("//") => {
            crate::return_path::safe_return_path(path).unwrap_or(STAFF_COMPLAINTS_PATH)
        }
        _ => STAFF_COMPLAINTS_PATH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_form_goes_back_to_the_file_it_came_from_or_to_the_list() {
        assert_eq!(staff_return_path(Some("/staff/beneficiaries/7")), "/staff/beneficiaries/7");
        assert_eq!(staff_return_path(None), STAFF_COMPLAINTS_PATH);
        assert_eq!(staff_return_path(Some("/staff/queue")), STAFF_COMPLAINTS_PATH);
        assert_eq!(staff_return_path(Some("https://evil.example/staff/beneficiaries/7")), STAFF_COMPLAINTS_PATH);
        assert_eq!(staff_return_path(Some("/staff/beneficiaries//evil.example")), STAFF_COMPLAINTS_PATH);
    }

    #[test]
    fn a_stored_status_reads_as_its_stage_and_anything_else_as_received() {
        assert_eq!(ComplaintStage::from_status("open"), ComplaintStage::Received);
        assert_eq!(ComplaintStage::from_status("in_review"), ComplaintStage::InReview);
        assert_eq!(ComplaintStage::from_status("resolved"), ComplaintStage::Resolved);
        assert_eq!(ComplaintStage::from_status("closed"), ComplaintStage::Received);
        assert_eq!(ComplaintStage::from_status(""), ComplaintStage::Received);
    }
}
