//! What a workflow step answers when staff record it.

use serde::{Deserialize, Serialize};

use crate::workflow::WorkflowError;

/// Longest message between staff and a beneficiary about a request, in characters.
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// Why a step was not recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepRefusal {
    /// Fields to correct; what was typed stays in the form.
    Fields(Vec<WorkflowError>),
    /// The request is no longer in a state where this step applies (someone
    /// else moved it, or the step does not follow from here).
    NotNow,
}
