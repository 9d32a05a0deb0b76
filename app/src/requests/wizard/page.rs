//! The wizard's page: the progress line, the notices above the step, and the
//! step's form with its buttons.

use awn_domain::requests::WizardStep;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::{
    DuplicateNotice, RemoveDraftDocument, SaveRequestStep, WizardState,
    declaration::DeclarationFields,
    documents::{DocumentsHint, DocumentsStep},
    fields::{ApplicantFields, HouseholdFields, SupportFields},
    load_wizard_state,
    summary::ErrorSummary,
};
use crate::{
    components::{focus::QuietFieldErrors, messages::ErrorMessage},
    error::AppError,
    i18n::*,
    preferences::{language_of, use_digit_style},
};

#[component]
pub fn WizardPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveRequestStep>::new();
    let remove = ServerAction::<RemoveDraftDocument>::new();
    // Read once per page: a sent step comes back as a new page (islands: nothing
    // runs the actions in place), so nothing here re-reads it.
    let state = Resource::new(move || language_of(i18n.get_locale()), load_wizard_state);

    view! {
        <Title text=t_string!(i18n, wizard.title).to_string()/>
        <h1>{t!(i18n, wizard.title)}</h1>
        <Transition fallback=move || view! { <p class="loading">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match state.await {
                    Ok(state) => {
                        let duplicate = state.duplicate.clone();
                        let daily_limit = state.daily_limit;
                        view! {
                            <WizardProgress step=state.draft.step/>
                            {duplicate.map(|notice| view! { <DuplicateMessage notice/> })}
                            {daily_limit.then(|| view! {
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
                                <span class="wizard-progress__label">{move || step_name(i18n, s)}</span>
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
                <button class="button button--secondary" type="submit" name="go" value="back" formnovalidate=true>
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
    let has_errors = !state.errors.is_empty();
    let saved_notice = state.after_save && !has_errors;
    // Given before the fields are made, which read them.
    // The summary announces the mistakes once; the fields say theirs when reached.
    provide_context(QuietFieldErrors);
    let draft = state.draft.clone();
    let errors = state.errors.clone();
    let body = match step {
        WizardStep::Applicant => view! { <ApplicantFields draft errors/> }.into_any(),
        WizardStep::Household => {
            let member_errors = state.member_errors.clone();
            view! { <HouseholdFields draft errors member_errors more_button=true/> }.into_any()
        }
        WizardStep::Support => view! { <SupportFields draft errors kinds=state.kinds.clone()/> }.into_any(),
        WizardStep::Documents => view! { <DocumentsHint/> }.into_any(),
        WizardStep::Declaration => view! { <DeclarationFields draft errors kinds=state.kinds.clone()/> }.into_any(),
    };
    // After a step was sent (not on arrival): the new step's heading, or the
    // mistakes to correct, takes focus and is read out (`autofocus`, no script).
    let focus_title = state.after_save && !has_errors;
    let focus_summary = state.after_save && has_errors;
    view! {
        <section class="card wizard-step" aria-labelledby="step-title">
            <h2 id="step-title" tabindex="-1" autofocus=focus_title>{move || step_name(i18n, step)}</h2>
            {has_errors.then(|| view! { <ErrorSummary errors=state.errors.clone() autofocus=focus_summary/> })}
            {saved_notice.then(|| view! { <p class="notice" role="status">{t!(i18n, wizard.saved)}</p> })}
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
                {(step != WizardStep::Documents).then(|| view! {
                    <p class="form__required-note">
                        <span aria-hidden="true">"* "</span>{t!(i18n, wizard.required_note)}
                    </p>
                })}
                {body}
                <StepButtons step/>
            </ActionForm>
        </section>
    }
}
