//! The scheduled work: when each job last ran, whether it failed, when it runs next.

use awn_domain::{calendar::SAUDI_UTC_OFFSET_SECONDS, deadlines::format_time_of_day};
use leptos::prelude::*;

use super::{JobRow, job_text};
use crate::{components::dates::DualDateText, i18n::*};

/// A moment as its day in both calendars and its time (Saudi time).
#[component]
fn Moment(at: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    match at {
        Some(at) => {
            let minute = (at + SAUDI_UTC_OFFSET_SECONDS).rem_euclid(86_400) / 60;
            let time = format_time_of_day(u16::try_from(minute).unwrap_or_default());
            view! { <DualDateText unix_seconds=at/> " " <bdi dir="ltr">{time}</bdi> }.into_any()
        }
        None => view! { <span>{t!(i18n, calendar.never)}</span> }.into_any(),
    }
}

#[component]
pub(super) fn JobsSection(jobs: Vec<JobRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="jobs-title">
            <h2 id="jobs-title">{t!(i18n, calendar.jobs_title)}</h2>
            {if jobs.is_empty() {
                view! { <p>{t!(i18n, calendar.jobs_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="records" id="job-list">
                        {jobs.into_iter().map(|job| view! {
                            <li class="records__item">
                                <h3>{job_text(i18n.get_locale(), &job.name)}
                                    {job.running.then(|| view! { " · " <em>{t!(i18n, calendar.running)}</em> })}
                                </h3>
                                <dl class="records__meta facts">
                                    <dt>{t!(i18n, calendar.last_started)}</dt><dd><Moment at=job.last_started_at/></dd>
                                    <dt>{t!(i18n, calendar.last_finished)}</dt><dd><Moment at=job.last_finished_at/></dd>
                                    <dt>{t!(i18n, calendar.next_run)}</dt><dd><Moment at=Some(job.next_run_at)/></dd>
                                    <dt>{t!(i18n, calendar.failures)}</dt><dd><bdi>{job.failures}</bdi></dd>
                                </dl>
                                {job.last_error.clone().map(|error| view! {
                                    <p class="notice notice--error">{t!(i18n, calendar.last_error)} " " <bdi dir="ltr">{error}</bdi></p>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
