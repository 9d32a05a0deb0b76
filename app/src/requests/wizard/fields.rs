//! The fields of the first three steps, shared with the staff intake form.

use awn_domain::requests::{ApplicantField, FieldError, Housing, MemberError, RequestDraft};
use leptos::prelude::*;

use super::KindOption;
use crate::{
    components::{
        date_field::DateField,
        form::{FieldError as FieldErrorText, FieldLabel, RequiredMark, TextField},
    },
    i18n::*,
    requests::labels::problem_text,
};

/// The problem of `field` among `errors`, in the page's language.
pub(super) fn field_error(
    i18n: leptos_i18n::I18nContext<Locale>,
    errors: &[FieldError],
    field: ApplicantField,
) -> Signal<Option<String>> {
    let problem = errors.iter().find(|e| e.field == field).map(|e| e.problem);
    Signal::derive(move || problem.map(|p| problem_text(i18n.get_locale(), p)))
}

#[component]
pub(crate) fn ApplicantFields(draft: RequestDraft, errors: Vec<FieldError>) -> impl IntoView {
    let i18n = use_i18n();
    let e = |field| field_error(i18n, &errors, field);
    view! {
        <TextField
            name=ApplicantField::FullName.code()
            label=move || t_string!(i18n, wizard.full_name)
            hint=move || t_string!(i18n, wizard.full_name_hint)
            value=draft.full_name
            error=e(ApplicantField::FullName)
            autocomplete="name"
            required=true
        />
        <TextField
            name=ApplicantField::NationalId.code()
            label=move || t_string!(i18n, wizard.national_id)
            hint=move || t_string!(i18n, wizard.national_id_hint)
            value=draft.national_id
            error=e(ApplicantField::NationalId)
            inputmode="numeric"
            dir="ltr"
            required=true
            maxlength=20
        />
        <DateField
            name=ApplicantField::BirthDate.code()
            label=move || t_string!(i18n, wizard.birth_date)
            value=draft.birth_date
            error=e(ApplicantField::BirthDate)
            autocomplete="bday"
            required=true
        />
        <TextField
            name=ApplicantField::Mobile.code()
            label=move || t_string!(i18n, wizard.mobile)
            value=draft.mobile
            error=e(ApplicantField::Mobile)
            input_type="tel"
            inputmode="tel"
            autocomplete="tel"
            dir="ltr"
            required=true
        />
        <TextField
            name=ApplicantField::Email.code()
            label=move || t_string!(i18n, wizard.email)
            hint=move || t_string!(i18n, wizard.optional)
            value=draft.email
            error=e(ApplicantField::Email)
            input_type="email"
            autocomplete="email"
            dir="ltr"
        />
        <TextField
            name=ApplicantField::City.code()
            label=move || t_string!(i18n, wizard.city)
            value=draft.city
            error=e(ApplicantField::City)
            autocomplete="address-level2"
            required=true
        />
        <TextField
            name=ApplicantField::District.code()
            label=move || t_string!(i18n, wizard.district)
            value=draft.district
            error=e(ApplicantField::District)
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
pub(crate) fn HouseholdFields(
    draft: RequestDraft,
    errors: Vec<FieldError>,
    /// The problems of the member rows, row by row.
    #[prop(optional)]
    member_errors: Vec<MemberError>,
    /// The wizard's "more rows" button (the intake form shows rows enough).
    #[prop(optional)]
    more_button: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let e = |field| field_error(i18n, &errors, field);
    let housing_error = e(ApplicantField::Housing);
    let chosen = draft.housing.clone();
    let count = draft.household_members.clone();
    let members = draft.members.clone();
    view! {
        <TextField
            name=ApplicantField::HouseholdMembers.code()
            label=move || t_string!(i18n, wizard.household_members)
            hint=move || t_string!(i18n, wizard.household_members_hint)
            value=draft.household_members
            error=e(ApplicantField::HouseholdMembers)
            inputmode="numeric"
            dir="ltr"
            required=true
            maxlength=4
        />
        <super::members::MemberRows members count errors=member_errors more_button/>
        <TextField
            name=ApplicantField::MonthlyIncome.code()
            label=move || t_string!(i18n, wizard.monthly_income)
            hint=move || t_string!(i18n, wizard.monthly_income_hint)
            value=draft.monthly_income
            error=e(ApplicantField::MonthlyIncome)
            inputmode="numeric"
            dir="ltr"
            required=true
            maxlength=12
        />
        <fieldset
            id="field-housing"
            class="field choice-group"
            class:field--invalid=move || housing_error.get().is_some()
            aria-describedby=move || housing_error.get().is_some().then_some("field-housing-error")
        >
            <legend class="field__label">{t!(i18n, wizard.housing)} <RequiredMark required=true/></legend>
            {Housing::ALL
                .into_iter()
                .map(|housing| {
                    let id = format!("housing-{}", housing.code());
                    view! {
                        <div class="choice">
                            <input
                                type="radio"
                                id=id.clone()
                                name=ApplicantField::Housing.code()
                                value=housing.code()
                                required=true
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
    let kind_error = field_error(i18n, &errors, ApplicantField::SupportKind);
    let description_error = field_error(i18n, &errors, ApplicantField::Description);
    let chosen = draft.support_kind.clone();
    view! {
        <fieldset
            id="field-support_kind"
            class="field choice-group"
            class:field--invalid=move || kind_error.get().is_some()
            aria-describedby=move || kind_error.get().is_some().then_some("field-support_kind-error")
        >
            <legend class="field__label">{t!(i18n, wizard.support_kind)} <RequiredMark required=true/></legend>
            {kinds
                .into_iter()
                .map(|kind| {
                    let id = format!("kind-{}", kind.code);
                    view! {
                        <div class="choice choice--described">
                            <input
                                type="radio"
                                id=id.clone()
                                name=ApplicantField::SupportKind.code()
                                value=kind.code.clone()
                                required=true
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
            <FieldLabel for_id="field-description" label=move || t_string!(i18n, wizard.description) required=true/>
            <p class="field__hint" id="field-description-hint">{t!(i18n, wizard.description_hint)}</p>
            <crate::components::form::TextArea
                id="field-description"
                name=ApplicantField::Description.code()
                value=draft.description
                rows=5
                maxlength=2000
                required=true
                described_by=Signal::derive(move || {
                    Some(if description_error.get().is_some() { "field-description-hint field-description-error" } else { "field-description-hint" }.to_owned())
                })
                invalid=Signal::derive(move || description_error.get().is_some())
            />
            <FieldErrorText id="field-description-error" error=description_error/>
        </div>
    }
}
