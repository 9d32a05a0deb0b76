//! The working hours, and each deadline rule's settings with a form of its own.

use awn_domain::deadlines::ClockUnit;
use leptos::prelude::*;

use super::{HOURS_FORM, RuleRow, SetRuleSettings, SetWorkingHours, rule_form, rule_text, unit_text};
use crate::{
    components::form::{FieldError, TextField},
    forms::{FormNotice, FormProblem, field_message, latest_problem, typed},
    i18n::*,
};

#[component]
pub(super) fn HoursForm(
    set: ServerAction<SetWorkingHours>,
    flashed: Option<FormProblem>,
    start: String,
    end: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = latest_problem(set, flashed.clone());
    let form = HOURS_FORM.to_owned();
    let kept = |field: &str, stored: String| {
        Some(typed(&flashed, HOURS_FORM, field)).filter(|v| !v.is_empty()).unwrap_or(stored)
    };
    let (start, end) = (kept("start", start), kept("end", end));
    view! {
        <section class="card" aria-labelledby="hours-title">
            <h2 id="hours-title">{t!(i18n, calendar.hours_title)}</h2>
            <ActionForm action=set attr:class="form" attr:id="form-hours" attr:novalidate=true>
                <TextField name="start" label=move || t_string!(i18n, calendar.hours_start)
                    hint=move || t_string!(i18n, calendar.time_hint) dir="ltr" inputmode="numeric"
                    value=start error=field_message(problem, form.clone(), "start")/>
                <TextField name="end" label=move || t_string!(i18n, calendar.hours_end)
                    hint=move || t_string!(i18n, calendar.time_hint) dir="ltr" inputmode="numeric"
                    value=end error=field_message(problem, form.clone(), "end")/>
                <FormNotice problem form=form.clone()/>
                <button class="button button--primary" type="submit">{t!(i18n, calendar.save)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn RulesSection(
    rules: Vec<RuleRow>,
    set: ServerAction<SetRuleSettings>,
    flashed: Option<FormProblem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let problem = latest_problem(set, flashed.clone());
    view! {
        <section class="card" aria-labelledby="rules-title">
            <h2 id="rules-title">{t!(i18n, calendar.rules_title)}</h2>
            <p class="field__hint">{t!(i18n, calendar.rules_lead)}</p>
            <ul class="records" id="rule-list">
                {rules.into_iter().map(|row| view! { <RuleForm row set problem flashed=flashed.clone()/> }).collect_view()}
            </ul>
        </section>
    }
}

/// A number field of one rule's form (several rules share field names, so the
/// ids carry the rule).
#[component]
fn NumberField(
    rule: &'static str,
    name: &'static str,
    #[prop(into)] label: TextProp,
    value: String,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("rule-{rule}-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>{move || label.get()}</label>
            <input class="field__input" id=id name=name value=value dir="ltr" inputmode="numeric"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby={let error_id = error_id.clone(); move || error.get().is_some().then(|| error_id.clone())}/>
            <FieldError id=error_id error/>
        </div>
    }
}

#[component]
fn RuleForm(
    row: RuleRow,
    set: ServerAction<SetRuleSettings>,
    problem: Signal<Option<FormProblem>>,
    flashed: Option<FormProblem>,
) -> impl IntoView {
    let i18n = use_i18n();
    let code = row.rule.code();
    let form = rule_form(row.rule);
    let (name, about) = rule_text(i18n.get_locale(), row.rule);
    let settings = row.settings;
    // After a refused plain post, what was typed in this rule's form.
    let kept = {
        let form = form.clone();
        move |field: &str, stored: String| {
            Some(typed(&flashed, &form, field)).filter(|v| !v.is_empty()).unwrap_or(stored)
        }
    };
    let chosen_unit = kept("unit", settings.unit.code().to_owned());
    let period = kept("period", settings.period.to_string());
    let remind = kept("remind_before_hours", settings.remind_before_hours.to_string());
    let extension = kept("max_extension", settings.max_extension.to_string());
    let unit_id = format!("rule-{code}-unit");
    view! {
        <li class="records__item" id=format!("rule-{code}")>
            <h3>{name}</h3>
            <p class="records__body">{about}</p>
            <ActionForm action=set attr:class="form form--inline" attr:novalidate=true>
                <input type="hidden" name="rule" value=code/>
                {if row.fixed {
                    view! {
                        <p class="field">
                            <span class="field__label">{t!(i18n, calendar.unit)}</span> " "
                            {unit_text(i18n.get_locale(), settings.unit)} " (" {t!(i18n, calendar.unit_fixed)} ")"
                        </p>
                    }.into_any()
                } else {
                    view! {
                        <div class="field">
                            <label class="field__label" for=unit_id.clone()>{t!(i18n, calendar.unit)}</label>
                            <select class="field__input" id=unit_id.clone() name="unit">
                                {ClockUnit::ALL.into_iter().map(|unit| view! {
                                    <option value=unit.code() selected=unit.code() == chosen_unit>{unit_text(i18n.get_locale(), unit)}</option>
                                }).collect_view()}
                            </select>
                            <FieldError id=format!("{unit_id}-error") error=field_message(problem, form.clone(), "unit")/>
                        </div>
                    }.into_any()
                }}
                <NumberField rule=code name="period" label=move || t_string!(i18n, calendar.period)
                    value=period error=field_message(problem, form.clone(), "period")/>
                <NumberField rule=code name="remind_before_hours" label=move || t_string!(i18n, calendar.remind_before)
                    value=remind
                    error=field_message(problem, form.clone(), "remind_before_hours")/>
                <NumberField rule=code name="max_extension" label=move || t_string!(i18n, calendar.max_extension)
                    value=extension
                    error=field_message(problem, form.clone(), "max_extension")/>
                <FormNotice problem form=form.clone()/>
                <button class="button" type="submit">{t!(i18n, calendar.save)}</button>
            </ActionForm>
        </li>
    }
}
