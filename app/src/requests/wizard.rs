//! The support-request wizard: a few short steps, each saved to a server-side
//! draft, so a dropped connection or a closed tab loses nothing and the request
//! can be finished on another device. One address (/requests/new) shows whichever
//! step the draft is at, which is also what makes it work without JavaScript.

// `#[server]` writes the browser-side stub of a many-field form without the
// function's own `allow`.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments, reason = "the stub takes the form's fields"))]

use awn_domain::{
    documents::MAX_DOCUMENTS_PER_REQUEST,
    locale::Language,
    requests::{FieldError, Housing, RequestDraft, WizardStep},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        form::{FieldError as FieldErrorText, TextField},
        messages::ErrorMessage,
    },
    error::AppError,
    i18n::*,
    preferences::{language_of, use_digit_style},
    requests::labels::problem_text,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindOption {
    pub code: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftDocument {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
}

/// The open request that blocks a second one of the same kind (A12): only the
/// beneficiary's own. Another account's request for the same national ID
/// blocks nothing and is never mentioned (staff see the possible duplicate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DuplicateNotice {
    /// The beneficiary's own: we can point to it.
    Own { id: i64, reference: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardState {
    pub draft: RequestDraft,
    pub errors: Vec<FieldError>,
    pub kinds: Vec<KindOption>,
    pub documents: Vec<DraftDocument>,
    pub max_upload_mb: u64,
    pub upload_problem: Option<String>,
    pub duplicate: Option<DuplicateNotice>,
    /// The account sent as many requests today as a day allows.
    pub daily_limit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepOutcome {
    Saved {
        step: WizardStep,
        errors: Vec<FieldError>,
    },
    Duplicate(DuplicateNotice),
    Submitted {
        id: i64,
        reference: String,
    },
    /// Not sent: the account's requests for today are used up (the draft is kept).
    DailyLimit,
}

/// The flash's problem when the daily cap on submissions refused the request.
#[cfg(feature = "ssr")]
const DAILY_LIMIT_FLASH: &str = "daily_limit";

#[server(endpoint = "requests/wizard_state")]
pub async fn load_wizard_state(language: Language) -> Result<WizardState, AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    let stored = awn_storage::requests::load_draft(&context.database, account.id).await?;
    let (mut draft, errors) = match stored {
        Some(stored) => (stored.draft, stored.errors),
        None => (ssr::fresh_draft(&account), Vec::new()),
    };
    let kinds = awn_storage::support_kinds::active(&context.database)
        .await?
        .into_iter()
        .map(|kind| KindOption {
            name: kind.name(language).to_owned(),
            description: kind.description(language).to_owned(),
            code: kind.code,
        })
        .collect();
    let documents = awn_storage::documents::of_draft(&context.database, account.id)
        .await?
        .into_iter()
        .map(|d| DraftDocument { id: d.id, file_name: d.file_name, size_bytes: d.size_bytes })
        .collect();
    let flash = crate::flash::take("wizard");
    let upload_problem = flash.as_ref().filter(|f| f.value("kind") == Some("upload")).map(|f| f.problem.clone());
    if upload_problem.is_some() {
        // The refusal is shown where the upload was made.
        draft.step = awn_domain::requests::WizardStep::Documents;
    }
    let duplicate = flash.as_ref().and_then(|f| match f.problem.as_str() {
        "duplicate_own" => {
            Some(DuplicateNotice::Own { id: f.number, reference: f.value("reference").unwrap_or_default().to_owned() })
        }
        _ => None,
    });
    Ok(WizardState {
        draft,
        errors,
        kinds,
        documents,
        max_upload_mb: context.settings.max_upload_bytes / (1024 * 1024),
        upload_problem,
        duplicate,
        daily_limit: flash.as_ref().is_some_and(|f| f.problem == DAILY_LIMIT_FLASH),
    })
}

/// Saves what the step's form holds and moves as `go` says: "next" (if the step
/// is valid), "back", "save", "to:<step>" (an earlier step) or "submit".
#[server(endpoint = "requests/save_step")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn save_request_step(
    step: String,
    go: Option<String>,
    full_name: Option<String>,
    national_id: Option<String>,
    birth_date: Option<String>,
    mobile: Option<String>,
    email: Option<String>,
    city: Option<String>,
    district: Option<String>,
    household_members: Option<String>,
    monthly_income: Option<String>,
    housing: Option<String>,
    support_kind: Option<String>,
    description: Option<String>,
    declaration_accepted: Option<String>,
    signature: Option<String>,
    consent_sms: Option<String>,
    consent_email: Option<String>,
) -> Result<StepOutcome, AppError> {
    let fields = [
        ("full_name", full_name),
        ("national_id", national_id),
        ("birth_date", birth_date),
        ("mobile", mobile),
        ("email", email),
        ("city", city),
        ("district", district),
        ("household_members", household_members),
        ("monthly_income", monthly_income),
        ("housing", housing),
        ("support_kind", support_kind),
        ("description", description),
        ("declaration_accepted", declaration_accepted),
        ("signature", signature),
        ("consent_sms", consent_sms),
        ("consent_email", consent_email),
    ];
    ssr::save_step(&step, go.as_deref().unwrap_or("next"), &fields).await
}

/// Takes a document off the draft (before submission only).
#[server(endpoint = "requests/remove_draft_document")]
pub async fn remove_draft_document(document: i64) -> Result<(), AppError> {
    let account = crate::session::require_beneficiary().await?;
    let context = crate::state::app_context()?;
    if let Some(key) = awn_storage::documents::remove_from_draft(&context.database, document, account.id).await?
        && let Err(error) = context.documents.delete(&key).await
    {
        // The record is gone; an orphan file is harmless and logged for cleanup.
        tracing::warn!(%error, "could not delete a removed document's file");
    }
    Ok(())
}

#[cfg(feature = "ssr")]
mod ssr {
    use awn_domain::{
        calendar::DualDate,
        requests::{RequestDraft, WizardStep, validate_request, validate_step},
    };
    use awn_storage::{
        accounts::BeneficiaryAccount,
        now_unix_seconds,
        requests::{self, NewRequest, Submission},
    };

    use super::{DuplicateNotice, StepOutcome};
    use crate::{error::AppError, flash::FormFlash, preferences::request_language, state::app_context};

    pub fn fresh_draft(account: &BeneficiaryAccount) -> RequestDraft {
        RequestDraft { mobile: account.mobile.local(), ..RequestDraft::default() }
    }

    pub async fn save_step(step: &str, go: &str, fields: &[(&str, Option<String>)]) -> Result<StepOutcome, AppError> {
        let account = crate::session::require_beneficiary().await?;
        let context = app_context()?;
        let db = &context.database;
        let mut draft = match requests::load_draft(db, account.id).await? {
            Some(stored) => stored.draft,
            None => fresh_draft(&account),
        };
        // The form posted is the authority on which step it was.
        let step = WizardStep::from_code(step).unwrap_or(draft.step);
        draft.clear_step_booleans(step);
        for (name, value) in fields {
            if let Some(value) = value {
                draft.set_field(name, value);
            }
        }
        let now = now_unix_seconds();
        let today = DualDate::from_unix_seconds(now).gregorian;
        let kinds: Vec<String> =
            awn_storage::support_kinds::active(db).await?.into_iter().map(|kind| kind.code).collect();

        let mut errors = Vec::new();
        match go {
            "back" => draft.step = step.previous().unwrap_or(step),
            "save" => draft.step = step,
            target if target.starts_with("to:") => {
                draft.step = WizardStep::from_code(&target[3..]).filter(|t| t.number() < step.number()).unwrap_or(step);
            }
            "submit" => match validate_request(&draft, today, &kinds) {
                Err(found) => {
                    errors = found;
                    draft.step = WizardStep::ALL
                        .into_iter()
                        .find(|s| !validate_step(&draft, *s, today, &kinds).is_empty())
                        .unwrap_or(step);
                }
                Ok(valid) => {
                    requests::save_draft(db, account.id, &draft, &[], now).await?;
                    let per_day = context.settings.submissions_per_day;
                    let kind = awn_storage::limits::SubmissionKind::SupportRequest;
                    if !awn_storage::limits::take_daily_allowance(db, account.id, kind, per_day, now).await? {
                        let flash = FormFlash {
                            form: "wizard".into(),
                            problem: super::DAILY_LIMIT_FLASH.into(),
                            ..FormFlash::default()
                        };
                        crate::flash::keep_for_next_page(&flash);
                        return Ok(StepOutcome::DailyLimit);
                    }
                    let language = request_language(&context);
                    let submission = requests::submit(
                        db,
                        NewRequest {
                            beneficiary_id: account.id,
                            request: &valid,
                            declaration_version: crate::requests::DECLARATION_VERSION,
                            language,
                            decision_period_days: context.settings.decision_period_days,
                            now,
                            channel: awn_domain::channels::Channel::Website,
                            actor: requests::ACTOR_BENEFICIARY,
                        },
                        |reference, due_at| {
                            // The receipt goes to the number the account signed in
                            // with, never to one typed into the form (which would
                            // let anyone make Awn text any number).
                            crate::notices::request_submitted(
                                &account.mobile,
                                valid.email.as_deref(),
                                valid.consent_email,
                                reference,
                                due_at,
                                language,
                            )
                        },
                    )
                    .await?;
                    return Ok(match submission {
                        Submission::Submitted { id, reference, .. } => {
                            leptos_axum::redirect(&format!("/requests/{id}?submitted=1"));
                            StepOutcome::Submitted { id, reference }
                        }
                        Submission::DuplicateOpen { id, reference } => {
                            let notice = DuplicateNotice::Own { id, reference };
                            crate::flash::keep_for_next_page(&duplicate_flash(&notice));
                            StepOutcome::Duplicate(notice)
                        }
                        Submission::UnknownSupportKind => {
                            let errors = validate_step(&draft, WizardStep::Support, today, &[]);
                            draft.step = WizardStep::Support;
                            requests::save_draft(db, account.id, &draft, &errors, now).await?;
                            StepOutcome::Saved { step: draft.step, errors }
                        }
                    });
                }
            },
            _ => {
                errors = validate_step(&draft, step, today, &kinds);
                draft.step = if errors.is_empty() { step.next().unwrap_or(step) } else { step };
            }
        }
        requests::save_draft(db, account.id, &draft, &errors, now).await?;
        Ok(StepOutcome::Saved { step: draft.step, errors })
    }

    fn duplicate_flash(notice: &DuplicateNotice) -> FormFlash {
        let DuplicateNotice::Own { id, reference } = notice;
        FormFlash {
            form: "wizard".into(),
            values: vec![("reference".into(), reference.clone())],
            problem: "duplicate_own".into(),
            number: *id,
        }
    }
}

/// The problem of `field` among `errors`, in the page's language.
fn field_error(
    i18n: leptos_i18n::I18nContext<Locale>,
    errors: &[FieldError],
    field: &'static str,
) -> Signal<Option<String>> {
    let problem = errors.iter().find(|e| e.field == field).map(|e| e.problem);
    Signal::derive(move || problem.map(|p| problem_text(i18n.get_locale(), p)))
}

#[component]
pub fn WizardPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveRequestStep>::new();
    let remove = ServerAction::<RemoveDraftDocument>::new();
    let state = Resource::new(
        move || (language_of(i18n.get_locale()), save.version().get(), remove.version().get()),
        |(language, _, _)| load_wizard_state(language),
    );

    view! {
        <Title text=t_string!(i18n, wizard.title).to_string()/>
        <h1>{t!(i18n, wizard.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(state) => {
                        let latest_duplicate = move || match save.value().get() {
                            Some(Ok(StepOutcome::Duplicate(notice))) => Some(notice),
                            _ => None,
                        };
                        let flash_duplicate = state.duplicate.clone();
                        let duplicate = move || latest_duplicate().or_else(|| flash_duplicate.clone());
                        let flash_daily_limit = state.daily_limit;
                        let daily_limit = move || {
                            flash_daily_limit || matches!(save.value().get(), Some(Ok(StepOutcome::DailyLimit)))
                        };
                        view! {
                            <WizardProgress step=state.draft.step/>
                            {move || duplicate().map(|notice| view! { <DuplicateMessage notice/> })}
                            {move || daily_limit().then(|| view! {
                                <p class="notice notice--error" role="alert">{t!(i18n, limits.daily_limit)}</p>
                            })}
                            <WizardStepView state save remove/>
                        }
                        .into_any()
                    }
                    Err(AppError::SignInRequired) => view! { <Redirect path="/sign-in"/> }.into_any(),
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn step_name(i18n: leptos_i18n::I18nContext<Locale>, step: WizardStep) -> &'static str {
    match step {
        WizardStep::Applicant => t_string!(i18n, wizard.step_applicant),
        WizardStep::Household => t_string!(i18n, wizard.step_household),
        WizardStep::Support => t_string!(i18n, wizard.step_support),
        WizardStep::Documents => t_string!(i18n, wizard.step_documents),
        WizardStep::Declaration => t_string!(i18n, wizard.step_declaration),
    }
}

#[component]
fn WizardProgress(step: WizardStep) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let total = WizardStep::ALL.len();
    let current = step.number();
    let counter = move || {
        awn_domain::digits::localize_digits(
            &t_string!(i18n, wizard.progress, current = current, total = total).to_string(),
            digits.try_get().unwrap_or_default(),
        )
    };
    view! {
        <nav class="wizard-progress" aria-label=move || t_string!(i18n, wizard.progress_label)>
            <p class="wizard-progress__counter">{counter}</p>
            <ol class="wizard-progress__steps">
                {WizardStep::ALL
                    .into_iter()
                    .map(|s| {
                        let state = if s.number() < current {
                            "done"
                        } else if s == step {
                            "current"
                        } else {
                            "todo"
                        };
                        view! {
                            <li
                                class=format!("wizard-progress__step wizard-progress__step--{state}")
                                aria-current=(s == step).then_some("step")
                            >
                                {move || step_name(i18n, s)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

#[component]
fn DuplicateMessage(notice: DuplicateNotice) -> impl IntoView {
    let i18n = use_i18n();
    let DuplicateNotice::Own { id, reference } = notice;
    view! {
        <div class="notice notice--error" role="alert">
            <p>{t!(i18n, wizard.duplicate_own)}</p>
            <a href=format!("/requests/{id}")>
                {t!(i18n, wizard.duplicate_open_link)} " " <bdi dir="ltr">{reference}</bdi>
            </a>
        </div>
    }
}

/// The buttons at the bottom of a step.
#[component]
fn StepButtons(step: WizardStep) -> impl IntoView {
    let i18n = use_i18n();
    let is_last = step.next().is_none();
    view! {
        <div class="form__actions">
            {if is_last {
                view! {
                    <button class="button button--primary" type="submit" name="go" value="submit">
                        {t!(i18n, wizard.submit)}
                    </button>
                }
                    .into_any()
            } else {
                view! {
                    <button class="button button--primary" type="submit" name="go" value="next">
                        {t!(i18n, wizard.next)}
                    </button>
                }
                    .into_any()
            }}
            {step.previous().map(|_| view! {
                <button class="button" type="submit" name="go" value="back" formnovalidate=true>
                    {t!(i18n, wizard.back)}
                </button>
            })}
            <button class="button button--link" type="submit" name="go" value="save" formnovalidate=true>
                {t!(i18n, wizard.save_draft)}
            </button>
        </div>
    }
}

#[component]
fn WizardStepView(
    state: WizardState,
    save: ServerAction<SaveRequestStep>,
    remove: ServerAction<RemoveDraftDocument>,
) -> impl IntoView {
    let i18n = use_i18n();
    let step = state.draft.step;
    let saved_notice =
        move || matches!(save.value().get(), Some(Ok(StepOutcome::Saved { ref errors, .. })) if errors.is_empty());
    let draft = state.draft.clone();
    let errors = state.errors.clone();
    let body = match step {
        WizardStep::Applicant => view! { <ApplicantFields draft errors/> }.into_any(),
        WizardStep::Household => view! { <HouseholdFields draft errors/> }.into_any(),
        WizardStep::Support => view! { <SupportFields draft errors kinds=state.kinds.clone()/> }.into_any(),
        WizardStep::Documents => view! { <DocumentsHint/> }.into_any(),
        WizardStep::Declaration => view! { <DeclarationFields draft errors kinds=state.kinds.clone()/> }.into_any(),
    };
    let has_errors = !state.errors.is_empty();
    view! {
        <section class="card wizard-step" aria-labelledby="step-title">
            <h2 id="step-title">{move || step_name(i18n, step)}</h2>
            <Show when=move || has_errors>
                <p class="notice notice--error" role="alert">{t!(i18n, wizard.fix_errors)}</p>
            </Show>
            <Show when=saved_notice>
                <p class="notice" role="status">{t!(i18n, wizard.saved)}</p>
            </Show>
            {(step == WizardStep::Documents).then(|| view! {
                <DocumentsStep
                    documents=state.documents.clone()
                    max_upload_mb=state.max_upload_mb
                    problem=state.upload_problem.clone()
                    remove
                />
            })}
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <input type="hidden" name="step" value=step.code()/>
                {body}
                <StepButtons step/>
            </ActionForm>
        </section>
    }
}

#[component]
pub(crate) fn ApplicantFields(draft: RequestDraft, errors: Vec<FieldError>) -> impl IntoView {
    let i18n = use_i18n();
    let e = |field| field_error(i18n, &errors, field);
    view! {
        <TextField
            name="full_name"
            label=move || t_string!(i18n, wizard.full_name)
            hint=move || t_string!(i18n, wizard.full_name_hint)
            value=draft.full_name
            error=e("full_name")
            autocomplete="name"
            required=true
        />
        <TextField
            name="national_id"
            label=move || t_string!(i18n, wizard.national_id)
            hint=move || t_string!(i18n, wizard.national_id_hint)
            value=draft.national_id
            error=e("national_id")
            inputmode="numeric"
            dir="ltr"
            required=true
            maxlength=20
        />
        <TextField
            name="birth_date"
            label=move || t_string!(i18n, wizard.birth_date)
            value=draft.birth_date
            error=e("birth_date")
            input_type="date"
            autocomplete="bday"
            dir="ltr"
            required=true
        />
        <TextField
            name="mobile"
            label=move || t_string!(i18n, wizard.mobile)
            value=draft.mobile
            error=e("mobile")
            input_type="tel"
            inputmode="tel"
            autocomplete="tel"
            dir="ltr"
            required=true
        />
        <TextField
            name="email"
            label=move || t_string!(i18n, wizard.email)
            hint=move || t_string!(i18n, wizard.optional)
            value=draft.email
            error=e("email")
            input_type="email"
            autocomplete="email"
            dir="ltr"
        />
        <TextField
            name="city"
            label=move || t_string!(i18n, wizard.city)
            value=draft.city
            error=e("city")
            autocomplete="address-level2"
            required=true
        />
        <TextField
            name="district"
            label=move || t_string!(i18n, wizard.district)
            value=draft.district
            error=e("district")
            autocomplete="address-level3"
            required=true
        />
    }
}

fn housing_label(i18n: leptos_i18n::I18nContext<Locale>, housing: Housing) -> &'static str {
    match housing {
        Housing::Owned => t_string!(i18n, wizard.housing_owned),
        Housing::Rented => t_string!(i18n, wizard.housing_rented),
        Housing::Family => t_string!(i18n, wizard.housing_family),
        Housing::Other => t_string!(i18n, wizard.housing_other),
    }
}

#[component]
pub(crate) fn HouseholdFields(draft: RequestDraft, errors: Vec<FieldError>) -> impl IntoView {
    let i18n = use_i18n();
    let e = |field| field_error(i18n, &errors, field);
    let housing_error = e("housing");
    let chosen = draft.housing.clone();
    view! {
        <TextField
            name="household_members"
            label=move || t_string!(i18n, wizard.household_members)
            hint=move || t_string!(i18n, wizard.household_members_hint)
            value=draft.household_members
            error=e("household_members")
            inputmode="numeric"
            dir="ltr"
            required=true
            maxlength=4
        />
        <TextField
            name="monthly_income"
            label=move || t_string!(i18n, wizard.monthly_income)
            hint=move || t_string!(i18n, wizard.monthly_income_hint)
            value=draft.monthly_income
            error=e("monthly_income")
            inputmode="numeric"
            dir="ltr"
            required=true
            maxlength=12
        />
        <fieldset
            class="field choice-group"
            class:field--invalid=move || housing_error.get().is_some()
            aria-describedby="field-housing-error"
        >
            <legend class="field__label">{t!(i18n, wizard.housing)}</legend>
            {Housing::ALL
                .into_iter()
                .map(|housing| {
                    let id = format!("housing-{}", housing.code());
                    view! {
                        <div class="choice">
                            <input
                                type="radio"
                                id=id.clone()
                                name="housing"
                                value=housing.code()
                                checked=chosen == housing.code()
                            />
                            <label for=id>{move || housing_label(i18n, housing)}</label>
                        </div>
                    }
                })
                .collect_view()}
            <FieldErrorText id="field-housing-error" error=housing_error/>
        </fieldset>
    }
}

#[component]
pub(crate) fn SupportFields(draft: RequestDraft, errors: Vec<FieldError>, kinds: Vec<KindOption>) -> impl IntoView {
    let i18n = use_i18n();
    let kind_error = field_error(i18n, &errors, "support_kind");
    let description_error = field_error(i18n, &errors, "description");
    let chosen = draft.support_kind.clone();
    view! {
        <fieldset
            class="field choice-group"
            class:field--invalid=move || kind_error.get().is_some()
            aria-describedby="field-support_kind-error"
        >
            <legend class="field__label">{t!(i18n, wizard.support_kind)}</legend>
            {kinds
                .into_iter()
                .map(|kind| {
                    let id = format!("kind-{}", kind.code);
                    view! {
                        <div class="choice choice--described">
                            <input
                                type="radio"
                                id=id.clone()
                                name="support_kind"
                                value=kind.code.clone()
                                checked=chosen == kind.code
                            />
                            <label for=id>
                                <span class="choice__title">{kind.name}</span>
                                <span class="choice__description">{kind.description}</span>
                            </label>
                        </div>
                    }
                })
                .collect_view()}
            <FieldErrorText id="field-support_kind-error" error=kind_error/>
        </fieldset>
        <div class="field" class:field--invalid=move || description_error.get().is_some()>
            <label class="field__label" for="field-description">{t!(i18n, wizard.description)}</label>
            <p class="field__hint" id="field-description-hint">{t!(i18n, wizard.description_hint)}</p>
            <crate::components::form::TextArea
                id="field-description"
                name="description"
                value=draft.description
                rows=5
                maxlength=2000
                described_by=Some("field-description-hint field-description-error".to_owned())
                invalid=Signal::derive(move || description_error.get().is_some())
            />
            <FieldErrorText id="field-description-error" error=description_error/>
        </div>
    }
}

#[component]
fn DocumentsHint() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="field__hint">{t!(i18n, wizard.documents_next_hint)}</p> }
}

/// The draft's documents and the upload form. The upload is a plain multipart
/// form to /uploads/draft (it works the same with or without JavaScript); it sits
/// outside the step's form because forms cannot nest.
#[component]
fn DocumentsStep(
    documents: Vec<DraftDocument>,
    max_upload_mb: u64,
    problem: Option<String>,
    remove: ServerAction<RemoveDraftDocument>,
) -> impl IntoView {
    let i18n = use_i18n();
    let digits = use_digit_style();
    let count = documents.len();
    let full = count >= MAX_DOCUMENTS_PER_REQUEST;
    let limit_text = move || {
        awn_domain::digits::localize_digits(
            &t_string!(i18n, documents.limits, megabytes = max_upload_mb, max = MAX_DOCUMENTS_PER_REQUEST).to_string(),
            digits.try_get().unwrap_or_default(),
        )
    };
    let problem_text = move || problem.as_deref().map(|p| crate::requests::tracking::upload_problem_text(i18n, p));
    view! {
        <p>{t!(i18n, documents.lead)}</p>
        <ul class="document-list">
            {documents
                .into_iter()
                .map(|document| {
                    view! {
                        <li class="document-list__item">
                            <a href=format!("/documents/{}", document.id) download>
                                <bdi>{document.file_name}</bdi>
                            </a>
                            <ActionForm action=remove attr:class="form form--inline">
                                <input type="hidden" name="document" value=document.id/>
                                <button class="button button--link" type="submit">
                                    {t!(i18n, documents.remove)}
                                </button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {move || problem_text().map(|text| view! { <p class="notice notice--error" role="alert">{text}</p> })}
        <Show
            when=move || !full
            fallback=move || view! { <p class="field__hint">{t!(i18n, documents.full)}</p> }
        >
            <form class="form upload-form" method="post" action="/uploads/draft" enctype="multipart/form-data">
                <div class="field">
                    <label class="field__label" for="field-file">{t!(i18n, documents.choose)}</label>
                    <p class="field__hint" id="field-file-hint">{limit_text}</p>
                    <input
                        class="field__input"
                        id="field-file"
                        type="file"
                        name="file"
                        accept="image/jpeg,image/png,image/webp,application/pdf"
                        aria-describedby="field-file-hint"
                        required
                    />
                </div>
                <button class="button" type="submit">{t!(i18n, documents.upload)}</button>
            </form>
        </Show>
    }
}

#[component]
fn DeclarationFields(draft: RequestDraft, errors: Vec<FieldError>, kinds: Vec<KindOption>) -> impl IntoView {
    let i18n = use_i18n();
    let kind_name = kinds.iter().find(|k| k.code == draft.support_kind).map(|k| k.name.clone()).unwrap_or_default();
    let summary = [
        (t_string!(i18n, wizard.full_name), draft.full_name.clone()),
        (t_string!(i18n, wizard.national_id), draft.national_id.clone()),
        (t_string!(i18n, wizard.mobile), draft.mobile.clone()),
        (t_string!(i18n, wizard.city), format!("{} / {}", draft.city, draft.district)),
        (t_string!(i18n, wizard.household_members), draft.household_members.clone()),
        (t_string!(i18n, wizard.monthly_income), draft.monthly_income.clone()),
        (t_string!(i18n, wizard.support_kind), kind_name),
    ];
    view! {
        <h3>{t!(i18n, wizard.review_title)}</h3>
        <dl class="summary">
            {summary
                .into_iter()
                .map(|(label, value)| view! { <div class="summary__row"><dt>{label}</dt><dd><bdi>{value}</bdi></dd></div> })
                .collect_view()}
        </dl>
        <button class="button button--link" type="submit" name="go" value="to:applicant" formnovalidate=true>
            {t!(i18n, wizard.edit_data)}
        </button>
        <DeclarationAndConsents draft errors/>
    }
}

/// The declaration (A12) signed by typing the full name, and the two separate
/// opt-in consents (B9): the same words online and at a staff intake.
#[component]
pub(crate) fn DeclarationAndConsents(draft: RequestDraft, errors: Vec<FieldError>) -> impl IntoView {
    let i18n = use_i18n();
    let accepted_error = field_error(i18n, &errors, "declaration_accepted");
    view! {
        <h3>{t!(i18n, wizard.declaration_title)}</h3>
        <p class="declaration-text">{t!(i18n, wizard.declaration_text)}</p>
        <div class="field" class:field--invalid=move || accepted_error.get().is_some()>
            <div class="choice">
                <input
                    type="checkbox"
                    id="field-declaration_accepted"
                    name="declaration_accepted"
                    value="on"
                    checked=draft.declaration_accepted
                    aria-describedby="field-declaration_accepted-error"
                />
                <label for="field-declaration_accepted">{t!(i18n, wizard.declaration_accept)}</label>
            </div>
            <FieldErrorText id="field-declaration_accepted-error" error=accepted_error/>
        </div>
        <TextField
            name="signature"
            label=move || t_string!(i18n, wizard.signature)
            hint=move || t_string!(i18n, wizard.signature_hint)
            value=draft.signature
            error=field_error(i18n, &errors, "signature")
            autocomplete="off"
            required=true
        />
        <fieldset class="field choice-group">
            <legend class="field__label">{t!(i18n, wizard.consents_title)}</legend>
            <p class="field__hint">{t!(i18n, wizard.consents_hint)}</p>
            <div class="choice">
                <input type="checkbox" id="field-consent_sms" name="consent_sms" value="on" checked=draft.consent_sms/>
                <label for="field-consent_sms">{t!(i18n, wizard.consent_sms)}</label>
            </div>
            <div class="choice">
                <input
                    type="checkbox"
                    id="field-consent_email"
                    name="consent_email"
                    value="on"
                    checked=draft.consent_email
                />
                <label for="field-consent_email">{t!(i18n, wizard.consent_email)}</label>
            </div>
        </fieldset>
    }
}
