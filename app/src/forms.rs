//! The small forms of the inquiry, complaint, library and FAQ pages: a server
//! function answers `None` and sends the browser back to its page, or answers a
//! [`FormProblem`], which a plain (no-JavaScript) post carries to the page in the
//! flash cookie. Either way the problem names its form and field and keeps what
//! was typed, so the page shows the message where it belongs and loses nothing.

use serde::{Deserialize, Serialize};

use crate::{flash::FormFlash, i18n::*};

/// The flash cookie's form name for these forms.
pub const FLASH_FORM: &str = "form";
/// The form of a problem that concerns whichever form was sent (a refusal
/// before the form's own server function ran: the abuse limits' 429).
pub const ANY_FORM: &str = "*";

/// The staff form that uploads a new version of a library document (a
/// multipart route, not a server function, answers it).
pub const UPLOAD_VERSION_FORM: &str = "upload-version";
/// A survey's answers (a plain form route answers it: each survey has its own fields).
pub const ANSWERS_FORM: &str = "survey";
/// The staff form that records a sharing consent from a signed form (B7).
pub const SHARING_CONSENT_FORM: &str = "sharing-consent";

awn_domain::code_table! {
    /// What is wrong, in words every form shares.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum Problem {
        Required = "required",
        TooLong = "too_long",
        Invalid = "invalid",
        /// A mobile number or an email address is needed to send the answer.
        ContactRequired = "contact_required",
        /// Someone already did this (answered, resolved, published).
        AlreadyDone = "already_done",
        /// That version label, title or entry exists already.
        Duplicate = "duplicate",
        NotFound = "not_found",
        /// An upload: no file chosen, or an empty one.
        FileMissing = "file_missing",
        FileTooLarge = "file_too_large",
        /// An upload whose content is not one of the accepted kinds.
        FileWrongType = "file_wrong_type",
        /// What the form was for changed meanwhile (a survey's new version).
        Changed = "changed",
        /// A sensitive action's step-up: the password (or code) typed with it is not right.
        NotConfirmed = "not_confirmed",
        /// A sensitive action's step-up: too many failures, wait before trying again.
        TooManyAttempts = "too_many_attempts",
        /// Too many posts from this address: the abuse limit's 429, as a form shows it.
        TooManyRequests = "too_many_requests",
        /// The account sent as many of these as a day allows.
        DailyLimit = "daily_limit",
        /// A day that does not exist in the calendar it was typed in.
        DateInvalid = "date_invalid",
        /// Not a time of day (HH:MM).
        TimeInvalid = "time_invalid",
        /// The end is not after the start.
        EndBeforeStart = "end_before_start",
        /// A number outside what the field allows.
        OutOfRange = "out_of_range",
        /// A reminder that would come before the clock starts.
        ReminderTooEarly = "reminder_too_early",
    }
}

impl Problem {
    pub fn text(self, locale: Locale) -> String {
        match self {
            Problem::Required => td_string!(locale, form_problems.required),
            Problem::TooLong => td_string!(locale, form_problems.too_long),
            Problem::Invalid => td_string!(locale, form_problems.invalid),
            Problem::ContactRequired => td_string!(locale, form_problems.contact_required),
            Problem::AlreadyDone => td_string!(locale, form_problems.already_done),
            Problem::Duplicate => td_string!(locale, form_problems.duplicate),
            Problem::NotFound => td_string!(locale, form_problems.not_found),
            Problem::FileMissing => td_string!(locale, form_problems.file_missing),
            Problem::FileTooLarge => td_string!(locale, form_problems.file_too_large),
            Problem::FileWrongType => td_string!(locale, form_problems.file_wrong_type),
            Problem::Changed => td_string!(locale, form_problems.changed),
            Problem::NotConfirmed => td_string!(locale, account_security.confirm_refused),
            Problem::TooManyAttempts => td_string!(locale, account_security.confirm_throttled),
            Problem::TooManyRequests => td_string!(locale, limits.too_many_later),
            Problem::DailyLimit => td_string!(locale, limits.daily_limit),
            Problem::DateInvalid => td_string!(locale, form_problems.date_invalid),
            Problem::TimeInvalid => td_string!(locale, form_problems.time_invalid),
            Problem::EndBeforeStart => td_string!(locale, form_problems.end_before_start),
            Problem::OutOfRange => td_string!(locale, form_problems.out_of_range),
            Problem::ReminderTooEarly => td_string!(locale, form_problems.reminder_too_early),
        }
        .to_string()
    }
}

/// A refused form: which form, which field (empty for the form as a whole),
/// what is wrong, and what was typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormProblem {
    pub form: String,
    pub field: String,
    pub problem: Problem,
    pub values: Vec<(String, String)>,
}

impl FormProblem {
    pub fn new(form: impl Into<String>, field: impl Into<String>, problem: Problem) -> Self {
        FormProblem { form: form.into(), field: field.into(), problem, values: Vec::new() }
    }

    /// Keeps what was typed, to put back in the form.
    pub fn with_values(mut self, values: &[(&str, &Option<String>)]) -> Self {
        self.values =
            values.iter().filter_map(|(name, value)| value.as_ref().map(|v| ((*name).to_owned(), v.clone()))).collect();
        self
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The flash cookie's content (also set by the upload routes).
    pub fn to_flash(&self) -> FormFlash {
        let mut values = vec![("~form".to_owned(), self.form.clone()), ("~field".to_owned(), self.field.clone())];
        values.extend(self.values.iter().cloned());
        FormFlash { form: FLASH_FORM.into(), values, problem: self.problem.code().into(), number: 0 }
    }

    pub fn from_flash(flash: &FormFlash) -> Option<Self> {
        if flash.form != FLASH_FORM {
            return None;
        }
        Some(FormProblem {
            form: flash.value("~form")?.to_owned(),
            field: flash.value("~field")?.to_owned(),
            problem: Problem::from_code(&flash.problem)?,
            values: flash.values.iter().filter(|(key, _)| !key.starts_with('~')).cloned().collect(),
        })
    }
}

/// The answer of a form's server function: on success the browser goes to
/// `back_to`; a problem stays on the page (after a plain post, in the flash).
#[cfg(feature = "ssr")]
pub fn finish(back_to: &str, problem: Option<FormProblem>) -> Result<Option<FormProblem>, crate::error::AppError> {
    match &problem {
        // Only a path of this site reaches the Location header (leptos_axum
        // panics on a value that is not a valid header).
        None => leptos_axum::redirect(awn_domain::return_path::return_path_or_home(Some(back_to))),
        Some(problem) => crate::flash::keep_for_next_page(&problem.to_flash()),
    }
    Ok(problem)
}

/// The problem waiting in the flash cookie for this page, if any.
#[cfg(feature = "ssr")]
pub fn take_flash() -> Option<FormProblem> {
    crate::flash::take(FLASH_FORM).as_ref().and_then(FormProblem::from_flash)
}

/// A text checked the way every free-text field is: trimmed, required or not,
/// at most `max` characters.
pub fn checked_text(
    form: &str,
    field: &str,
    text: Option<&str>,
    max: usize,
    required: bool,
) -> Result<String, FormProblem> {
    let text = text.unwrap_or_default().trim();
    if required && text.is_empty() {
        return Err(FormProblem::new(form, field, Problem::Required));
    }
    if text.chars().count() > max {
        return Err(FormProblem::new(form, field, Problem::TooLong));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_survives_the_flash_cookie_with_what_was_typed() {
        let problem = FormProblem::new("answer-7", "answer", Problem::TooLong)
            .with_values(&[("answer", &Some("نص طويل".to_owned())), ("other", &None)]);
        let flash = FormFlash::decode(&problem.to_flash().encode()).expect("decodes");
        assert_eq!(FormProblem::from_flash(&flash), Some(problem));
    }

    #[test]
    fn every_problem_code_reads_back() {
        for problem in Problem::ALL {
            assert_eq!(Problem::from_code(problem.code()), Some(problem));
        }
        assert_eq!(Problem::from_code("nonsense"), None);
    }

    #[test]
    fn texts_are_trimmed_required_and_bounded() {
        assert_eq!(checked_text("f", "x", Some("  hi "), 5, true), Ok("hi".to_owned()));
        assert_eq!(checked_text("f", "x", Some("   "), 5, true).unwrap_err().problem, Problem::Required);
        assert_eq!(checked_text("f", "x", None, 5, false), Ok(String::new()));
        assert_eq!(checked_text("f", "x", Some("ابجدهو"), 5, false).unwrap_err().problem, Problem::TooLong);
    }
}

/// The problem a form shows: the latest answer of its action when JavaScript
/// runs, else the one the flash brought after a plain post.
pub fn latest_problem<A>(
    action: leptos::prelude::ServerAction<A>,
    from_flash: Option<FormProblem>,
) -> leptos::prelude::Signal<Option<FormProblem>>
where
    A: leptos::server_fn::ServerFn<Output = Option<FormProblem>, Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    use leptos::prelude::*;
    Signal::derive(move || match action.value().get() {
        Some(Ok(problem)) => problem,
        Some(Err(crate::error::AppError::TooManyRequests { .. })) => {
            Some(FormProblem::new(ANY_FORM, "", Problem::TooManyRequests))
        }
        Some(Err(_)) => None,
        None => from_flash.clone(),
    })
}

/// The message under `field` of `form`, if that is where the problem is.
pub fn field_message(
    problem: leptos::prelude::Signal<Option<FormProblem>>,
    form: String,
    field: &'static str,
) -> leptos::prelude::Signal<Option<String>> {
    use leptos::prelude::*;
    let i18n = use_i18n();
    Signal::derive(move || {
        problem.get().filter(|p| p.form == form && p.field == field).map(|p| p.problem.text(i18n.get_locale()))
    })
}

/// What was typed in `field` of `form`, put back after a refusal.
pub fn typed(problem: &Option<FormProblem>, form: &str, field: &str) -> String {
    problem.as_ref().filter(|p| p.form == form).and_then(|p| p.value(field)).map(str::to_owned).unwrap_or_default()
}

/// A problem with the form as a whole (field ""), shown above its button.
#[leptos::component]
pub fn FormNotice(
    problem: leptos::prelude::Signal<Option<FormProblem>>,
    #[prop(into)] form: String,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let i18n = use_i18n();
    move || {
        problem.get().filter(|p| (p.form == form || p.form == ANY_FORM) && p.field.is_empty()).map(|p| {
            view! { <p class="notice notice--error" role="alert">{p.problem.text(i18n.get_locale())}</p> }
        })
    }
}

/// How many times `action` changed what the page shows: it succeeded, or found
/// the step already taken by someone else. A page's data depends on this, not
/// on every answer: a form refused for what was typed does not reload the page,
/// so nothing typed meanwhile is replaced; its problem shows from the answer.
pub fn successes<A>(action: leptos::prelude::ServerAction<A>) -> leptos::prelude::Signal<usize>
where
    A: leptos::server_fn::ServerFn<Output = Option<FormProblem>, Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    use leptos::prelude::*;
    let last_success = StoredValue::new(0usize);
    Signal::derive(move || {
        let version = action.version().get();
        let changed = match action.value().get() {
            Some(Ok(None)) => true,
            Some(Ok(Some(refused))) => refused.problem == Problem::AlreadyDone,
            _ => false,
        };
        if changed {
            last_success.set_value(version);
        }
        last_success.get_value()
    })
}
