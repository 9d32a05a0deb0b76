//! Intake on behalf of a beneficiary (A10, A18): a relations officer (or a
//! volunteer) records a request that came by phone, letter, interview or any
//! other channel. The fields, their checks and the declaration are the online
//! wizard's, so a request is the same whichever way it came; its channel and the
//! staff member who recorded it are kept with it.

// `#[server]` writes the browser-side stub of a many-field form without the
// function's own `allow`.
#![cfg_attr(feature = "hydrate", allow(clippy::too_many_arguments, reason = "the stub takes the form's fields"))]

#[cfg(feature = "ssr")]
use crate::application::access::can;

use awn_domain::{
    channels::Channel,
    locale::Language,
    requests::{FieldError, RequestDraft},
};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::{labels::channel_text, sign_in::StaffGate};
use crate::{
    components::{form::FieldError as FieldErrorText, messages::ErrorMessage},
    error::AppError,
    i18n::*,
    preferences::language_of,
    requests::{
        labels::problem_text,
        wizard::{ApplicantFields, DeclarationAndConsents, HouseholdFields, KindOption, SupportFields},
    },
};

/// The fields of the intake form, in the order they are posted.
#[cfg(feature = "ssr")]
const FIELDS: [&str; 16] = [
    "full_name",
    "national_id",
    "birth_date",
    "mobile",
    "email",
    "city",
    "district",
    "household_members",
    "monthly_income",
    "housing",
    "support_kind",
    "description",
    "declaration_accepted",
    "signature",
    "consent_sms",
    "consent_email",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntakeOutcome {
    /// Fields to correct; what was typed comes back to stay in the form.
    Invalid {
        errors: Vec<FieldError>,
        typed: RequestDraft,
        channel: String,
    },
    /// The ID number already has an open request of this kind.
    Duplicate {
        typed: RequestDraft,
        channel: String,
    },
    Recorded {
        id: i64,
        reference: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeForm {
    pub kinds: Vec<KindOption>,
    /// What a plain form post left to show: typed values and problems.
    pub draft: RequestDraft,
    pub channel: String,
    pub errors: Vec<FieldError>,
    pub duplicate: bool,
}

#[server(endpoint = "staff/intake_form")]
pub async fn load_intake_form(language: Language) -> Result<IntakeForm, AppError> {
    super::authorize::<can::RecordIntake>().await?;
    let context = crate::state::app_context()?;
    let kinds = awn_storage::support_kinds::active(&context.database)
        .await?
        .into_iter()
        .map(|kind| KindOption {
            name: kind.name(language).to_owned(),
            description: kind.description(language).to_owned(),
            code: kind.code,
        })
        .collect();
    let flash = crate::flash::take("intake");
    let mut draft = RequestDraft::default();
    let mut errors = Vec::new();
    let mut channel = String::new();
    if let Some(flash) = &flash {
        for (name, value) in &flash.values {
            if let Some(field) = name.strip_prefix("error:") {
                if let Some(problem) = awn_domain::requests::FieldProblem::from_code(value) {
                    errors.push(FieldError { field: field.to_owned(), problem });
                }
            } else if name == "channel" {
                channel = value.clone();
            } else {
                draft.set_field(name, value);
            }
        }
    }
    Ok(IntakeForm { kinds, draft, channel, errors, duplicate: flash.is_some_and(|f| f.problem == "duplicate") })
}

#[server(endpoint = "staff/intake")]
#[allow(clippy::too_many_arguments, reason = "a server function takes the form's fields as its arguments")]
pub async fn record_intake(
    channel: Option<String>,
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
) -> Result<IntakeOutcome, AppError> {
    let values = [
        full_name,
        national_id,
        birth_date,
        mobile,
        email,
        city,
        district,
        household_members,
        monthly_income,
        housing,
        support_kind,
        description,
        declaration_accepted,
        signature,
        consent_sms,
        consent_email,
    ];
    let fields: Vec<(&str, Option<String>)> = FIELDS.into_iter().zip(values).collect();
    ssr::record(channel.unwrap_or_default(), &fields).await
}

#[cfg(feature = "ssr")]
mod ssr {
    use awn_domain::{
        calendar::DualDate,
        channels::Channel,
        requests::{FieldError, FieldProblem, RequestDraft, validate_request},
        staff::{Permission, role_allows},
    };
    use awn_storage::{casework, now_unix_seconds, requests::Submission};

    use super::IntakeOutcome;
    use crate::{error::AppError, flash::FormFlash, preferences::request_language, state::app_context};

    pub async fn record(channel_code: String, fields: &[(&str, Option<String>)]) -> Result<IntakeOutcome, AppError> {
        let staff = crate::staff::authorize::<crate::application::access::can::RecordIntake>().await?;
        let context = app_context()?;
        let db = &context.database;
        let mut draft = RequestDraft::default();
        for (name, value) in fields {
            if let Some(value) = value {
                draft.set_field(name, value);
            }
        }
        let now = now_unix_seconds();
        let today = DualDate::from_unix_seconds(now).gregorian;
        let kinds: Vec<String> = awn_storage::support_kinds::active(db).await?.into_iter().map(|k| k.code).collect();
        let channel = Channel::from_code(&channel_code);
        let checked = validate_request(&draft, today, &kinds);
        let (valid, channel) = match (checked, channel) {
            (Ok(valid), Some(channel)) => (valid, channel),
            (checked, channel) => {
                let mut errors = checked.err().unwrap_or_default();
                if channel.is_none() {
                    errors.push(FieldError { field: "channel".into(), problem: FieldProblem::ChoiceInvalid });
                }
                keep_typed(&channel_code, fields, &errors, "fields");
                return Ok(IntakeOutcome::Invalid { errors, typed: draft, channel: channel_code });
            }
        };
        // The receipt goes to the beneficiary in the language of the staff member's page.
        let language = request_language(&context);
        let submission = casework::record_intake(
            db,
            staff.id,
            channel,
            &valid,
            language,
            context.settings.decision_period_days,
            now,
            |reference, due_at| {
                crate::notices::request_submitted(
                    &valid.mobile,
                    valid.email.as_deref(),
                    valid.consent_email,
                    reference,
                    due_at,
                    language,
                )
            },
        )
        .await?;
        Ok(match submission {
            Submission::Submitted { id, reference, .. } => {
                // Who may read files goes on to verify it; a volunteer records the next one.
                if role_allows(staff.role, Permission::ViewBeneficiaryFile) {
                    leptos_axum::redirect(&format!("/staff/requests/{id}"));
                } else {
                    leptos_axum::redirect("/staff/intake");
                }
                IntakeOutcome::Recorded { id, reference }
            }
            Submission::DuplicateOpen { .. } => {
                keep_typed(&channel_code, fields, &[], "duplicate");
                IntakeOutcome::Duplicate { typed: draft, channel: channel_code }
            }
            Submission::UnknownSupportKind => {
                let errors = vec![FieldError { field: "support_kind".into(), problem: FieldProblem::ChoiceInvalid }];
                keep_typed(&channel_code, fields, &errors, "fields");
                IntakeOutcome::Invalid { errors, typed: draft, channel: channel_code }
            }
        })
    }

    /// Without JavaScript the post is answered by a redirect: what was typed and
    /// what is wrong travel to the form in the flash cookie.
    fn keep_typed(channel: &str, fields: &[(&str, Option<String>)], errors: &[FieldError], problem: &str) {
        let mut values: Vec<(String, String)> =
            fields.iter().filter_map(|(name, value)| value.as_ref().map(|v| ((*name).to_owned(), v.clone()))).collect();
        values.push(("channel".into(), channel.to_owned()));
        values.extend(errors.iter().map(|e| (format!("error:{}", e.field), e.problem.code().to_owned())));
        crate::flash::keep_for_next_page(&FormFlash {
            form: "intake".into(),
            values,
            problem: problem.into(),
            number: 0,
        });
    }
}

/// The page's data is asked for here, outside the gate's suspense, so that the
/// browser finds it where the server put it when the page hydrates.
#[component]
pub fn StaffIntakePage() -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordIntake>::new();
    // Reloaded after each answer, so the form is drawn again with its problems.
    let form = Resource::new(
        move || (language_of(i18n.get_locale()), record.version().get()),
        |(language, _)| load_intake_form(language),
    );
    view! { <StaffGate children=move |_session| view! { <IntakeView record form/> }/> }
}

#[component]
fn IntakeView(record: ServerAction<RecordIntake>, form: Resource<Result<IntakeForm, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, staff.intake_title).to_string()/>
        <h1>{t!(i18n, staff.intake_title)}</h1>
        <p>{t!(i18n, staff.intake_lead)}</p>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Err(error) => view! { <ErrorMessage error/> }.into_any(),
                    Ok(form) => {
                        // With JavaScript the latest answer; without, what the flash kept.
                        let (draft, errors, chosen, duplicate) = match record.value().get_untracked() {
                            Some(Ok(IntakeOutcome::Invalid { errors, typed, channel })) => (typed, errors, channel, false),
                            Some(Ok(IntakeOutcome::Duplicate { typed, channel })) => (typed, Vec::new(), channel, true),
                            _ => (form.draft.clone(), form.errors.clone(), form.channel.clone(), form.duplicate),
                        };
                        let channel_error = errors
                            .iter()
                            .find(|e| e.field == "channel")
                            .map(|e| problem_text(i18n.get_locale(), e.problem));
                        let recorded = move || match record.value().get() {
                            Some(Ok(IntakeOutcome::Recorded { reference, .. })) => Some(reference),
                            _ => None,
                        };
                        view! {
                            {move || recorded().map(|reference| view! {
                                <p class="notice notice--success" role="status">
                                    {t!(i18n, staff.intake_recorded)} " " <bdi dir="ltr">{reference}</bdi>
                                </p>
                            })}
                            {duplicate.then(|| view! {
                                <p class="notice notice--error" role="alert">{t!(i18n, wizard.duplicate_other)}</p>
                            })}
                            <ActionForm action=record attr:class="form" attr:novalidate=true attr:id="form-intake">
                                <div class="field" class:field--invalid=channel_error.is_some()>
                                    <label class="field__label" for="field-channel">{t!(i18n, staff.intake_channel)}</label>
                                    <select class="field__input" id="field-channel" name="channel"
                                        aria-describedby="field-channel-error">
                                        <option value="">{t!(i18n, staff.intake_choose_channel)}</option>
                                        {Channel::ALL.into_iter().map(|channel| view! {
                                            <option value=channel.code() selected=chosen == channel.code()>
                                                {channel_text(i18n.get_locale(), channel)}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                    <FieldErrorText id="field-channel-error" error=Signal::stored(channel_error.clone())/>
                                </div>
                                <ApplicantFields draft=draft.clone() errors=errors.clone()/>
                                <HouseholdFields draft=draft.clone() errors=errors.clone()/>
                                <SupportFields draft=draft.clone() errors=errors.clone() kinds=form.kinds.clone()/>
                                <DeclarationAndConsents draft=draft.clone() errors=errors.clone()/>
                                <button class="button button--primary" type="submit">{t!(i18n, staff.intake_submit)}</button>
                            </ActionForm>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
