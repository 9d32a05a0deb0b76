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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_status_reads_as_its_stage_and_anything_else_as_received() {
        assert_eq!(ComplaintStage::from_status("open"), ComplaintStage::Received);
        assert_eq!(ComplaintStage::from_status("in_review"), ComplaintStage::InReview);
        assert_eq!(ComplaintStage::from_status("resolved"), ComplaintStage::Resolved);
        assert_eq!(ComplaintStage::from_status("closed"), ComplaintStage::Received);
        assert_eq!(ComplaintStage::from_status(""), ComplaintStage::Received);
    }
}
