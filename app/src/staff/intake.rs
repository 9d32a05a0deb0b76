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

#[cfg(feature = "ssr")]
use awn_domain::requests::MemberField;
use awn_domain::{
    channels::Channel,
    locale::Language,
    requests::{FieldError, FieldProblem, RequestDraft},
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

/// The form's name of the channel a request came by (not a field of the request).
#[cfg(feature = "ssr")]
const CHANNEL: &str = "channel";
/// The flash's prefix of a field's problem: `error:<field>` holds its code.
#[cfg(feature = "ssr")]
const ERROR_PREFIX: &str = "error:";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IntakeOutcome {
    /// Fields to correct; what was typed comes back to stay in the form.
    Invalid {
        errors: Vec<FieldError>,
        /// The channel was not one of the channels.
        channel_problem: Option<FieldProblem>,
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
    pub channel_problem: Option<FieldProblem>,
    pub duplicate: bool,
}

#[server(endpoint = "staff/intake_form")]
pub async fn load_intake_form(language: Language) -> Result<IntakeForm, AppError> {
    use awn_domain::requests::ApplicantField;
    super::authorize::<can::RecordIntake>().await?;
    let context = crate::state::app_context()?;
    let kinds = crate::application::requests::offered_kinds(&context.database, language).await?;
    let flash = crate::flash::take("intake");
    let mut form = IntakeForm {
        kinds,
        draft: RequestDraft::default(),
        channel: String::new(),
        errors: Vec::new(),
        channel_problem: None,
        duplicate: flash.as_ref().is_some_and(|f| f.problem == "duplicate"),
    };
    for (name, value) in flash.iter().flat_map(|flash| &flash.values) {
        if let Some(field) = name.strip_prefix(ERROR_PREFIX) {
            let problem = FieldProblem::from_code(value);
            match ApplicantField::from_code(field) {
                Some(field) => form.errors.extend(problem.map(|problem| FieldError { field, problem })),
                None if field == CHANNEL => form.channel_problem = problem,
                None => {}
            }
        } else if let Some((row, field)) = member_key(name) {
            if form.draft.members.len() <= row {
                form.draft.members.resize(row + 1, Default::default());
            }
            if let Some(member) = form.draft.members.get_mut(row) {
                match field {
                    MemberField::FullName => member.full_name = value.clone(),
                    MemberField::Relation => member.relation = value.clone(),
                    MemberField::BirthDate => member.birth_date = value.clone(),
                    MemberField::NationalId => member.national_id = value.clone(),
                    MemberField::HasIncome => member.has_income = value.clone(),
                }
            }
        } else if name == CHANNEL {
            form.channel = value.clone();
        } else if let Some(field) = ApplicantField::from_code(name) {
            form.draft.set_field(field, value);
        }
    }
    Ok(form)
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
    // The household's rows, posted as `members[0][full_name]` and so on.
    members: Option<Vec<awn_domain::requests::MemberDraft>>,
) -> Result<IntakeOutcome, AppError> {
    use crate::application::intake::{self, Intake};
    let posted = crate::requests::wizard::posted_fields([
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
    ]);
    let channel = channel.unwrap_or_default();
    let members = awn_domain::requests::kept_rows(&members.unwrap_or_default());
    let who = super::authorize::<can::RecordIntake>().await?;
    let context = crate::state::app_context()?;
    // The receipt goes to the beneficiary in the language of the staff member's page.
    let language = crate::preferences::request_language(&context);
    Ok(match intake::record(&context, &who, &channel, &posted, &members, language).await? {
        Intake::Recorded { id, reference, file_readable } => {
            // Who may read files goes on to verify it; a volunteer records the next one.
            if file_readable {
                leptos_axum::redirect(&format!("/staff/requests/{id}"));
            } else {
                leptos_axum::redirect("/staff/intake");
            }
            IntakeOutcome::Recorded { id, reference }
        }
        Intake::Duplicate { typed } => {
            keep_typed(&channel, &posted, &members, &[], None, "duplicate");
            IntakeOutcome::Duplicate { typed, channel }
        }
        Intake::Refused { errors, channel_problem, typed } => {
            keep_typed(&channel, &posted, &members, &errors, channel_problem, "fields");
            IntakeOutcome::Invalid { errors, channel_problem, typed, channel }
        }
    })
}

/// A member row's value in the flash: `member:<row>:<field>`.
#[cfg(feature = "ssr")]
fn member_key(name: &str) -> Option<(usize, MemberField)> {
    let (row, field) = name.strip_prefix("member:")?.split_once(':')?;
    let row: usize = row.parse().ok()?;
    (row < awn_domain::requests::MAX_MEMBER_ROWS).then_some(())?;
    Some((row, MemberField::from_code(field)?))
}

/// Without JavaScript the post is answered by a redirect: what was typed and
/// what is wrong travel to the form in the flash cookie.
#[cfg(feature = "ssr")]
fn keep_typed(
    channel: &str,
    posted: &[(awn_domain::requests::ApplicantField, String)],
    members: &[awn_domain::requests::MemberDraft],
    errors: &[FieldError],
    channel_problem: Option<FieldProblem>,
    problem: &str,
) {
    let mut values: Vec<(String, String)> =
        posted.iter().map(|(field, value)| (field.code().to_owned(), value.clone())).collect();
    values.push((CHANNEL.into(), channel.to_owned()));
    for (row, member) in members.iter().enumerate() {
        let fields = [
            (MemberField::FullName, &member.full_name),
            (MemberField::Relation, &member.relation),
            (MemberField::BirthDate, &member.birth_date),
            (MemberField::NationalId, &member.national_id),
            (MemberField::HasIncome, &member.has_income),
        ];
        values
            .extend(fields.into_iter().map(|(field, value)| (format!("member:{row}:{}", field.code()), value.clone())));
    }
    values.extend(errors.iter().map(|e| (format!("{ERROR_PREFIX}{}", e.field.code()), e.problem.code().to_owned())));
    values.extend(channel_problem.map(|p| (format!("{ERROR_PREFIX}{CHANNEL}"), p.code().to_owned())));
    crate::flash::keep_for_next_page(&crate::flash::FormFlash {
        form: "intake".into(),
        values,
        problem: problem.into(),
        number: 0,
    });
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
                        let (draft, errors, channel_problem, chosen, duplicate) = match record.value().get_untracked() {
                            Some(Ok(IntakeOutcome::Invalid { errors, channel_problem, typed, channel })) => {
                                (typed, errors, channel_problem, channel, false)
                            }
                            Some(Ok(IntakeOutcome::Duplicate { typed, channel })) => (typed, Vec::new(), None, channel, true),
                            _ => (form.draft.clone(), form.errors.clone(), form.channel_problem, form.channel.clone(), form.duplicate),
                        };
                        let channel_error = channel_problem.map(|problem| problem_text(i18n.get_locale(), problem));
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
                                        aria-invalid=channel_error.is_some().then_some("true")
                                        aria-describedby=channel_error.is_some().then_some("field-channel-error")>
                                        <option value="">{t!(i18n, staff.intake_choose_channel)}</option>
                                        {Channel::ALL.into_iter().map(|channel| view! {
                                            <option value=channel.code() selected=chosen == channel.code()>
                                                {channel_text(i18n.get_locale(), channel)}
                                            </option>
                                        }).collect_view()}
                                    </select>
                                    <FieldErrorText id="field-channel-error" error=Signal::stored(channel_error.clone())/>
                                </div>
                                // The wizard's steps, each under its heading (the
                                // declaration's own parts are h3).
                                <h2>{t!(i18n, wizard.step_applicant)}</h2>
                                <ApplicantFields draft=draft.clone() errors=errors.clone()/>
                                <h2>{t!(i18n, wizard.step_household)}</h2>
                                <HouseholdFields draft=draft.clone() errors=errors.clone()/>
                                <h2>{t!(i18n, wizard.step_support)}</h2>
                                <SupportFields draft=draft.clone() errors=errors.clone() kinds=form.kinds.clone()/>
                                <h2>{t!(i18n, wizard.step_declaration)}</h2>
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
