//! The use cases: the one server-side layer between the adapters (`#[server]`
//! functions and the axum routes) and the domain and storage.
//!
//! A use case checks permission (it takes an [`access::Authorized`] only the
//! check can build), writes the audit entry of every personal-data read, asks
//! `awn_domain` for every rule and `awn_storage` for the data, composes the
//! notices, and answers with domain-typed outcomes. It renders nothing and reads
//! no request: the adapters hand it what it needs. See `docs/architecture.md`.

pub mod access;
pub mod audit;
pub mod calendar;
pub mod casework;
pub mod complaints;
pub mod consent;
pub mod deadlines;
pub mod documents;
pub mod duplicates;
pub mod home_content;
pub mod household;
pub mod improvements;
pub mod inquiries;
pub mod intake;
pub mod library;
pub mod my_data;
pub mod news;
pub mod party_data;
pub mod personal_data;
pub mod policy;
pub mod privacy;
pub mod registers;
pub mod reports;
pub mod requests;
pub mod satisfaction;
pub mod sign_in;
pub mod staff_account;
pub mod surveys;
pub mod visitors;
pub mod volunteers;
pub mod work;

use crate::forms::{FormProblem, Problem};

/// Why a form was refused: the field to correct (empty for the whole form)
/// and the problem to show on it. Nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub field: String,
    pub problem: Problem,
}

impl Refused {
    pub(crate) fn new(field: &str, problem: Problem) -> Self {
        Refused { field: field.to_owned(), problem }
    }

    /// The refusal as the problem of the page's form `form`.
    pub fn on(self, form: &str) -> FormProblem {
        FormProblem::new(form, self.field, self.problem)
    }
}

/// A check shared with the browser answers with a form's problem: its field and problem.
impl From<FormProblem> for Refused {
    fn from(problem: FormProblem) -> Self {
        Refused { field: problem.field, problem: problem.problem }
    }
}

/// What a form's use case did: done, or refused with the reason.
pub type Outcome = Result<(), Refused>;

/// The password (and code) typed again with a sensitive action, checked by the
/// adapter (it reads the request): `None` when confirmed, else the problem to
/// show. The use case awaits it only when the rest of the form is in order.
pub trait StepUp: std::future::Future<Output = Result<Option<Problem>, crate::error::AppError>> + Send {}
impl<F: std::future::Future<Output = Result<Option<Problem>, crate::error::AppError>> + Send> StepUp for F {}
