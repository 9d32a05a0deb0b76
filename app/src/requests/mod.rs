//! The beneficiary's side of support requests: the wizard that submits one, the
//! list of one's requests, and a request's tracking page.

pub mod household;
pub mod labels;
pub mod my_requests;
pub mod tracking;
pub mod wizard;

/// Version of the declaration text the beneficiary signs (locale key
/// `wizard.declaration_text`). Change the text, change the version: each request
/// keeps the version its beneficiary signed.
pub const DECLARATION_VERSION: &str = "1.0";
